/*
 * register_live.test.mjs: issue 18, a register page (/registros/<form>,
 * staff only) follows its answers live as a survey does: buzon.js asks
 * /registros/<form>/vivo with the staff session (a citizen's survey never
 * sends a cookie) and the server's engine fills the calculated total.
 * The test writes its own small forms folder with one staff register.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as L from './lib.mjs';
import { staffLogin } from './pages.mjs';

let srv, browser, dir;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buzon-e2e-reglive-'));
  const f = path.join(dir, 'reg_vivo');
  fs.mkdirSync(f);
  fs.writeFileSync(path.join(f, 'survey.csv'), 'type,name,label,calculation\n'
    + 'integer,mujeres,Asistentes: mujeres,\ninteger,hombres,Asistentes: hombres,\n'
    + 'integer,total,Total,${mujeres} + ${hombres}\n');
  fs.writeFileSync(path.join(f, 'choices.csv'), 'list_name,name,label\n');
  fs.writeFileSync(path.join(f, 'settings.csv'), 'form_title,form_id,version,access\nRegistro en vivo,reg_vivo,1,staff\n');
  for (const x of ['points.csv', 'services.csv']) fs.copyFileSync(path.join(L.ROOT, 'forms', x), path.join(dir, x));
  srv = await L.startServer({ forms: dir });
  browser = await L.launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a register page fills its calculated total from /registros/<form>/vivo', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  assert.ok(await staffLogin(page, srv, async () => {}, 'e2e-registro', 'es'));
  const answered = [];
  page.on('response', (r) => { if (new URL(r.url()).pathname === '/registros/reg_vivo/vivo') answered.push(r.status()); });
  await page.goto(`${srv.url}/registros/reg_vivo?lang=es`);
  await page.fill('#i-mujeres', '3');
  await page.fill('#i-hombres', '4');
  await page.waitForFunction(() => document.getElementById('i-total').value === '7');
  assert.ok(answered.length >= 1 && answered.every((s) => s === 200), `answers ${answered}`);
  await L.screenshot(page, 'registro-vivo-360');
  assert.deepEqual(errors, []);
  await ctx.close();
});
