/*
 * geo.test.mjs: places (issue 16, item 3) on a phone (360x640). With the
 * script and geolocation granted at a fake position, "Usar mi ubicación"
 * fills the latitude and longitude, says the accuracy in metres, and the
 * submitted answer is stored as ODK stores it ("lat lon alt acc"); the
 * trace's "Añadir mi ubicación" appends the point. Without JavaScript the
 * button stays hidden and typed coordinates (a pasted pair, a trace one
 * point per line) are stored the same way. The test writes its own form.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as L from './lib.mjs';

let srv, browser, dir;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buzon-e2e-geo-'));
  const f = path.join(dir, 'lugares');
  fs.mkdirSync(f);
  fs.writeFileSync(path.join(f, 'survey.csv'), 'type,name,label::Español (es),label::Kreyòl (ht),required\n'
    + 'geopoint,lugar,¿Dónde está el problema?,Ki kote pwoblèm nan ye?,yes\n'
    + 'geotrace,ruta,Recorrido de la calle,Wout lari a,no\n');
  fs.writeFileSync(path.join(f, 'settings.csv'), 'form_title::Español (es),form_title::Kreyòl (ht),form_id,version\n'
    + 'Lugares,Kote,lugares,1\n');
  for (const x of ['points.csv', 'services.csv']) fs.copyFileSync(path.join(L.ROOT, 'forms', x), path.join(dir, x));
  srv = await L.startServer({ forms: dir });
  browser = await L.launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const stored = (q) => L.dbValue(srv.db,
  `SELECT value FROM answers WHERE form_id = 'lugares' AND question = '${q}' ORDER BY response_id DESC LIMIT 1`);

test('with JavaScript: the button fills the place from the browser, with its accuracy', async () => {
  const ctx = await L.newPhone(browser, {
    geolocation: { latitude: 18.8453, longitude: -71.703, accuracy: 12 },
    permissions: ['geolocation'],
  });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(`${srv.url}/e/lugares?lang=es`);
  const btn = page.getByRole('button', { name: 'Usar mi ubicación' });
  await btn.waitFor({ state: 'visible' });
  await btn.click();
  await page.locator('#gs-lugar').filter({ hasText: '± 12 m' }).waitFor();
  assert.equal(await page.inputValue('#i-lugar'), '18.8453');
  assert.equal(await page.inputValue('#i-lugar-lon'), '-71.703');
  await page.getByRole('button', { name: 'Añadir mi ubicación' }).click();
  await page.locator('#gs-ruta').filter({ hasText: '± 12 m' }).waitFor();
  await page.locator('#i-ruta').press('End');
  await page.locator('#i-ruta').pressSequentially('\n18.85 -71.70');
  assert.match(await page.inputValue('#i-ruta'), /^18\.8453 -71\.703 0 12\n18\.85 -71\.70$/);
  await L.screenshot(page, 'geo-360-js-located');
  assert.deepEqual(await L.axeViolations(page), []);
  assert.deepEqual(await L.formProblems(page), []);
  assert.deepEqual(await L.overflowsSideways(page), []);
  await Promise.all([page.waitForURL(/\/e\/lugares\/gracias/), page.click('button[type=submit]')]);
  await L.screenshot(page, 'geo-360-js-sent');
  assert.equal(stored('lugar'), '18.8453 -71.703 0 12');
  assert.equal(stored('ruta'), '18.8453 -71.703 0 12; 18.85 -71.7 0 0');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('with geolocation refused: a clear message, the typed fields stay', async () => {
  const ctx = await L.newPhone(browser);   /* no permission granted */
  await ctx.grantPermissions([]);
  const page = await ctx.newPage();
  await page.addInitScript(() => {
    navigator.geolocation.getCurrentPosition = (ok, fail) => setTimeout(() => fail({ code: 1 }), 10);
  });
  await page.goto(`${srv.url}/e/lugares?lang=ht`);
  await page.getByRole('button', { name: 'Itilize kote m ye a' }).click();
  await page.locator('#gs-lugar').filter({ hasText: 'pèmisyon' }).waitFor();
  assert.equal(await page.locator('#i-lugar').isEditable(), true);
  await L.screenshot(page, 'geo-360-js-refused-ht');
  await ctx.close();
});

test('without JavaScript: typed coordinates, an error beside the field, then stored', async () => {
  const ctx = await L.newPhone(browser, { javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${srv.url}/e/lugares?lang=es`);
  assert.equal(await page.locator('button.geo').first().isVisible(), false);
  await page.fill('#i-lugar', '18.85');
  await page.fill('#i-lugar-lon', 'oeste');
  await Promise.all([page.waitForLoadState(), page.click('button[type=submit]')]);
  assert.match(await page.locator('#e-lugar').textContent(), /grados decimales/);
  await L.screenshot(page, 'geo-360-nojs-error');
  await page.fill('#i-lugar', '18.85, -71.70');
  await page.fill('#i-lugar-lon', '');
  await page.fill('#i-ruta', '18.85 -71.70\n18.86 -71.71');
  await L.screenshot(page, 'geo-360-nojs-typed');
  await Promise.all([page.waitForURL(/gracias/), page.click('button[type=submit]')]);
  assert.equal(stored('lugar'), '18.85 -71.7 0 0');
  assert.equal(stored('ruta'), '18.85 -71.7 0 0; 18.86 -71.71 0 0');
  await ctx.close();
});

test('the error state passes axe and ties each message to its fields (buzon.js kept away)', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  await page.route('**/s/buzon.js', (route) => route.abort());
  await page.goto(`${srv.url}/e/lugares?lang=ht`);
  await page.fill('#i-lugar', '95');
  await page.fill('#i-lugar-lon', '-71.7');
  await page.fill('#i-ruta', '18.85 -71.70');
  await Promise.all([page.waitForLoadState(), page.click('button[type=submit]')]);
  assert.match(await page.locator('#e-lugar').textContent(), /Latitid la ant -90 ak 90/);
  assert.match(await page.locator('#e-ruta').textContent(), /omwen 2 pwen/);
  assert.deepEqual(await L.axeViolations(page), []);
  assert.deepEqual(await L.formProblems(page), []);
  await L.screenshot(page, 'geo-360-errors-ht');
  await ctx.close();
});
