import { LitElement, html, nothing } from 'lit';
import { gql, describe } from './api.js';
import { ago, link, modeBadge } from './util.js';

const PAGE = 25;
const DATA_TYPES = ['ARRAY', 'BIGINT', 'BOOLEAN', 'DATE', 'DECIMAL', 'DOUBLE', 'FLOAT', 'INT', 'MAP', 'STRING', 'STRUCT', 'TIMESTAMP'];

const GROUPS = `query($first:Int, $after:String, $filter:FeatureGroupFilter) {
  featureGroups(first:$first, after:$after, filter:$filter) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { name version description owner ownerTeam mode servedAs status tags entityNames lastDataUpdateAt } } }`;

const FEATURES = `query($first:Int, $after:String, $filter:FeatureFilter) {
  features(first:$first, after:$after, filter:$filter) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { reference name group groupVersion dataType featureType description unit tags } } }`;

/**
 * Search and browse: groups or features, full-text search and filters, a page at a time. Every search is a deep link
 * (#/?kind=features&q=...), so the browser's back button pages back.
 */
class QvSearch extends LitElement {
  static properties = { params: { type: Object }, me: { type: Object }, result: { state: true }, error: { state: true },
    entities: { state: true }, loading: { state: true } };

  createRenderRoot() { return this; }

  updated(changed) {
    if (changed.has('params')) this.load();
  }

  get kind() { return this.params.kind === 'features' ? 'features' : 'groups'; }

