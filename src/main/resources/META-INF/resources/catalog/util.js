// Formatting and routing helpers shared by the catalog's views.

export function ago(iso) {
  if (!iso) return 'never';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (s < 0) return 'in the future';
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 129600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

export function bytes(n) {
  if (n === null || n === undefined) return '–';
  const v = Number(n);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let x = v;
  while (x >= 1024 && i < units.length - 1) { x /= 1024; i++; }
  return `${i ? x.toFixed(1) : x} ${units[i]}`;
}

export function num(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '–';
  return Number(n).toLocaleString('en', { maximumFractionDigits: digits });
}

export function ms(n) {
  return n === null || n === undefined ? '–' : `${num(n, n < 10 ? 2 : 1)} ms`;
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const s = Number(seconds);
  if (s === 0) return 'none';
  if (s % 86400 === 0) return `${s / 86400} days`;
  if (s % 3600 === 0) return `${s / 3600} h`;
  if (s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}

export function when(iso) {
  return iso ? new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/:00Z$/, 'Z') : '–';
}

/** The current route from the location hash: #/, #/?q=..., #/group/NAME, #/group/NAME/v/2, #/feature/GROUP.FEATURE */
export function parseRoute() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query] = hash.split('?');
  const params = Object.fromEntries(new URLSearchParams(query || ''));
  const decode = (x) => {
    try {
      return decodeURIComponent(x);
    } catch (e) {
      return x; // a malformed link shows "not found" for what it names rather than a blank page
    }
  };
  const parts = path.split('/').filter(Boolean).map(decode);
  if (parts[0] === 'group' && parts[1]) return { view: 'group', name: parts[1], version: parts[2] === 'v' ? Number(parts[3]) : null, params };
  if (parts[0] === 'feature' && parts[1]) return { view: 'feature', ref: parts[1], params };
  return { view: 'search', params };
}

export const link = {
  group: (name, version) => `#/group/${encodeURIComponent(name)}${version ? `/v/${version}` : ''}`,
  feature: (ref) => `#/feature/${encodeURIComponent(ref)}`,
  search: (params) => {
    const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v !== null && v !== undefined)).toString();
    return `#/${q ? `?${q}` : ''}`;
  },
};

/** Whether the caller holds a role (ADMIN includes WRITER includes READER); an open instance allows everything. */
export function may(me, role) {
  if (!me) return false;
  if (me.open) return true;
  const rank = { READER: 1, WRITER: 2, ADMIN: 3 };
  return (me.roles || []).some((r) => rank[r] >= rank[role]);
}

export function modeBadge(mode) {
  return mode ? mode.toLowerCase() : 'unknown';
}

/** What changed from one version's definition to the next: features added, removed or changed, and group settings. */
export function changes(before, after) {
  if (!before) return [];
  const out = [];
  const old = Object.fromEntries(before.features.map((f) => [f.name, f]));
  const now = Object.fromEntries(after.features.map((f) => [f.name, f]));
  for (const f of after.features) {
    const o = old[f.name];
    if (!o) out.push(`added feature ${f.name} (${f.dataType})`);
    else {
      for (const k of ['dataType', 'description', 'unit', 'nullable', 'min', 'max', 'expression']) {
        if (JSON.stringify(o[k]) !== JSON.stringify(f[k])) out.push(`${f.name}: ${k} ${JSON.stringify(o[k])} → ${JSON.stringify(f[k])}`);
      }
    }
  }
  for (const f of before.features) if (!now[f.name]) out.push(`removed feature ${f.name}`);
  for (const k of ['description', 'ttlSeconds', 'owner', 'mode', 'onlineEnabled', 'offlineEnabled']) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) out.push(`${k}: ${JSON.stringify(before[k])} → ${JSON.stringify(after[k])}`);
  }
  if (JSON.stringify(before.tags) !== JSON.stringify(after.tags)) out.push(`tags: ${(before.tags || []).join(', ')} → ${(after.tags || []).join(', ')}`);
  return out;
}

/** A feature reference's parts: group.feature, or group@version.feature for one version. */
export function parseRef(ref) {
  const m = /^([^.@]+)(?:@(\d+))?\.(.+)$/.exec(ref || '');
  return m ? { group: m[1], version: m[2] ? Number(m[2]) : undefined, feature: m[3] } : null;
}

/** The snippets that fetch a feature, for the page's copy buttons. */
export function snippets(origin, ref, keys) {
  const entity = Object.fromEntries(keys.map((k) => [k.name, ['STRING'].includes(k.valueType) ? 'id-1' : 1]));
  const feast = ref.replace('.', ':');
  const gqlQuery = `{ onlineFeatures(features: ["${ref}"], entities: [${JSON.stringify(entity).replace(/"(\w+)":/g, '$1: ')}]) { columns { name values statuses } } }`;
  return {
    graphql: gqlQuery,
    online: `curl -s ${origin}/get-online-features -H 'Content-Type: application/json' -H "X-API-Key: $QUIVER_KEY" \\\n  -d '${JSON.stringify({ features: [feast], entities: Object.fromEntries(Object.entries(entity).map(([k, v]) => [k, [v]])) })}'`,
    training: `# entities.parquet: one row per label, columns ${keys.map((k) => k.name).join(', ')} and event_timestamp\n`
      + `curl -s "${origin}/api/v1/historical-features?features=${encodeURIComponent(ref)}" -H "X-API-Key: $QUIVER_KEY" \\\n`
      + `  -H 'Content-Type: application/vnd.apache.parquet' -H 'Accept: application/vnd.apache.parquet' \\\n`
      + '  --data-binary @entities.parquet -o training.parquet',
  };
}
