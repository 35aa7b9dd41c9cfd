// Access metrics over time, drawn by Apache ECharts; loaded only when a page shows a chart.
let echarts;
const charts = new WeakMap();

window.addEventListener('resize', () => document.querySelectorAll('.chart').forEach((el) => charts.get(el) && charts.get(el).resize()));

const READ_PATHS = ['ONLINE', 'HISTORICAL', 'HISTORICAL_SPARK', 'VIRTUAL_TABLE'];

/** Reads (from stored data and computed), errors and the slowest read path's p99 per bucket. */
export async function accessChart(host, series, window) {
  if (!echarts) echarts = await import('echarts/dist/echarts.esm.min.js');
  let chart = charts.get(host);
  if (!chart) {
    chart = echarts.init(host, null, { renderer: 'svg' });
    charts.set(host, chart);
  }
  const label = (iso) => {
    const d = new Date(iso);
    const hm = d.toISOString().slice(11, 16);
    return window === 'LAST_HOUR' ? hm : window === 'LAST_DAY' ? hm : `${d.toISOString().slice(5, 10)} ${hm}`;
  };
  const p99 = (pt) => {
    const values = pt.paths.filter((p) => READ_PATHS.includes(p.path) && p.p99Ms !== null).map((p) => p.p99Ms);
    return values.length ? Math.max(...values) : null;
  };
  chart.setOption({
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 56, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: series.map((p) => label(p.from)) },
    yAxis: [{ type: 'value', name: 'accesses', minInterval: 1 }, { type: 'value', name: 'p99 ms' }],
    series: [
      { name: 'from stored data', type: 'bar', stack: 'reads', data: series.map((p) => p.readsMaterialized), color: '#2f5bd3' },
      { name: 'computed from the lake', type: 'bar', stack: 'reads', data: series.map((p) => p.readsVirtualized), color: '#b7891b' },
      { name: 'writes', type: 'bar', data: series.map((p) => p.writes), color: '#3c8d40' },
      { name: 'errors', type: 'bar', data: series.map((p) => p.errors), color: '#b00020' },
      { name: 'read p99', type: 'line', yAxisIndex: 1, connectNulls: true, data: series.map(p99), color: '#444' },
    ],
  }, true);
  host.dataset.points = String(series.length);
  host.dataset.reads = String(series.reduce((a, p) => a + Number(p.reads), 0));
}
