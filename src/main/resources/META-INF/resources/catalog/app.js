import { LitElement, html, nothing } from 'lit';
import { gql, keys, describe } from './api.js';
import { parseRoute, may } from './util.js';
import './search.js';
import './group.js';
import './feature.js';

/** The shell: header (search, API key, who you are), then the page the location hash names. */
class QvApp extends LitElement {
  static properties = { route: { state: true }, me: { state: true }, meError: { state: true } };

  createRenderRoot() { return this; }

  connectedCallback() {
    this.replaceChildren(); // the page's "Loading" line
    super.connectedCallback();
    this.route = parseRoute();
    window.addEventListener('hashchange', () => {
      this.route = parseRoute();
      window.scrollTo(0, 0);
      // keyboard and screen-reader users start at the new page's heading
      this.updateComplete.then(() => setTimeout(() => {
        const h1 = this.querySelector('main h1');
        if (h1) {
          h1.setAttribute('tabindex', '-1');
          h1.focus({ preventScroll: true });
        }
      }, 0));
    });
    this.loadMe();
  }

  async loadMe() {
    try {
      this.me = (await gql('{ me { name principal open roles teams } }')).me;
      this.meError = null;
    } catch (e) {
      this.me = null;
      this.meError = e;
    }
  }

  saveKey(e) {
    e.preventDefault();
    const input = this.querySelector('#api-key');
    keys.set(input.value.trim());
    input.value = '';
    this.loadMe().then(() => this.refresh());
  }

  signOut() {
    keys.set('');
    this.loadMe().then(() => this.refresh());
  }

  refresh() {
    const view = this.querySelector('main > *');
    if (view && view.load) view.load();
  }

  quickSearch(e) {
    e.preventDefault();
    const q = this.querySelector('#quick-search').value.trim();
    location.hash = `#/?q=${encodeURIComponent(q)}`;
  }

  renderWho() {
    if (this.me && this.me.open) {
      return html`<span class="badge warn" id="open-badge" title="quiver.security.open=true">Security is off: anyone may do anything here</span>`;
    }
    if (this.me) {
      return html`<span class="who" id="who">${this.me.name || this.me.principal} · ${(this.me.roles || []).join(', ').toLowerCase()}</span>
        <button class="link" @click=${this.signOut}>Forget key</button>`;
    }
    return html`<form class="key" @submit=${this.saveKey} aria-label="API key">
      <label for="api-key">API key</label>
      <input id="api-key" type="password" autocomplete="off" placeholder="qvk_…" required>
      <button type="submit">Use key</button></form>`;
  }

  render() {
    const r = this.route;
    let view;
    if (r.view === 'group') view = html`<qv-group .name=${r.name} .version=${r.version} .me=${this.me}></qv-group>`;
    else if (r.view === 'feature') view = html`<qv-feature .ref=${r.ref} .me=${this.me}></qv-feature>`;
    else view = html`<qv-search .params=${r.params} .me=${this.me}></qv-search>`;
    return html`
      <header>
        <a class="brand" href="#/">Quiver <span>feature catalog</span></a>
        <form class="quick" role="search" @submit=${this.quickSearch}>
          <label class="sr" for="quick-search">Search features and groups</label>
          <input id="quick-search" type="search" placeholder="Search features and groups" .value=${r.params.q || ''}>
        </form>
        <div class="account">${this.renderWho()}</div>
      </header>
      ${this.meError && !this.me ? html`<p class="error" role="alert" id="key-needed">${describe(this.meError)}</p>` : nothing}
      <main>${view}</main>
      <footer>Every page here reads the public GraphQL API at <code>/graphql</code>${may(this.me, 'READER') ? nothing : ' (with your key)'}.</footer>`;
  }
}
customElements.define('qv-app', QvApp);
