import { LitElement, html, nothing } from 'lit';
import { gql, describe, followJob } from './api.js';
import { ago, bytes, num, ms, duration, when, link, may, modeBadge, changes } from './util.js';
import { lineageGraph } from './graph.js';
import { accessChart } from './charts.js';

const FEATURE_FIELDS = 'name reference dataType type featureType description unit nullable min max allowedValues defaultValue expression tags sourceDatasets sourceFeatures';

const GROUP = `query($n:String!, $v:Int) { g: featureGroup(name:$n, version:$v) {
  name version versions latest description owner ownerTeam mode servedAs status tags entityNames
  entityKeys { name valueType } ttlSeconds onlineEnabled offlineEnabled eventTimestampColumn createdTimestampColumn
  storageFormat materializationSchedule lastDataUpdateAt createdAt updatedAt virtualTable metadata { key value }
  features { ${FEATURE_FIELDS} }
  effectiveConfig { key value source note }
  queryTemplate { sql source sources parameters { name type defaultValue } }
  statistics { computedAt rowCount snapshotId features { name nullCount min max } }
  strategy { mode decided servedAs forced forcedReason forcedUntil reason decidedAt fillState fillMillis filledAt storedUntil selectable inputs { name value } } } }`;

// asked apart, so that one failing (a group without a strategy, say) leaves the others on the page
const DETAILS = {
  snapshots: 'snapshots(group:$n, version:$v, first:10) { id operation committedAt rowCount bytes fileCount minEventTime maxEventTime }',
  jobs: 'materializationJobs(group:$n, version:$v, first:10) { id kind status trigger rowsRead entities start end createdAt startedAt finishedAt durationMs error }',
  history: 'strategyHistory(group:$n, version:$v, first:20) { at kind from to reason inputs { name value } }',
  recommendation: `recommendation(group:$n) { version current recommended change reason howToApply readMsNow readMsAfter bytesStoredNow bytesStoredAfter
    computeMsPerDayNow computeMsPerDayAfter }`,
  metrics: `accessMetrics(group:$n, window: LAST_DAY) { reads readsPerHour readsMaterialized readsVirtualized writes errors cacheHitRate lastAccess
    estimatedRows bytesOffline bytesOnline freshnessSeconds }`,
};

async function details(vars) {
  const out = { errors: [] };
  await Promise.all(Object.entries(DETAILS).map(async ([name, field]) => {
    const uses = field.includes('$v') ? '$n:String!, $v:Int' : '$n:String!';
    try {
      out[name] = (await gql(`query(${uses}) { ${name}: ${field} }`, field.includes('$v') ? vars : { n: vars.n }))[name];
    } catch (e) {
      out.errors.push(e);
    }
  }));
  return out;
}

const SERIES = `query($n:String!, $w:AccessWindow) { accessSeries(group:$n, window:$w) { from reads readsMaterialized readsVirtualized writes errors paths { path count p50Ms p99Ms } } }`;

/** A feature group's page: what it holds, where it comes from, how it is served and what an operator may do with it. */
class QvGroup extends LitElement {
  static properties = { name: {}, version: {}, me: { type: Object }, g: { state: true }, d: { state: true }, prev: { state: true },
    error: { state: true }, notice: { state: true }, actionError: { state: true }, window: { state: true }, live: { state: true },
    sources: { state: true } };

  constructor() {
    super();
    this.window = 'LAST_HOUR';
  }

  createRenderRoot() { return this; }

  updated(changed) {
    if (changed.has('name') || changed.has('version')) {
      this.g = null; // no action may reach the previous group while the next one loads
      this.live = null;
      this.notice = null;
      this.actionError = null;
      if (this.leaving) this.leaving.abort(); // a job followed on the previous page stops being followed
      this.leaving = new AbortController();
      this.load();
    }
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    if (this.leaving) this.leaving.abort();
  }

  /** Whether answers that were asked for on this page still belong to it (the element is reused for the next group). */
  current(key) {
    return key === `${this.name}@${this.version || ''}`;
  }

  get key() {
    return `${this.name}@${this.version || ''}`;
  }

