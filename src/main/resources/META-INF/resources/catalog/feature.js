import { LitElement, html, nothing } from 'lit';
import { gql, describe } from './api.js';
import { ago, num, link, modeBadge, parseRef, snippets } from './util.js';

const QUERY = `query($g:String!, $v:Int, $f:String!) {
  g: featureGroup(name:$g, version:$v) { name version mode servedAs owner ownerTeam ttlSeconds lastDataUpdateAt entityKeys { name valueType }
    statistics { rowCount computedAt features { name nullCount min max } }
    features { name reference dataType type featureType description unit nullable min max allowedValues defaultValue expression tags sourceDatasets sourceFeatures } }
  l: lineage(feature:$f) { upstreamDatasets upstreamFeatures downstreamFeatures featureServices } }`;

/** A feature's page: its definition, statistics, lineage both ways, an online lookup and snippets that fetch it. */
class QvFeature extends LitElement {
  static properties = { ref: {}, me: { type: Object }, data: { state: true }, error: { state: true }, lookup: { state: true },
    lookupError: { state: true }, copied: { state: true } };

  createRenderRoot() { return this; }

  updated(changed) {
    if (changed.has('ref')) {
      this.data = null;
      this.load();
    }
  }

  async load() {
    this.error = null;
    this.lookup = null;
    this.lookupError = null;
    const parts = parseRef(this.ref);
    if (!parts) {
      this.error = new Error(`“${this.ref}” is not a feature reference: it should read group.feature (or group@version.feature).`);
      return;
    }
    const ref = this.ref;
    const seq = (this.loadSeq = (this.loadSeq || 0) + 1); // a newer load (another feature, another key) wins
    try {
      const data = await gql(QUERY, { g: parts.group, v: parts.version, f: ref });
      if (ref !== this.ref || seq !== this.loadSeq) return; // the person moved on meanwhile
      this.data = data;
      const name = parts.feature;
      if (!this.data.g.features.some((f) => f.name === name)) {
        this.error = new Error(`Group ${this.data.g.name} has no feature ${name}.`);
      }
    } catch (e) {
      if (ref !== this.ref || seq !== this.loadSeq) return;
      this.error = e;
      this.data = null;
    }
  }

  async look(e) {
    e.preventDefault();
    const form = new FormData(e.target);
    const entity = {};
    for (const k of this.data.g.entityKeys) {
      const v = String(form.get(k.name) || '').trim();
      // numbers as numbers unless they would lose digits (a BIGINT beyond 2^53 goes as text, which the API accepts)
      const n = Number(v);
      entity[k.name] = ['STRING', 'DATE', 'TIMESTAMP'].includes(k.valueType) || v === '' || Number.isNaN(n) || !Number.isSafeInteger(n) && /^-?\d+$/.test(v) ? v : n;
    }
    this.lookupError = null;
    const ref = this.ref;
    try {
      const d = await gql('query($f:[String], $e:[JSON!]!) { onlineFeatures(features:$f, entities:$e) { columns { name values statuses eventTimestamps } metadata { servingLatencyMs groups { source } } } }',
        { f: [this.ref], e: [entity] });
      if (ref !== this.ref) return;
      this.lookup = d.onlineFeatures;
    } catch (err) {
      if (ref !== this.ref) return;
      this.lookup = null;
      this.lookupError = describe(err);
    }
  }

  async copy(id) {
    const text = this.querySelector(`#${id}`).textContent;
    try {
      await navigator.clipboard.writeText(text);
      this.copied = id;
    } catch (e) {
      const range = document.createRange();
      range.selectNodeContents(this.querySelector(`#${id}`));
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      this.copied = `${id}-selected`;
    }
  }

  renderSnippet(id, title, text) {
    return html`<div class="snippet"><div class="snippet-head"><h3>${title}</h3>
      <button @click=${() => this.copy(id)} aria-label="Copy the ${title} snippet">${this.copied === id ? 'Copied' : this.copied === `${id}-selected` ? 'Selected: press Ctrl+C' : 'Copy'}</button></div>
      <pre><code id=${id}>${text}</code></pre></div>`;
  }

