// Drives the feature catalog in headless Chromium for CatalogBrowserTest and CatalogFirstPaintTest: node catalog.mjs
// SCENARIO BASE_URL OUT_DIR ARGS_JSON. Each scenario acts like a person (types, clicks, presses keys), waits for what
// a person would wait for, and prints what was on the screen as one line "RESULT {json}", which the Java test checks.
import { chromium } from 'playwright-core';

const [scenario, base, out, argsJson] = process.argv.slice(2);
const args = JSON.parse(argsJson || '{}');
const WAIT = 20000;

const browser = await chromium.launch({
  executablePath: process.env.QUIVER_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const problems = [];
let current; // the page a scenario is on, for a screenshot when it fails

async function newPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  current = page;
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  return page;
}

const text = async (page, selector) => (await page.locator(selector).first().innerText()).trim();
const shot = (page, name) => page.screenshot({ path: `${out}/${name}.png`, fullPage: true });

async function useKey(page, key) {
  if (await page.locator('header button.link').count()) await page.click('header button.link'); // forget the previous key
  await page.fill('#api-key', key);
  await page.press('#api-key', 'Enter');
  await page.waitForSelector('#who');
}

async function groupPage(page, name) {
  await page.goto(`${base}/#/group/${encodeURIComponent(name)}`);
  // the same page element shows the next group: wait for its name, not for a table the previous one also had
  await page.waitForFunction((n) => (document.querySelector('main h1') || {}).textContent?.startsWith(`${n} `), name);
  await page.waitForSelector('#schema tbody tr');
  await page.waitForSelector('#lineage svg');
}

const scenarios = {
  /** The catalog's first page on a registry of many groups: how long until results show, then keyboard and phone. */
  async firstPaint() {
    // a person's browser is already running: visits in another context (its own cache) start Chromium's renderer
    // and network processes; then three measured visits, each with an empty cache
    const warm = await newPage();
    await warm.goto(`${base}/`);
    await warm.waitForSelector('#results .result');
    // and the service has served the catalog before (a just-started JVM runs its first requests in the interpreter)
    for (let i = 0; i < 15; i++) {
      await warm.reload();
      await warm.waitForSelector('#results .result');
    }
    await warm.context().close();
    const visits = [];
    let page;
    for (let i = 0; i < 3; i++) {
      if (page) await page.context().close();
      page = await newPage();
      await page.goto(`${base}/`);
      await page.waitForSelector('#results .result');
      visits.push(await page.evaluate(() => ({
        firstResultsMs: window.__qvFirstResults,
        firstContentfulPaintMs: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime,
        domContentLoadedMs: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
        graphqlMs: performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/graphql')).map((e) => Math.round(e.responseEnd - e.startTime)),
      })));
    }
    // the median visit of three, each with an empty cache
    const timing = [...visits].sort((a, b) => a.firstResultsMs - b.firstResultsMs)[1];
    timing.visitsMs = visits.map((v) => Math.round(v.firstResultsMs));
    const count = await text(page, '#count');
    const shown = await page.locator('#results .result').count();
    await shot(page, 'catalog');
    // keyboard: tab to the first result's link and press Enter
    let focused = '';
    for (let i = 0; i < 40 && !focused.startsWith('#/group/'); i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => (document.activeElement && document.activeElement.getAttribute('href')) || '');
    }
    await page.keyboard.press('Enter');
    await page.waitForSelector('#schema');
    const afterEnter = new URL(page.url()).hash;
    // a phone's width: nothing wider than the screen
    const phone = await newPage({ width: 390, height: 844 });
    await phone.goto(`${base}/`);
    await phone.waitForSelector('#results .result');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await shot(phone, 'catalog-phone');
    return { ...timing, count, shown, focused, afterEnter, phoneOverflowPx: overflow };
  },

  /** The demo's pages, for the screenshots in docs/ and to see that charts, graphs and statistics draw. */
  async demoPages() {
    const page = await newPage();
    await page.goto(`${base}/`);
    await page.waitForSelector('#results .result');
    const demoGroups = await text(page, '#count');
    await shot(page, 'demo-catalog');
    await groupPage(page, args.hybrid);
    await page.waitForSelector('#access-chart svg');
    const hybridStrategy = await text(page, '#strategy-now');
    await page.waitForSelector('#sources tbody tr');
    const sources = await text(page, '#sources');
    await shot(page, 'demo-hybrid-group');
    await groupPage(page, args.group);
    await page.waitForSelector('#access-chart svg');
    const lineageNodes = Number(await page.getAttribute('#lineage', 'data-nodes'));
    await shot(page, 'group');
    // materialize: the job's progress comes over the GraphQL WebSocket (the instance is open) until it succeeds
    const sockets = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.click('#materialize-form button[type=submit]');
    await page.waitForSelector('#job-progress');
    await page.waitForFunction(() => /SUCCEEDED|FAILED/.test((document.querySelector('#job-progress') || {}).textContent || ''));
    const progress = await text(page, '#job-progress');
    await page.waitForSelector('#notice');
    const materialized = await text(page, '#notice');
    await page.waitForSelector('#jobs tbody tr');
    const jobs = await text(page, '#jobs');
    await page.goto(`${base}/#/feature/${encodeURIComponent(args.feature)}`);
    await page.waitForSelector('#statistics');
    const nullRate = await text(page, '#null-rate');
    await page.fill(`#k-${args.key}`, String(args.keyValue));
    await page.click('#lookup-form button[type=submit]');
    await page.waitForSelector('#lookup-result');
    const lookup = await text(page, '#lookup-result');
    await shot(page, 'feature');
    // a phone's width: the group and feature pages fit too (wide tables and graphs scroll inside their boxes)
    const phone = await newPage({ width: 390, height: 844 });
    await groupPage(phone, args.hybrid);
    const phoneGroupOverflowPx = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await shot(phone, 'group-phone');
    await phone.goto(`${base}/#/feature/${encodeURIComponent(args.feature)}`);
    await phone.waitForSelector('#statistics');
    const phoneFeatureOverflowPx = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    return { demoGroups, hybridStrategy, sources, lineageNodes, progress, materialized, jobs, sockets, nullRate, lookup,
      phoneGroupOverflowPx, phoneFeatureOverflowPx };
  },

  /** A secured catalog: a person without a key, a reader, then an admin acting on a hybrid group. */
  async secured() {
    const page = await newPage();
    await page.goto(`${base}/`);
    await page.waitForSelector('#key-needed');
    const withoutKey = await text(page, '#key-needed');

    await useKey(page, args.readerKey);
    const who = await text(page, '#who');
    await page.fill('#quick-search', args.search);
    await page.press('#quick-search', 'Enter');
    await page.waitForSelector('#results .result');
    await page.selectOption('#f-kind', 'features');
    await page.waitForSelector(`#results a[href="#/feature/${encodeURIComponent(args.feature)}"]`);
    const featureResults = await text(page, "#results");
    await shot(page, 'search');
    await page.click(`#results a[href="#/feature/${encodeURIComponent(args.feature)}"]`);
    await page.waitForSelector('#definition');
    const definition = await text(page, '#definition');
    const upstream = await text(page, '#feature-lineage');

    await groupPage(page, args.group);
    const schema = await text(page, '#schema');
    const lineageNodes = Number(await page.getAttribute('#lineage', 'data-nodes'));
    const lineageText = await page.locator('#lineage svg').textContent();
    const readerSeesActions = await page.locator('#actions').count();
    const readerSeesForce = await page.locator('#force-form').count();
    await shot(page, 'group-reader');

    // a writer may materialize (followed over the WebSocket, the key offered as a subprotocol) but not force, apply
    // or deprecate
    const writerSockets = [];
    page.on('websocket', (ws) => {
      writerSockets.push(ws.url());
      ws.on('framereceived', (f) => { if (String(f.payload).includes('"next"')) writerSockets.push('next'); });
    });
    await useKey(page, args.writerKey);
    await groupPage(page, args.group);
    const writerSees = { force: await page.locator('#force-form').count(), deprecate: await page.locator('#deprecate').count(),
      materialize: await page.locator('#materialize-form').count() };
    await page.fill('#a-start', '2025-12-01T00:00'); // the group's rows are of 2026-01-01
    await page.click('#materialize-form button[type=submit]');
    await page.waitForSelector('#notice');
    const writerMaterialized = await text(page, '#notice');

    await useKey(page, args.adminKey);
    await groupPage(page, args.hybrid);
    const adminSeesForce = await page.locator('#force-form').count();
    const servedBefore = await text(page, '#served-as');
    // an API error in words: forcing needs a reason
    await page.selectOption('#a-strategy', 'MATERIALIZED');
    await page.click('#force-form button[type=submit]');
    await page.waitForSelector('#action-error');
    const error = await text(page, '#action-error');
    await page.fill('#a-reason', args.reason);
    await page.click('#force-form button[type=submit]');
    await page.waitForSelector('#forced');
    const forced = await text(page, '#strategy-now');
    // the fill runs in the background: the page says MATERIALIZED once reads switch
    let servedAfter = await text(page, '#served-as');
    for (let i = 0; i < 60 && servedAfter !== 'MATERIALIZED'; i++) {
      await page.waitForTimeout(500);
      await page.reload();
      await page.waitForSelector('#served-as');
      servedAfter = await text(page, '#served-as');
    }
    const history = await text(page, '#history');
    await shot(page, 'group-admin');
    // deprecate, after confirming the browser's question
    await groupPage(page, args.group);
    page.once('dialog', (d) => d.accept());
    await page.click('#deprecate');
    await page.waitForSelector('h1 .badge.deprecated');
    const deprecated = await text(page, '#notice');
    const deprecateGone = await page.locator('#deprecate').count();
    return { withoutKey, who, featureResults, definition, upstream, schema, lineageNodes, lineageText, readerSeesActions, readerSeesForce,
      writerSees, writerMaterialized, writerSockets, adminSeesForce, servedBefore, error, forced, servedAfter, history, deprecated, deprecateGone };
  },
};

let result;
try {
  if (!scenarios[scenario]) throw new Error(`no scenario ${scenario}`);
  result = await scenarios[scenario]();
} catch (e) {
  const seen = current ? await current.locator('body').innerText().catch(() => '') : '';
  if (current) await current.screenshot({ path: `${out}/${scenario}-failure.png`, fullPage: true }).catch(() => {});
  result = { failure: `${e && e.stack ? e.stack : e}\n--- the page said:\n${seen.slice(0, 3000)}` };
} finally {
  await browser.close();
}
console.log(`RESULT ${JSON.stringify({ ...result, problems })}`);