  async load() {
    const p = this.params;
    const seq = (this.seq = (this.seq || 0) + 1); // a slower earlier search must not overwrite a newer one
    this.loading = true;
    this.error = null;
    const tags = p.tag ? p.tag.split(',').map((t) => t.trim()).filter(Boolean) : undefined;
    try {
      if (!this.entities) {
        this.entities = [];
        gql('{ entities { name } }').then((d) => { this.entities = d.entities.map((e) => e.name).sort(); }).catch(() => { this.entities = null; });
      }
      if (this.kind === 'features') {
        const filter = { search: p.q || undefined, group: p.group || undefined, dataType: p.type || undefined, tags };
        const data = (await gql(FEATURES, { first: PAGE, after: p.after || undefined, filter })).features;
        // each feature shows its group's owner, freshness, mode and strategy: one request for the page's groups
        const names = [...new Set(data.nodes.map((f) => f.group))];
        if (names.length) {
          const doc = `{ ${names.map((n, i) => `g${i}: featureGroup(name: ${JSON.stringify(n)}) { name owner mode servedAs status lastDataUpdateAt }`).join(' ')} }`;
          const groups = await gql(doc).catch(() => ({}));
          const byName = Object.fromEntries(Object.values(groups).map((g) => [g.name, g]));
          data.nodes.forEach((f) => { f.groupInfo = byName[f.group] || {}; });
        }
        if (seq !== this.seq) return;
        this.result = { kind: 'features', ...data };
      } else {
        const filter = { search: p.q || undefined, entity: p.entity || undefined, owner: p.owner || undefined, mode: p.mode || undefined,
          status: p.status || undefined, tags };
        const data = (await gql(GROUPS, { first: PAGE, after: p.after || undefined, filter })).featureGroups;
        if (seq !== this.seq) return;
        this.result = { kind: 'groups', ...data };
      }
      if (!window.__qvFirstResults) {
        // first results: once they are rendered and the browser is about to paint them
        await this.updateComplete;
        requestAnimationFrame(() => { window.__qvFirstResults = window.__qvFirstResults || performance.now(); });
      }
    } catch (e) {
      if (seq !== this.seq) return;
      this.error = e;
      this.result = null;
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  apply(e) {
    e.preventDefault();
    const form = new FormData(e.target);
    const params = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v).trim()]));
    location.hash = link.search(params);
  }

  renderFilters() {
    const p = this.params;
    const features = this.kind === 'features';
    return html`<form class="filters" @submit=${this.apply} aria-label="Search filters">
      <div class="field grow"><label for="f-q">Search</label>
        <input id="f-q" name="q" type="search" .value=${p.q || ''} placeholder="name, description or tag"></div>
      <div class="field"><label for="f-kind">Show</label>
        <select id="f-kind" name="kind" .value=${features ? 'features' : 'groups'} @change=${(e) => e.target.form.requestSubmit()}>
          <option value="groups" ?selected=${!features}>Feature groups</option>
          <option value="features" ?selected=${features}>Features</option></select></div>
      ${features ? html`
        <div class="field"><label for="f-group">Group</label><input id="f-group" name="group" .value=${p.group || ''}></div>
        <div class="field"><label for="f-type">Data type</label>
          <select id="f-type" name="type" .value=${p.type || ''}><option value="">any</option>
            ${DATA_TYPES.map((t) => html`<option ?selected=${p.type === t}>${t}</option>`)}</select></div>`
        : html`
        <div class="field"><label for="f-entity">Entity</label>
          <select id="f-entity" name="entity" .value=${p.entity || ''}><option value="">any</option>
            ${(this.entities || []).map((n) => html`<option ?selected=${p.entity === n}>${n}</option>`)}</select></div>
        <div class="field"><label for="f-owner">Owner</label><input id="f-owner" name="owner" .value=${p.owner || ''}></div>
        <div class="field"><label for="f-mode">Mode</label>
          <select id="f-mode" name="mode" .value=${p.mode || ''}><option value="">any</option>
            ${['MATERIALIZED', 'VIRTUALIZED', 'HYBRID'].map((m) => html`<option ?selected=${p.mode === m}>${m}</option>`)}</select></div>
        <div class="field"><label for="f-status">Status</label>
          <select id="f-status" name="status" .value=${p.status || ''}><option value="">any</option>
            ${['ACTIVE', 'DEPRECATED'].map((m) => html`<option ?selected=${p.status === m}>${m}</option>`)}</select></div>`}
      <div class="field"><label for="f-tag">Tags</label><input id="f-tag" name="tag" .value=${p.tag || ''} placeholder="a,b"></div>
      <div class="field"><button type="submit">Search</button></div>
    </form>`;
  }

  renderGroups(r) {
    return html`<ul class="results" id="results">${r.nodes.map((g) => html`<li class="result">
      <div class="title"><a href=${link.group(g.name)}>${g.name}</a>
        <span class="badge ${modeBadge(g.mode)}" title="mode">${g.mode}</span>
        ${g.mode === 'HYBRID' && g.servedAs ? html`<span class="badge ${modeBadge(g.servedAs)}" title="current strategy">served ${g.servedAs.toLowerCase()}</span>` : nothing}
        ${g.status === 'DEPRECATED' ? html`<span class="badge deprecated">deprecated</span>` : nothing}</div>
      <p>${g.description || html`<em>No description</em>`}</p>
      <dl class="facts"><dt>Type</dt><dd>feature group v${g.version}</dd><dt>Owner</dt><dd>${g.owner || '–'}${g.ownerTeam ? ` (team ${g.ownerTeam})` : ''}</dd>
        <dt>Entities</dt><dd>${(g.entityNames || []).join(', ')}</dd><dt>Fresh</dt><dd>${ago(g.lastDataUpdateAt)}</dd>
        ${g.tags && g.tags.length ? html`<dt>Tags</dt><dd>${g.tags.join(', ')}</dd>` : nothing}</dl></li>`)}</ul>`;
  }

  renderFeatures(r) {
    return html`<ul class="results" id="results">${r.nodes.map((f) => html`<li class="result">
      <div class="title"><a href=${link.feature(f.reference)}>${f.reference}</a>
        <span class="badge type">${f.dataType}</span>
        ${f.groupInfo && f.groupInfo.mode ? html`<span class="badge ${modeBadge(f.groupInfo.mode)}">${f.groupInfo.mode}</span>` : nothing}
        ${f.groupInfo && f.groupInfo.mode === 'HYBRID' && f.groupInfo.servedAs ? html`<span class="badge ${modeBadge(f.groupInfo.servedAs)}">served ${f.groupInfo.servedAs.toLowerCase()}</span>` : nothing}</div>
      <p>${f.description || html`<em>No description</em>`}</p>
      <dl class="facts"><dt>Type</dt><dd>${f.featureType ? f.featureType.toLowerCase() : 'feature'}${f.unit ? `, in ${f.unit}` : ''}</dd>
        <dt>Group</dt><dd><a href=${link.group(f.group, null)}>${f.group}</a> v${f.groupVersion}</dd>
        <dt>Owner</dt><dd>${(f.groupInfo && f.groupInfo.owner) || '–'}</dd><dt>Fresh</dt><dd>${ago(f.groupInfo && f.groupInfo.lastDataUpdateAt)}</dd></dl></li>`)}</ul>`;
  }

  render() {
    const r = this.result;
    const p = this.params;
    return html`
      <h1>${this.kind === 'features' ? 'Features' : 'Feature groups'}</h1>
      ${this.renderFilters()}
      ${this.error ? html`<p class="error" role="alert">${describe(this.error)}</p>` : nothing}
      ${r ? html`
        <p class="count" id="count" aria-live="polite">${r.totalCount} ${r.kind === 'features' ? 'features' : 'groups'}${p.q ? html` matching “${p.q}”` : nothing}${p.after ? ' (a later page)' : ''}</p>
        ${r.nodes.length === 0 ? html`<p class="empty">Nothing matches. Try fewer words or filters.</p>` : nothing}
        ${r.kind === 'features' ? this.renderFeatures(r) : this.renderGroups(r)}
        <nav class="pager" aria-label="Pages">
          ${p.after ? html`<a href=${link.search({ ...p, after: '' })}>First page</a>` : nothing}
          ${r.pageInfo.hasNextPage ? html`<a id="next-page" href=${link.search({ ...p, after: r.pageInfo.endCursor })}>Next page</a>` : nothing}
        </nav>` : this.loading ? html`<p class="loading">Loading…</p>` : nothing}`;
  }
}
customElements.define('qv-search', QvSearch);