  async load() {
    const key = this.key;
    const seq = (this.loadSeq = (this.loadSeq || 0) + 1); // a newer load (another key, an action) wins over an older one
    this.error = null;
    try {
      const vars = { n: this.name, v: this.version || undefined };
      const [g, d] = await Promise.all([gql(GROUP, vars), details(vars)]);
      if (!this.current(key) || seq !== this.loadSeq) return;
      this.g = g.g;
      this.d = d;
      this.prev = null;
      const earlier = (this.g.versions || []).filter((v) => v < this.g.version);
      if (earlier.length) {
        gql(`query($n:String!, $v:Int) { g: featureGroup(name:$n, version:$v) { version description ttlSeconds owner mode onlineEnabled offlineEnabled tags features { ${FEATURE_FIELDS} } } }`,
          { n: this.name, v: Math.max(...earlier) }).then((p) => { if (this.current(key)) this.prev = p.g; }).catch(() => {});
      }
      this.sources = null;
      if (this.g.queryTemplate) this.loadSources(key, this.g.queryTemplate.sources || []);
      await this.updateComplete;
      this.drawLineage(key);
      this.drawChart(key);
    } catch (e) {
      if (!this.current(key) || seq !== this.loadSeq) return;
      this.error = e;
      this.g = null;
    }
  }

  /** The registered data sources a template reads ("layer.name" or "name"); one request each, as a name may not be registered. */
  async loadSources(key, refs) {
    const names = [...new Set(refs.map((r) => r.slice(r.indexOf('.') + 1)))].slice(0, 20);
    if (!names.length) return;
    const found = [];
    await Promise.all(names.map(async (n) => {
      try {
        found.push((await gql('query($n:String!) { dataSource(name:$n) { name layer format location files bytes rowEstimate refreshedAt } }', { n })).dataSource);
      } catch (e) { /* not registered under that name: the template names it as written */ }
    }));
    if (this.current(key)) this.sources = found.sort((a, b) => a.name.localeCompare(b.name));
  }

  async drawLineage(key) {
    const host = this.querySelector('#lineage');
    if (!host || !this.g) return;
    const g = this.g;
    const refs = g.features.slice(0, 40).map((f) => f.reference);
    let down = [];
    if (refs.length) {
      const doc = `{ ${refs.map((r, i) => `l${i}: lineage(feature: ${JSON.stringify(r)}) { downstreamFeatures featureServices }`).join(' ')} }`;
      const answer = await gql(doc).catch(() => ({}));
      down = refs.map((r, i) => answer[`l${i}`]);
    }
    if (!this.current(key)) return;
    try {
      await lineageGraph(host, g, down);
    } catch (e) {
      host.textContent = `The lineage graph could not be drawn: ${describe(e)}`;
    }
  }

  async drawChart(key = this.key) {
    const host = this.querySelector('#access-chart');
    if (!host) return;
    try {
      const series = (await gql(SERIES, { n: this.name, w: this.window })).accessSeries;
      if (!this.current(key)) return;
      await accessChart(host, series, this.window);
    } catch (e) {
      host.textContent = `Access metrics could not be charted: ${describe(e)}`;
    }
  }

  setWindow(e) {
    this.window = e.target.value;
    this.drawChart();
  }

  async act(what, doc, vars, after) {
    const key = this.key;
    this.actionError = null;
    this.notice = null;
    try {
      const data = await gql(doc, vars);
      if (!this.current(key)) return;
      this.notice = after(data);
      await this.load();
    } catch (e) {
      if (this.current(key)) this.actionError = `${what} failed: ${describe(e)}`;
    }
  }

  force(e) {
    e.preventDefault();
    const f = new FormData(e.target);
    const strategy = f.get('strategy') || null;
    const until = f.get('until') ? new Date(f.get('until')).toISOString() : null;
    const { name, version } = this.g;
    this.act('Forcing the strategy', `mutation($g:String!, $v:Int, $s:Mode, $u:DateTime, $r:String) {
        forceStrategy(group:$g, version:$v, strategy:$s, until:$u, reason:$r) { forced servedAs } }`,
    { g: name, v: version, s: strategy, u: until, r: f.get('reason') || null },
    (d) => (strategy ? `Forced ${strategy.toLowerCase()}; now served ${String(d.forceStrategy.servedAs).toLowerCase()}.` : 'The override is cleared.'));
  }

  apply() {
    const { name, version } = this.g;
    this.act('Applying the recommendation', 'mutation($g:String!, $v:Int) { applyRecommendation(group:$g, version:$v) { decided servedAs fillState } }',
      { g: name, v: version },
      (d) => `Applied: decided ${String(d.applyRecommendation.decided).toLowerCase()}, served ${String(d.applyRecommendation.servedAs).toLowerCase()}.`);
  }

