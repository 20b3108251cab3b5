/*
 * pipe.test.mjs: issue 15 item 3, labels that speak, live. With the
 * script, typing a name updates a later label that pipes ${nombre}, and
 * choosing an option shows its label; the fresh page's spans are empty.
 * The test writes its own small form folder.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as L from './lib.mjs';

let srv, browser, dir;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buzon-e2e-pipe-'));
  const f = path.join(dir, 'pipa');
  fs.mkdirSync(f);
  fs.writeFileSync(path.join(f, 'survey.csv'), 'type,name,label\n'
    + 'text,nombre,Su nombre\nselect_one color,color,Color\n'
    + 'integer,edad,"¿Qué edad tiene, **${nombre}**? (${color})"\n');
  fs.writeFileSync(path.join(f, 'choices.csv'), 'list_name,name,label\ncolor,rojo,Rojo\ncolor,azul,Azul\n');
  fs.writeFileSync(path.join(f, 'settings.csv'), 'form_title,form_id,version\nPrueba,pipa,1\n');
  for (const x of ['points.csv', 'services.csv']) fs.copyFileSync(path.join(L.ROOT, 'forms', x), path.join(dir, x));
  srv = await L.startServer({ forms: dir });
  browser = await L.launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('typing a name updates a later label live', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  await page.goto(`${srv.url}/e/pipa?lang=es`);
  const label = page.locator('label[for=i-edad]');
  assert.equal(await page.locator('label[for=i-edad] span[data-pipe=nombre]').textContent(), '');
  await page.fill('#i-nombre', 'Ana <b>');
  assert.equal(await page.locator('label[for=i-edad] strong span[data-pipe=nombre]').textContent(), 'Ana <b>');
  await page.locator('input[name=color][value=azul]').check();
  assert.match(await label.textContent(), /^¿Qué edad tiene, Ana <b>\? \(Azul\)/);
  assert.equal(await page.locator('label[for=i-edad] b').count(), 0);
  await ctx.close();
});
