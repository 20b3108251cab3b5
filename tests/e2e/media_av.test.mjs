/*
 * media_av.test.mjs: issue 16 item 2, audio, video and file questions on a
 * phone (360x640). The page asks for a recording (accept=audio/..., the
 * recorder for the appearance `new`), a film and a document (the author's
 * body::accept); a PDF is attached with setInputFiles and sent: stored as
 * application/pdf. A Windows program named .pdf comes back with the message
 * beside the field, in Kreyòl. The test writes its own small form folder.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as L from './lib.mjs';

let srv, browser, dir;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n'
  + '2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buzon-e2e-media-av-'));
  const f = path.join(dir, 'archivos');
  fs.mkdirSync(f);
  fs.writeFileSync(path.join(f, 'survey.csv'), 'type,name,label::Español (es),label::Kreyòl (ht),appearance,body::accept\n'
    + 'text,lugar,¿Dónde está el problema?,Ki kote pwoblèm nan ye?,,\n'
    + 'audio,audio,Grabe su queja,Anrejistre plent ou,new,\n'
    + 'video,video,Video del problema,Videyo pwoblèm nan,,\n'
    + 'file,doc,Documento (PDF),Dokiman (PDF),,.pdf\n');
  fs.writeFileSync(path.join(f, 'settings.csv'), 'form_title,form_id,version\nArchivos,archivos,1\n');
  for (const x of ['points.csv', 'services.csv']) fs.copyFileSync(path.join(L.ROOT, 'forms', x), path.join(dir, x));
  srv = await L.startServer({ forms: dir });
  browser = await L.launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a document attached on a phone is sent and stored by its bytes', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(`${srv.url}/e/archivos?lang=es`);
  assert.equal(await page.locator('form#f').getAttribute('enctype'), 'multipart/form-data');
  assert.equal(await page.locator('#i-audio').getAttribute('accept'), 'audio/*');
  assert.equal(await page.locator('#i-audio').getAttribute('capture'), 'environment');
  assert.equal(await page.locator('#i-video').getAttribute('accept'), 'video/*');
  assert.equal(await page.locator('#i-doc').getAttribute('accept'), '.pdf');
  assert.deepEqual(await L.overflowsSideways(page), []);
  await page.fill('#i-lugar', 'Calle Duarte');
  await page.locator('#i-doc').setInputFiles({ name: 'acta.bin', mimeType: 'application/octet-stream', buffer: PDF });
  await L.screenshot(page, 'media-av-360-chosen');
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/gracias/);
  assert.equal(L.dbValue(srv.db, "SELECT count(*) FROM media WHERE type = 'application/pdf' AND name LIKE '%.pdf'"), '1');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a program named .pdf comes back with the message beside the field, in Kreyòl', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  await page.goto(`${srv.url}/e/archivos?lang=ht`);
  await page.fill('#i-lugar', 'Lari Duarte');
  const exe = Buffer.alloc(128);
  exe.write('MZ', 0);
  await page.locator('#i-doc').setInputFiles({ name: 'acta.pdf', mimeType: 'application/pdf', buffer: exe });
  await page.locator('button[type=submit]').click();
  await page.locator('#e-doc').waitFor();
  assert.match(await page.locator('#e-doc').textContent(), /Nou pa pran kalite fichye sa a/);
  assert.equal(await page.locator('#i-lugar').inputValue(), 'Lari Duarte');
  assert.deepEqual(await L.overflowsSideways(page), []);
  await L.screenshot(page, 'media-av-360-refused-ht');
  assert.equal(L.dbValue(srv.db, "SELECT count(*) FROM responses WHERE lang = 'ht'"), '0');
  await ctx.close();
});