  deprecate() {
    const { name, version } = this.g;
    if (!confirm(`Deprecate ${name} v${version}? Readers will be warned that it is going away.`)) return;
    this.act('Deprecating', 'mutation($g:String!, $v:Int) { deprecateFeatureGroup(name:$g, version:$v) { version status } }',
      { g: name, v: version }, () => `${name} v${version} is deprecated.`);
  }

  async materialize(e) {
    e.preventDefault();
    const f = new FormData(e.target);
    const key = this.key;
    const { name, version } = this.g;
    const signal = this.leaving.signal;
    this.actionError = null;
    this.notice = null;
    try {
      const start = new Date(f.get('start')).toISOString();
      const end = new Date(f.get('end')).toISOString();
      const job = (await gql(`mutation($g:String!, $v:Int, $s:DateTime!, $e:DateTime!) { materialize(group:$g, version:$v, start:$s, end:$e) { id status } }`,
        { g: name, v: version, s: start, e: end })).materialize;
      if (!this.current(key)) return;
      this.live = { id: job.id, status: job.status, rowsRead: 0 };
      const last = await followJob(job.id, name, version, (j) => { this.live = j; }, signal);
      if (!this.current(key) || signal.aborted) return;
      this.notice = last && last.status === 'SUCCEEDED' ? `Materialization job ${job.id} succeeded: ${num(last.rowsRead)} rows read.` : null;
      if (last && last.status === 'FAILED') this.actionError = `Materialization job ${job.id} failed: ${last.error || 'no reason given'}`;
      if (!last || !['SUCCEEDED', 'FAILED'].includes(last.status)) this.actionError = `Materialization job ${job.id} is still ${last ? last.status : 'queued'}: see its state under Materialization jobs.`;
      this.load();
    } catch (err) {
      if (this.current(key)) this.actionError = `Materialization failed: ${describe(err)}`;
    }
  }

  renderSchema(g) {
    const stats = Object.fromEntries(((g.statistics && g.statistics.features) || []).map((s) => [s.name, s]));
    const rows = g.statistics ? Number(g.statistics.rowCount) : 0;
    return html`<section aria-labelledby="h-schema"><h2 id="h-schema">Schema</h2>
      <div class="scroll"><table id="schema"><thead><tr><th>Feature</th><th>Type</th><th>Constraints</th><th>Unit</th><th>Description</th><th>Nulls</th><th>Min</th><th>Max</th></tr></thead>
      <tbody>${g.features.map((f) => {
        const s = stats[f.name];
        const constraints = [f.nullable ? 'nullable' : 'not null', f.min !== null && f.min !== undefined ? `≥ ${f.min}` : '',
          f.max !== null && f.max !== undefined ? `≤ ${f.max}` : '', f.allowedValues && f.allowedValues.length ? `one of ${f.allowedValues.join(', ')}` : ''].filter(Boolean).join(', ');
        return html`<tr><td><a href=${link.feature(f.reference)}>${f.name}</a></td><td>${f.dataType}</td><td>${constraints}</td><td>${f.unit || ''}</td>
          <td>${f.description || ''}${f.expression ? html`<br><code>${f.expression}</code>` : nothing}</td>
          <td>${s && rows ? `${num((100 * Number(s.nullCount)) / rows, 1)} %` : '–'}</td><td>${s ? s.min ?? '–' : '–'}</td><td>${s ? s.max ?? '–' : '–'}</td></tr>`;
      })}</tbody></table></div>
      ${g.statistics ? html`<p class="note">Statistics over ${num(g.statistics.rowCount)} rows, computed ${ago(g.statistics.computedAt)}.</p>`
        : html`<p class="note">No statistics yet: a writer computes them from the stored data with <code>refreshFeatures</code>.</p>`}</section>`;
  }

