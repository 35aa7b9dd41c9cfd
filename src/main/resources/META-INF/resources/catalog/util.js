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
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
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
