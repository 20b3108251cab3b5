#!/usr/bin/env node
/*
 * bench_page_load.mjs: how long a survey page takes to become usable on a
 * slow mobile link, in Debian's Chromium with its network emulation
 * (DevTools' Network.emulateNetworkConditions: 300 ms round trip, about
 * 250 kbit/s each way, roughly a poor 2G/EDGE connection). A step of
 * `make bench` (through tools/bench_page_load.step.sh), not a test: it
 * asserts nothing.
 *
 * Each run is a first visit (a fresh browser context: empty cache, new
 * connections) to /e/satisfaccion?p=mercado-municipal, then a second visit
 * in the same context (style sheet and script from the cache). Reports the
 * median and worst of BENCH_PAGE_RUNS runs (default 5) of the time to
 * the first paint of content (the page with its style sheet: the form can
 * be read and answered), to DOMContentLoaded (the script has run too) and
 * to load, and the bytes transferred.
 *
 *   node tools/bench_page_load.mjs          a table on stdout
 *   node tools/bench_page_load.mjs --rows   "measure|value|reference|ratio|target"
 *                                           lines for tools/bench.sh
 *
 * Uses tests/e2e's lib.mjs and node_modules (make bench installs them) and
 * $BUZON_BIN (default build/buzon).
 */
import { startServer, launchBrowser } from '../tests/e2e/lib.mjs';

const PATH = '/e/satisfaccion?p=mercado-municipal';
const RUNS = Number(process.env.BENCH_PAGE_RUNS || 5);
const LINK = { offline: false, latency: 300, downloadThroughput: 31250, uploadThroughput: 31250 };

/* Navigate and read the navigation's timing and the bytes of everything
 * the page loaded. */
async function visit(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  return page.evaluate(async () => {
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    /* The paint entry can be reported a little after load. */
    const fcp = await new Promise((resolve) => new PerformanceObserver((list, obs) => {
      const e = list.getEntriesByName('first-contentful-paint')[0];
      if (e) { obs.disconnect(); resolve(e.startTime); }
    }).observe({ type: 'paint', buffered: true }));
    return {
      fcp,
      dcl: nav.domContentLoadedEventEnd - nav.startTime,
      load: nav.loadEventEnd - nav.startTime,
      bytes: nav.transferSize + res.reduce((n, r) => n + r.transferSize, 0),
    };
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => Math.round(x);

const srv = await startServer();
const browser = await launchBrowser();
const first = [];
const again = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', LINK);
    first.push(await visit(page, `${srv.url}${PATH}`));
    again.push(await visit(page, `${srv.url}${PATH}`));
    await ctx.close();
  }
} finally {
  await browser.close();
  await srv.stop();
}

/* "median (worst)" of one timing over the runs, for first paint,
 * DOMContentLoaded and load. */
const timings = (runs) => ['fcp', 'dcl', 'load'].map((k) => ms(median(runs.map((r) => r[k])))).join(' / ');
const worst = (runs) => ['fcp', 'dcl', 'load'].map((k) => ms(Math.max(...runs.map((r) => r[k])))).join(' / ');
const rows = [
  [`survey page on 2G (300 ms RTT, 250 kbit/s), first visit: first paint / DOMContentLoaded / load, ms, median of ${RUNS}`,
    timings(first), `worst ${worst(first)}`, '', ''],
  ['  bytes transferred, first visit (HTML, CSS, JS)', `${median(first.map((r) => r.bytes))}`, '', '', ''],
  [`survey page on 2G, repeat visit (CSS, JS cached): first paint / DOMContentLoaded / load, ms, median of ${RUNS}`,
    timings(again), `worst ${worst(again)}`, '', ''],
];
if (process.argv.includes('--rows')) {
  for (const r of rows) console.log(r.join('|'));
} else {
  for (const r of rows) console.log(`${r[0]}: ${r[1]}${r[2] ? ` (${r[2]})` : ''}`);
}