  renderStrategy(g, d) {
    const s = g.strategy;
    const rec = d.recommendation;
    return html`<section aria-labelledby="h-strategy"><h2 id="h-strategy">Serving strategy</h2>
      <p id="strategy-now">Mode <span class="badge ${modeBadge(g.mode)}">${g.mode}</span>, served
        <span class="badge ${modeBadge(g.servedAs)}" id="served-as">${g.servedAs || '–'}</span>
        ${s && s.forced ? html`, <strong id="forced">forced ${s.forced.toLowerCase()}</strong>${s.forcedUntil ? ` until ${when(s.forcedUntil)}` : ''}${s.forcedReason ? html` because “${s.forcedReason}”` : nothing}` : nothing}</p>
      ${s && g.mode === 'HYBRID' ? html`<p>${s.reason || ''}</p><dl class="facts">
        <dt>Decided</dt><dd>${s.decided || '–'} ${s.decidedAt ? `(${ago(s.decidedAt)})` : ''}</dd>
        <dt>Stored data</dt><dd>${s.fillState || '–'}${s.fillMillis ? `, filled in ${ms(s.fillMillis)}` : ''}${s.storedUntil ? `, kept until ${when(s.storedUntil)}` : ''}</dd></dl>
        ${s.inputs && s.inputs.length ? html`<details><summary>Inputs of the decision</summary><dl class="facts">${s.inputs.map((i) => html`<dt>${i.name}</dt><dd>${i.value}</dd>`)}</dl></details>` : nothing}` : nothing}
      ${rec ? html`<h3>Recommendation</h3><p id="recommendation"><strong>${rec.recommended}</strong>${rec.change ? ' (a change)' : ' (no change)'}: ${rec.reason}</p>
        <table class="compact"><thead><tr><th></th><th>Now</th><th>After</th></tr></thead><tbody>
          <tr><td>Read time</td><td>${ms(rec.readMsNow)}</td><td>${ms(rec.readMsAfter)}</td></tr>
          <tr><td>Bytes stored</td><td>${bytes(rec.bytesStoredNow)}</td><td>${bytes(rec.bytesStoredAfter)}</td></tr>
          <tr><td>Compute per day</td><td>${ms(rec.computeMsPerDayNow)}</td><td>${ms(rec.computeMsPerDayAfter)}</td></tr></tbody></table>
        ${rec.version !== g.version ? html`<p class="note">For the latest version, v${rec.version}.</p>` : nothing}
        ${rec.change && rec.howToApply ? html`<p class="note" id="how-to-apply">${rec.howToApply}</p>` : nothing}` : nothing}
      ${d.history && d.history.length ? html`<h3>History</h3><ol class="history" id="history">${d.history.map((h) => html`<li>
        <time>${when(h.at)}</time> <strong>${h.kind}</strong> ${h.from || ''}${h.to ? ` → ${h.to}` : ''}: ${h.reason}</li>`)}</ol>` : nothing}
    </section>`;
  }