  render() {
    if (this.error) return html`<h1>${this.ref}</h1><p class="error" role="alert">${describe(this.error)}</p>`;
    if (!this.data) return html`<p class="loading">Loading ${this.ref}…</p>`;
    const g = this.data.g;
    const l = this.data.l;
    const name = parseRef(this.ref).feature;
    const f = g.features.find((x) => x.name === name);
    const s = g.statistics && (g.statistics.features || []).find((x) => x.name === name);
    const rows = g.statistics ? Number(g.statistics.rowCount) : 0;
    const sn = snippets(location.origin, f.reference, g.entityKeys || []);
    const keys = new Set((g.entityKeys || []).map((k) => k.name));
    const list = (items, make) => (items && items.length ? html`<ul>${items.map((i) => html`<li>${make(i)}</li>`)}</ul>` : html`<p class="note">None recorded.</p>`);
    return html`
      <nav class="crumbs" aria-label="Breadcrumb"><a href="#/">Catalog</a> › <a href=${link.group(g.name, g.version)}>${g.name}</a> › ${f.name}</nav>
      <h1>${f.reference} <span class="badge type">${f.dataType}</span></h1>
      <p class="lede">${f.description || html`<em>No description</em>`}</p>
      <div class="grid">
        <section aria-labelledby="h-def"><h2 id="h-def">Definition</h2><dl class="facts" id="definition">
          <dt>Group</dt><dd><a href=${link.group(g.name)}>${g.name}</a> v${g.version} <span class="badge ${modeBadge(g.mode)}">${g.mode}</span></dd>
          <dt>Data type</dt><dd>${f.dataType}${f.type && f.type !== f.dataType ? ` (${f.type})` : ''}</dd>
          <dt>Kind</dt><dd>${f.featureType || '–'}</dd>
          <dt>Unit</dt><dd>${f.unit || '–'}</dd>
          <dt>Nullable</dt><dd>${f.nullable ? 'yes' : 'no'}</dd>
          ${f.min !== null && f.min !== undefined ? html`<dt>Allowed min</dt><dd>${f.min}</dd>` : nothing}
          ${f.max !== null && f.max !== undefined ? html`<dt>Allowed max</dt><dd>${f.max}</dd>` : nothing}
          ${f.allowedValues && f.allowedValues.length ? html`<dt>Allowed values</dt><dd>${f.allowedValues.join(', ')}</dd>` : nothing}
          ${f.defaultValue !== null && f.defaultValue !== undefined ? html`<dt>Default</dt><dd>${f.defaultValue}</dd>` : nothing}
          ${f.expression ? html`<dt>Expression</dt><dd><code>${f.expression}</code></dd>` : nothing}
          <dt>Tags</dt><dd>${(f.tags || []).join(', ') || '–'}</dd>
          <dt>Owner</dt><dd>${g.owner || '–'}</dd></dl></section>
        <section aria-labelledby="h-stats"><h2 id="h-stats">Statistics</h2>
          ${s ? html`<dl class="facts" id="statistics"><dt>Rows</dt><dd>${num(rows)}</dd>
            <dt>Null rate</dt><dd id="null-rate">${rows ? `${num((100 * Number(s.nullCount)) / rows, 2)} %` : '–'} (${num(s.nullCount)} nulls)</dd>
            <dt>Min</dt><dd>${s.min ?? '–'}</dd><dt>Max</dt><dd>${s.max ?? '–'}</dd>
            <dt>Computed</dt><dd>${ago(g.statistics.computedAt)}</dd></dl>`
            : html`<p class="note">No statistics yet: a writer computes them from the stored data with <code>refreshFeatures</code>.</p>`}</section>
      </div>
      <section aria-labelledby="h-flow"><h2 id="h-flow">Lineage</h2><div class="grid" id="feature-lineage">
        <div><h3>Comes from</h3>${list([...(l.upstreamDatasets || []).map((d) => ({ d })), ...(l.upstreamFeatures || []).map((x) => ({ f: x }))],
          (i) => (i.d ? html`dataset <code>${i.d}</code>` : html`feature <a href=${link.feature(i.f)}>${i.f}</a>`))}</div>
        <div><h3>Used by</h3>${list([...(l.downstreamFeatures || []).map((x) => ({ f: x })), ...(l.featureServices || []).map((x) => ({ s: x }))],
          (i) => (i.f ? html`feature <a href=${link.feature(i.f)}>${i.f}</a>` : html`feature service <code>${i.s}</code>`))}</div></div></section>
      <section aria-labelledby="h-lookup"><h2 id="h-lookup">Online lookup</h2>
        <form class="action" id="lookup-form" @submit=${this.look}>
          ${(g.entityKeys || []).map((k) => html`<div class="field"><label for="k-${k.name}">${k.name} (${k.valueType})</label><input id="k-${k.name}" name=${k.name} required></div>`)}
          <div class="field"><button type="submit">Look up</button></div></form>
        ${this.lookupError ? html`<p class="error" role="alert" id="lookup-error">${this.lookupError}</p>` : nothing}
        ${this.lookup ? html`<table class="compact" id="lookup-result"><thead><tr><th>Column</th><th>Value</th><th>Status</th><th>Event time</th></tr></thead><tbody>
          ${this.lookup.columns.map((c) => html`<tr><td>${c.name}</td><td>${JSON.stringify(c.values[0])}</td><td>${c.statuses ? c.statuses[0] : ''}</td><td>${keys.has(c.name) ? '' : (c.eventTimestamps && c.eventTimestamps[0]) || ''}</td></tr>`)}</tbody></table>
          <p class="note">Served from ${this.lookup.metadata.groups.map((x) => x.source).join(', ')} in ${num(this.lookup.metadata.servingLatencyMs, 2)} ms.</p>` : nothing}
      </section>
      <section aria-labelledby="h-snippets"><h2 id="h-snippets">Fetch it</h2>
        ${this.renderSnippet('snippet-graphql', 'GraphQL', sn.graphql)}
        ${this.renderSnippet('snippet-online', 'Online, Feast-compatible (curl)', sn.online)}
        ${this.renderSnippet('snippet-training', 'Training set over REST (curl)', sn.training)}
      </section>`;
  }
}
customElements.define('qv-feature', QvFeature);
