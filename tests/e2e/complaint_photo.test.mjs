/*
 * complaint_photo.test.mjs: issue 16 item 6, a complaint with a photo and
 * a place on the standard quejas form, on a phone (360x640). With
 * JavaScript the photo and place stay hidden until the consent question is
 * answered "Sí, acepto"; the photo is chosen with setInputFiles, the place
 * comes from a fake geolocation through "Usar mi ubicación"; the clerk
 * (atencion) sees both on the case page; the citizen's tracking page shows
 * neither. Without JavaScript the same questions are on the page and typed
 * coordinates are stored. Screenshots in tests/e2e/artifacts/.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as L from './lib.mjs';

let srv, browser;
const PHOTO = path.join(L.ROOT, 'tests/fuzz/corpus/media/exif-orientation6.jpg');
before(async () => {
  srv = await L.startServer();
  browser = await L.launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const caseOf = (url) => new URL(url).searchParams.get('c');

async function loginAtencion(page) {
  assert.ok(L.addStaffUser(srv, 'e2e-atencion', 'e2e-clave-larga-123', 'atencion'));
  await L.staffLogin(page, srv, 'e2e-atencion');
}

test('with JavaScript: photo and place after consent; the clerk sees them, the tracking page does not', async () => {
  const ctx = await L.newPhone(browser, {
    geolocation: { latitude: 18.8453, longitude: -71.703, accuracy: 15 },
    permissions: ['geolocation'],
  });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(`${srv.url}/e/quejas?p=recoleccion-camion-1&lang=es`);
  assert.equal(await page.locator('form#f').getAttribute('enctype'), 'multipart/form-data');
  /* Nothing of the photo or the place until the person agrees. */
  assert.equal(await page.locator('#q-foto').isVisible(), false);
  assert.equal(await page.locator('#q-lugar').isVisible(), false);
  await L.answerByPointer(page, { comentario_tipo: 'queja', comentario: 'El camión no pasó por la calle Duarte.' });
  await L.screenshot(page, 'queja-foto-360-before-consent');
  await page.locator('label:has(> input[name="foto_lugar_consent"][value="si"])').click();
  await page.locator('#q-foto').waitFor({ state: 'visible' });
  await page.locator('#i-foto').setInputFiles(PHOTO);
  const btn = page.getByRole('button', { name: 'Usar mi ubicación' });
  await btn.click();
  await page.locator('#gs-lugar').filter({ hasText: '± 15 m' }).waitFor();
  assert.equal(await page.inputValue('#i-lugar'), '18.8453');
  assert.deepEqual(await L.overflowsSideways(page), []);
  assert.deepEqual(await L.axeViolations(page), []);
  await L.screenshot(page, 'queja-foto-360-chosen');
  await Promise.all([page.waitForURL(/\/gracias/), page.click('button[type=submit]')]);
  await L.screenshot(page, 'queja-foto-360-thanks');
  const code = caseOf(page.url());
  assert.ok(code, page.url());
  const rid = L.dbValue(srv.db, `SELECT response_id FROM cases WHERE code = '${code}'`);
  assert.equal(L.dbValue(srv.db, `SELECT count(*) FROM media WHERE response_id = ${rid}`), '1');
  assert.equal(L.dbValue(srv.db, `SELECT instr(data, CAST('Exif' AS BLOB)) FROM media WHERE response_id = ${rid}`), '0');
  assert.equal(L.dbValue(srv.db, `SELECT value FROM answers WHERE response_id = ${rid} AND question = 'lugar'`),
    '18.8453 -71.703 0 15');

  /* The citizen's tracking page: the case, never the photo or the place. */
  await page.goto(`${srv.url}/seguimiento/${code}?lang=es`);
  await L.screenshot(page, 'queja-foto-360-seguimiento');
  const html = await page.content();
  assert.ok(html.includes(code));
  assert.equal(await page.locator('img').count(), 0);
  assert.ok(!/18\.84|71\.70|openstreetmap|\/media\//.test(html), 'tracking page leaks the photo or place');

  /* The clerk's case page: the photo (loaded) and the place with its link. */
  await loginAtencion(page);
  await page.goto(`${srv.url}/casos/${code}?lang=es`);
  const img = page.locator('img[src*="/media/"]');
  assert.equal(await img.count(), 1);
  assert.ok(await img.evaluate((e) => e.complete && e.naturalWidth > 0), 'photo did not load');
  await page.getByText('Lugar del problema: 18.8453, -71.703').waitFor();
  assert.equal(await page.locator('a[href*="openstreetmap.org/?mlat=18.8453"]').count(), 1);
  assert.deepEqual(await L.overflowsSideways(page), []);
  await L.screenshot(page, 'queja-foto-360-caso');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('without JavaScript: the photo and typed coordinates are sent and stored', async () => {
  const ctx = await L.newPhone(browser, { javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${srv.url}/e/quejas?p=mercado-municipal&lang=ht`);
  await L.answerByPointer(page, { comentario_tipo: 'queja', comentario: 'Fatra devan mache a.', foto_lugar_consent: 'si' });
  await page.locator('#i-foto').setInputFiles(PHOTO);
  await page.fill('#i-lugar', '18.8461');
  await page.fill('#i-lugar-lon', '-71.7012');
  assert.deepEqual(await L.overflowsSideways(page), []);
  await L.screenshot(page, 'queja-foto-360-nojs-ht');
  await Promise.all([page.waitForURL(/\/gracias/), page.click('button[type=submit]')]);
  const code = caseOf(page.url());
  const rid = L.dbValue(srv.db, `SELECT response_id FROM cases WHERE code = '${code}'`);
  assert.equal(L.dbValue(srv.db, `SELECT count(*) FROM media WHERE response_id = ${rid}`), '1');
  assert.equal(L.dbValue(srv.db, `SELECT value FROM answers WHERE response_id = ${rid} AND question = 'lugar'`),
    '18.8461 -71.7012 0 0');
  await ctx.close();
});
