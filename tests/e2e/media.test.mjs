/*
 * media.test.mjs: issue 16 item 2, a photo with a survey, on a phone
 * (360x640). The page asks for a file (multipart, the camera for the
 * appearance `new`); a JPEG with EXIF (orientation and a phone model) is
 * chosen with setInputFiles and sent: stored re-encoded, without its Exif.
 * A file that is not a photo comes back with the message beside the field,
 * in Kreyòl. The test writes its own small form folder.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as L from './lib.mjs';

let srv, browser, dir;
const PHOTO = path.join(L.ROOT, 'tests/fuzz/corpus/media/exif-orientation6.jpg');
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buzon-e2e-media-'));
  const f = path.join(dir, 'foto');
  fs.mkdirSync(f);
  fs.writeFileSync(path.join(f, 'survey.csv'), 'type,name,label::Español (es),label::Kreyòl (ht),appearance\n'
    + 'text,lugar,¿Dónde está el problema?,Ki kote pwoblèm nan ye?,\n'
    + 'image,foto,Foto del problema,Foto pwoblèm nan,new\n');
  fs.writeFileSync(path.join(f, 'settings.csv'), 'form_title,form_id,version\nFoto,foto,1\n');
  for (const x of ['points.csv', 'services.csv']) fs.copyFileSync(path.join(L.ROOT, 'forms', x), path.join(dir, x));
  srv = await L.startServer({ forms: dir });
  browser = await L.launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a photo chosen on a phone is sent and stored without its EXIF', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(`${srv.url}/e/foto?lang=es`);
  assert.equal(await page.locator('form#f').getAttribute('enctype'), 'multipart/form-data');
  const input = page.locator('#i-foto');
  assert.equal(await input.getAttribute('type'), 'file');
  assert.equal(await input.getAttribute('accept'), 'image/*');
  assert.equal(await input.getAttribute('capture'), 'environment');
  assert.deepEqual(await L.overflowsSideways(page), []);
  await page.fill('#i-lugar', 'Calle Duarte');
  await input.setInputFiles(PHOTO);
  await L.screenshot(page, 'media-360-chosen');
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/gracias/);
  await L.screenshot(page, 'media-360-thanks');
  assert.equal(L.dbValue(srv.db, 'SELECT count(*) FROM media'), '1');
  assert.equal(L.dbValue(srv.db, "SELECT instr(data, CAST('Exif' AS BLOB)) FROM media"), '0');
  assert.equal(L.dbValue(srv.db, "SELECT count(*) FROM answers a JOIN media m ON m.name = a.value"
    + " WHERE a.question = 'foto'"), '1');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a file that is not a photo comes back with the message beside it, in Kreyòl', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  await page.goto(`${srv.url}/e/foto?lang=ht`);
  await page.fill('#i-lugar', 'Lari Duarte');
  await page.locator('#i-foto').setInputFiles({ name: 'foto.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('GIF89a not a jpeg') });
  await page.locator('button[type=submit]').click();
  await page.locator('#e-foto').waitFor();
  assert.match(await page.locator('#e-foto').textContent(), /pa yon foto JPEG oswa PNG/);
  assert.equal(await page.locator('#i-lugar').inputValue(), 'Lari Duarte');
  await L.screenshot(page, 'media-360-not-a-photo-ht');
  assert.equal(L.dbValue(srv.db, "SELECT count(*) FROM responses WHERE lang = 'ht'"), '0');
  await ctx.close();
});
