/*
 * share.test.mjs: issue 17 item 7, sharing. A survey page carries the
 * Open Graph tags a link preview reads (absolute addresses under
 * --base-url; the picture a PNG of the size it is) when WhatsApp's
 * preview fetches it, not for a phone; every page an icon, all but survey
 * pages the web manifest; /favicon.ico answers (an icon, not a 404); the
 * manifest is JSON of its content type, its icons exist at the sizes it
 * claims; Chromium finds the site installable ("add to home screen") on
 * the survey list and on a staff page. Prints the bytes the head gained.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as L from './lib.mjs';
import { staffLogin } from './pages.mjs';

let srv, browser;
before(async () => { srv = await L.startServer(); browser = await L.launchBrowser(); });
after(async () => { await browser?.close(); await srv?.stop(); });

/* A PNG's width and height (its IHDR chunk). */
function pngSize(buf) {
  assert.equal(buf.subarray(1, 4).toString('latin1'), 'PNG');
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}
async function get(path, headers = {}) {
  const r = await fetch(`${srv.url}${path}`, { headers });
  return { status: r.status, type: r.headers.get('content-type'), cache: r.headers.get('cache-control'),
    body: Buffer.from(await r.arrayBuffer()) };
}

test('Open Graph tags, icons and the manifest', async () => {
  /* what WhatsApp's preview fetches; a phone gets the page without the tags */
  const phone = (await get('/e/satisfaccion?p=mercado-municipal')).body.toString('utf8');
  assert.doesNotMatch(phone, /og:|rel=manifest/);
  assert.match(phone, /<link rel=icon href=\/s\/icon.svg>/);
  const page = await get('/e/satisfaccion?p=mercado-municipal', { 'User-Agent': 'WhatsApp/2.23.20.0 A' });
  const html = page.body.toString('utf8');
  const head = html.slice(0, html.indexOf('</head>'));
  const og = Object.fromEntries([...head.matchAll(/<meta property=og:(\w+) content="([^"]*)">/g)].map((m) => [m[1], m[2]]));
  assert.equal(og.title, 'Encuesta de satisfacción con los servicios');
  assert.match(og.description, /Bánica/);
  /* the server's own address here (no --base-url): absolute, as a preview needs */
  assert.equal(og.url, `http://localhost:${srv.port}/e/satisfaccion?p=mercado-municipal`);
  assert.equal(og.image, `http://localhost:${srv.port}/s/og.png`);
  const img = await get('/s/og.png');
  assert.equal(img.status, 200);
  assert.equal(img.type, 'image/png');
  assert.match(img.cache, /max-age=\d+/);
  assert.deepEqual(pngSize(img.body), [600, 314]);
  assert.ok(img.body.length < 300 * 1024, 'small enough for WhatsApp');
  /* the list page has no Open Graph tags of a survey, but the icon and manifest */
  const index = (await get('/')).body.toString('utf8');
  assert.doesNotMatch(index, /og:title/);
  assert.match(index, /<link rel=icon href=\/s\/icon.svg><link rel=manifest href=\/manifest.webmanifest>/);
  const tags = head.match(/<meta property=og:[^>]*>/g).join('');
  console.log(`# a phone's survey page: +${'<link rel=icon href=/s/icon.svg>'.length - '<link rel=icon href="data:,">'.length} bytes; `
    + `other pages +${'<link rel=icon href=/s/icon.svg><link rel=manifest href=/manifest.webmanifest>'.length - '<link rel=icon href="data:,">'.length}; `
    + `a link preview's fetch +${tags.length} more (Open Graph)`);

  const ico = await get('/favicon.ico');
  assert.equal(ico.status, 200);
  assert.equal(ico.type, 'image/x-icon');
  assert.deepEqual([...ico.body.subarray(0, 4)], [0, 0, 1, 0]);
  const svg = await get('/s/icon.svg');
  assert.equal(svg.type, 'image/svg+xml');
  assert.match(svg.body.toString(), /^<svg /);

  const man = await get('/manifest.webmanifest');
  assert.equal(man.status, 200);
  assert.equal(man.type, 'application/manifest+json');
  const m = JSON.parse(man.body.toString('utf8'));
  assert.equal(m.name, 'Buzón ciudadano');
  assert.ok(m.short_name && m.short_name.length <= 12);
  assert.equal(m.start_url, '/');
  assert.equal(m.scope, '/');
  assert.equal(m.display, 'standalone');
  assert.match(m.theme_color, /^#[0-9a-f]{6}$/);
  const sizes = [];
  for (const i of m.icons) {
    const r = await get(i.src);
    assert.equal(r.status, 200, i.src);
    assert.equal(r.type, i.type, i.src);
    if (i.type === 'image/png') {
      const [w, h] = pngSize(r.body);
      assert.equal(`${w}x${h}`, i.sizes, i.src);
      sizes.push(i.sizes);
    }
  }
  assert.deepEqual(sizes.sort(), ['192x192', '512x512']);
  const ht = JSON.parse((await fetch(`${srv.url}/manifest.webmanifest`, { headers: { 'Accept-Language': 'ht' } }).then((r) => r.text())));
  assert.equal(ht.name, 'Bwat lèt sitwayen');
});

test('Chromium finds the site installable (survey list and a staff page)', async () => {
  /* a profile of its own: an incognito context is never installable */
  const phone = await L.largeTextPhone(1);
  const ctx = phone.ctx;
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  const paths = ['/'];
  const landing = await staffLogin(page, srv, async () => {}, 'e2e-tableta', 'es');
  assert.ok(landing, 'staff login');
  paths.push(new URL(landing).pathname);
  for (const p of paths) {
    await page.goto(`${srv.url}${p}`);
    await page.evaluate(() => Promise.race([navigator.serviceWorker?.ready, new Promise((r) => setTimeout(r, 2000))]));
    const end = Date.now() + 8000;
    let errs;
    for (;;) {
      errs = (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors.map((e) => e.errorId);
      if (!errs.length || Date.now() > end) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(errs, [], `${p}: ${errs.join(' ')}`);
    const man = await cdp.send('Page.getAppManifest');
    assert.deepEqual(man.errors, [], p);
    console.log(`# installable: ${p}`);
  }
  await phone.close();
});
