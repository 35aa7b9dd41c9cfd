// The lineage graph, drawn by Graphviz (viz-js, WebAssembly) from a DOT description; loaded only when a page needs it.
import { link } from './util.js';

let viz;

function quote(s) {
  return `"${String(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The DOT text of a group's lineage: sources -> group -> its features -> what derives from them. */
/** downstream: per feature (in order, the first 40), its lineage answer or null. */
export function lineageDot(group, downstream) {
  const lines = ['digraph lineage {', 'rankdir=LR; bgcolor="transparent";',
    'node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, color="#8a94a6", fillcolor="#ffffff"];',
    'edge [color="#8a94a6", arrowsize=0.7];'];
  const seen = new Set();
  const node = (id, label, attrs) => {
    if (seen.has(id)) return;
    seen.add(id);
    lines.push(`${quote(id)} [label=${quote(label)}, ${attrs}];`);
  };
  const gid = `group:${group.name}`;
  node(gid, `${group.name} v${group.version}`, `fillcolor="#dbe7ff", color="#2f5bd3", penwidth=1.5, URL=${quote(link.group(group.name, group.version))}, tooltip=${quote('feature group ' + group.name)}`);
  // features name datasets as layer.name, a template's sources may name them bare: one node per dataset
  const named = [...(group.queryTemplate && group.queryTemplate.sources ? group.queryTemplate.sources : [])];
  group.features.forEach((f) => (f.sourceDatasets || []).forEach((d) => named.push(d)));
  // a bare name is dropped where a layer.name of it is drawn; layer.names of different layers stay apart
  const dotted = named.filter((d) => d.includes('.'));
  const datasets = new Set(named.filter((d) => d.includes('.') || !dotted.some((x) => x.endsWith(`.${d}`))));
  for (const d of datasets) {
    node(`ds:${d}`, d, `shape=cylinder, fillcolor="#fff4d6", color="#b7891b", tooltip=${quote('dataset ' + d)}`);
    lines.push(`${quote(`ds:${d}`)} -> ${quote(gid)};`);
  }
  group.features.slice(0, 40).forEach((f, i) => {
    const fid = `f:${f.reference}`;
    node(fid, `${f.name} : ${f.dataType}`, `URL=${quote(link.feature(f.reference))}, tooltip=${quote(f.reference)}`);
    lines.push(`${quote(gid)} -> ${quote(fid)} [arrowhead=none, style=dashed];`);
    for (const u of f.sourceFeatures || []) {
      node(`f:${u}`, u, `fillcolor="#eef7ee", color="#3c8d40", URL=${quote(link.feature(u))}`);
      lines.push(`${quote(`f:${u}`)} -> ${quote(fid)};`);
    }
    const l = downstream[i];
    for (const d of (l && l.downstreamFeatures) || []) {
      node(`f:${d}`, d, `fillcolor="#eef7ee", color="#3c8d40", URL=${quote(link.feature(d))}`);
      lines.push(`${quote(fid)} -> ${quote(`f:${d}`)};`);
    }
    for (const s of (l && l.featureServices) || []) {
      node(`svc:${s}`, `service ${s}`, 'shape=component, fillcolor="#f3e8ff", color="#7b3fbf"');
      lines.push(`${quote(fid)} -> ${quote(`svc:${s}`)};`);
    }
  });
  if (group.features.length > 40) {
    node('more', `… ${group.features.length - 40} more features`, 'style=dashed');
    lines.push(`${quote(gid)} -> "more" [arrowhead=none, style=dashed];`);
  }
  lines.push('}');
  return lines.join('\n');
}

/** Draws a group's lineage into host as SVG; the nodes link to their pages. */
export async function lineageGraph(host, group, downstream) {
  if (!viz) viz = await (await import('@viz-js/viz')).instance();
  const svg = viz.renderSVGElement(lineageDot(group, downstream));
  host.replaceChildren(svg);
  host.dataset.nodes = String(svg.querySelectorAll('g.node').length);
}