  renderActions(g, d) {
    const admin = may(this.me, 'ADMIN');
    const writer = may(this.me, 'WRITER');
    if (!admin && !writer) return nothing;
    const now = new Date();
    const local = (t) => new Date(t.getTime() - t.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
    return html`<section aria-labelledby="h-actions" id="actions"><h2 id="h-actions">Operator actions</h2>
      ${admin && g.strategy && g.strategy.selectable ? html`<form class="action" id="force-form" @submit=${this.force}>
        <h3>Force a strategy</h3>
        <div class="field"><label for="a-strategy">Strategy</label><select id="a-strategy" name="strategy">
          <option value="MATERIALIZED">MATERIALIZED</option><option value="VIRTUALIZED">VIRTUALIZED</option><option value="">none (clear the override)</option></select></div>
        <div class="field grow"><label for="a-reason">Reason</label><input id="a-reason" name="reason" placeholder="why, for the history"></div>
        <div class="field"><label for="a-until">Until (optional)</label><input id="a-until" name="until" type="datetime-local"></div>
        <div class="field"><button type="submit">Force</button></div></form>` : nothing}
      ${admin && d.recommendation && d.recommendation.change && g.strategy && g.strategy.selectable && d.recommendation.version === g.version
        ? html`<p><button id="apply-recommendation" @click=${this.apply}>Apply the recommendation (${d.recommendation.recommended})</button></p>` : nothing}
      ${writer && g.onlineEnabled ? html`<form class="action" id="materialize-form" @submit=${this.materialize}>
        <h3>Materialize into the online store</h3>
        <div class="field"><label for="a-start">From</label><input id="a-start" name="start" type="datetime-local" required .value=${local(new Date(now.getTime() - 30 * 86400000))}></div>
        <div class="field"><label for="a-end">To</label><input id="a-end" name="end" type="datetime-local" required .value=${local(now)}></div>
        <div class="field"><button type="submit">Materialize</button></div></form>` : nothing}
      ${this.live ? html`<p id="job-progress" aria-live="polite">Job ${this.live.id}: ${this.live.status}, ${num(this.live.rowsRead)} rows read${this.live.entities ? `, ${num(this.live.entities)} entities` : ''}</p>` : nothing}
      ${admin && g.status !== 'DEPRECATED' ? html`<p><button class="danger" id="deprecate" @click=${this.deprecate}>Deprecate this version</button></p>` : nothing}
    </section>`;
  }

  render() {
    if (this.error) return html`<h1>${this.name}</h1><p class="error" role="alert">${describe(this.error)}</p>`;
    const g = this.g;
    if (!g) return html`<p class="loading">Loading ${this.name}…</p>`;
    const d = this.d || {};
    const diff = changes(this.prev, g);
    return html`
      <nav class="crumbs" aria-label="Breadcrumb"><a href="#/">Catalog</a> › ${g.name}</nav>
      <h1>${g.name} <small>v${g.version}${g.latest ? ' (latest)' : ''}</small>
        <span class="badge ${modeBadge(g.mode)}">${g.mode}</span> ${g.status === 'DEPRECATED' ? html`<span class="badge deprecated">deprecated</span>` : nothing}</h1>
      <p class="lede">${g.description || html`<em>No description</em>`}</p>
      ${this.notice ? html`<p class="notice" role="status" id="notice">${this.notice}</p>` : nothing}
      ${this.actionError ? html`<p class="error" role="alert" id="action-error">${this.actionError}</p>` : nothing}
      ${(d.errors || []).filter((e) => e.code !== 'INVALID_ARGUMENT').map((e) => html`<p class="error" role="alert">${describe(e)}</p>`)}
      <div class="grid">
        <section aria-labelledby="h-about"><h2 id="h-about">About</h2><dl class="facts">
          <dt>Owner</dt><dd>${g.owner || '–'}${g.ownerTeam ? ` (team ${g.ownerTeam})` : ''}</dd>
          <dt>Entity keys</dt><dd id="entity-keys">${(g.entityKeys || []).map((k) => `${k.name} (${k.valueType})`).join(', ')}</dd>
          <dt>Entities</dt><dd>${(g.entityNames || []).join(', ')}</dd>
          <dt>TTL</dt><dd>${duration(g.ttlSeconds)}</dd>
          <dt>Event time</dt><dd>${g.eventTimestampColumn || '–'}</dd>
          <dt>Stores</dt><dd>${[g.offlineEnabled ? 'offline' : '', g.onlineEnabled ? 'online' : ''].filter(Boolean).join(' and ') || 'none'}</dd>
          <dt>Last data</dt><dd>${ago(g.lastDataUpdateAt)}</dd>
          <dt>Tags</dt><dd>${(g.tags || []).join(', ') || '–'}</dd>
          ${(g.metadata || []).map((m) => html`<dt>${m.key}</dt><dd>${m.value}</dd>`)}
          <dt>Versions</dt><dd>${(g.versions || []).map((v) => html`<a href=${link.group(g.name, v)} aria-current=${v === g.version ? 'page' : 'false'}>v${v}</a> `)}</dd>
        </dl>
        ${this.prev ? html`<h3>Changed since v${this.prev.version}</h3>${diff.length ? html`<ul id="changes">${diff.map((c) => html`<li>${c}</li>`)}</ul>` : html`<p>Nothing in the definition.</p>`}` : nothing}
        </section>
        ${this.renderStrategy(g, d)}
      </div>
      ${this.renderActions(g, d)}
      ${this.renderSchema(g)}
      <section aria-labelledby="h-lineage"><h2 id="h-lineage">Lineage</h2>
        <p class="note">Sources on the left, this group's features in the middle, features and services derived from them on the right. Click a node to open it.</p>
        <div id="lineage" class="graph" role="group" aria-label="Lineage graph of ${g.name}">Drawing…</div></section>
      ${g.queryTemplate ? html`<section aria-labelledby="h-template"><h2 id="h-template">Query template</h2>
        <p>Reads ${(g.queryTemplate.sources || []).join(', ') || g.queryTemplate.source || '–'}${g.virtualTable ? html`; queryable as the virtual table <code>${g.virtualTable}</code>` : nothing}.</p>
        <pre id="template-sql"><code>${g.queryTemplate.sql || g.queryTemplate.source}</code></pre>
        ${this.sources && this.sources.length ? html`<div class="scroll"><table id="sources"><thead><tr><th>Data source</th><th>Layer</th><th>Format</th><th>Files</th><th>Size</th><th>Rows (estimate)</th><th>Listed</th></tr></thead><tbody>
          ${this.sources.map((d) => html`<tr><td>${d.name}<br><small><code>${d.location}</code></small></td><td>${d.layer}</td><td>${d.format}</td><td>${num(d.files)}</td><td>${bytes(d.bytes)}</td><td>${num(d.rowEstimate)}</td><td>${ago(d.refreshedAt)}</td></tr>`)}</tbody></table></div>` : nothing}
        ${g.queryTemplate.parameters && g.queryTemplate.parameters.length ? html`<p>Parameters: ${g.queryTemplate.parameters.map((p) => `${p.name} (${p.type}${p.defaultValue !== null && p.defaultValue !== undefined ? `, default ${p.defaultValue}` : ''})`).join('; ')}</p>` : nothing}</section>` : nothing}
      <section aria-labelledby="h-access"><h2 id="h-access">Access</h2>
        ${d.metrics ? html`<p>Last day: ${num(d.metrics.reads)} reads (${num(d.metrics.readsMaterialized)} from stored data, ${num(d.metrics.readsVirtualized)} computed), ${num(d.metrics.writes)} writes, ${num(d.metrics.errors)} errors;
          cache hit rate ${d.metrics.cacheHitRate === null ? '–' : `${num(100 * d.metrics.cacheHitRate, 1)} %`}; last access ${ago(d.metrics.lastAccess)}; ${bytes(d.metrics.bytesOffline)} offline${d.metrics.bytesOnline !== null ? `, ${bytes(d.metrics.bytesOnline)} online` : ''}.</p>` : nothing}
        <div class="field"><label for="window">Window</label><select id="window" @change=${this.setWindow}>
          <option value="LAST_HOUR" ?selected=${this.window === 'LAST_HOUR'}>last hour, by minute</option>
          <option value="LAST_DAY" ?selected=${this.window === 'LAST_DAY'}>last day, by hour</option>
          <option value="LAST_WEEK" ?selected=${this.window === 'LAST_WEEK'}>last week, by hour</option></select></div>
        <div id="access-chart" class="chart" role="img" aria-label="Reads and latency over time"></div></section>
      <div class="grid">
        <section aria-labelledby="h-snapshots"><h2 id="h-snapshots">Snapshots</h2>
          ${d.snapshots && d.snapshots.length ? html`<div class="scroll"><table id="snapshots"><thead><tr><th>Id</th><th>Operation</th><th>Committed</th><th>Rows</th><th>Size</th><th>Event times</th></tr></thead><tbody>
            ${d.snapshots.map((s) => html`<tr><td>${s.id}</td><td>${s.operation}</td><td>${when(s.committedAt)}</td><td>${num(s.rowCount)}</td><td>${bytes(s.bytes)}</td><td>${when(s.minEventTime)} – ${when(s.maxEventTime)}</td></tr>`)}</tbody></table></div>`
            : html`<p>No snapshots: nothing has been written offline.</p>`}</section>
        <section aria-labelledby="h-jobs"><h2 id="h-jobs">Materialization jobs</h2>
          ${d.jobs && d.jobs.length ? html`<div class="scroll"><table id="jobs"><thead><tr><th>Id</th><th>Kind</th><th>Status</th><th>Rows</th><th>Started</th><th>Took</th></tr></thead><tbody>
            ${d.jobs.map((j) => html`<tr title=${j.error || ''}><td>${j.id}</td><td>${j.kind}</td><td>${j.status}</td><td>${num(j.rowsRead)}</td><td>${when(j.startedAt || j.createdAt)}</td><td>${ms(j.durationMs)}</td></tr>`)}</tbody></table></div>`
            : html`<p>No materialization jobs.</p>`}</section>
      </div>
      <section aria-labelledby="h-config"><h2 id="h-config">Effective configuration</h2>
        <div class="scroll"><table id="config"><thead><tr><th>Setting</th><th>Value</th><th>From</th></tr></thead><tbody>
        ${(g.effectiveConfig || []).map((c) => html`<tr><td><code>${c.key}</code></td><td>${c.value}</td><td>${c.source}${c.note ? html`<br><small>${c.note}</small>` : nothing}</td></tr>`)}</tbody></table></div></section>`;
  }
}
customElements.define('qv-group', QvGroup);
