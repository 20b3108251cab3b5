/*
 * live.test.mjs: issue 15 items 2 and 3, live with the script, on a phone
 * (360x640). A question whose relevance is a full XPath expression
 * appears when the answers make it true, a calculated field and a label
 * piping a calculate follow the answers, and a required expression's
 * mark shows: all decided by the server's engine (POST /e/<form>/vivo),
 * none by JavaScript of its own. Typing asks once per pause, a page that
 * data-if handles alone never asks, and a failed request leaves the page
 * as it is. The test writes its own small form folder.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as L from './lib.mjs';

let srv, browser, dir;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buzon-e2e-live-'));
  const f = path.join(dir, 'vivo');
  fs.mkdirSync(f);
  fs.writeFileSync(path.join(f, 'survey.csv'), 'type,name,label,relevant,calculation,required\n'
    + 'integer,edad,Edad,,,\nselect_one sx,sexo,Sexo,,,\n'
    + "text,embarazo,¿Está embarazada?,${edad} >= 18 and ${sexo} = 'f',,\n"
    + 'calculate,doble,,,${edad} * 2,\n'
    + 'integer,meses,Meses de edad,,${edad} * 12,\n'
    + 'note,nota,El doble de su edad es **${doble}**,,,\n'
    + 'text,motivo,¿Por qué vino?,,,${edad} > 60\n');
  fs.writeFileSync(path.join(f, 'choices.csv'), 'list_name,name,label\nsx,f,Femenino\nsx,m,Masculino\n');
  fs.writeFileSync(path.join(f, 'settings.csv'), 'form_title,form_id,version\nEn vivo,vivo,1\n');
  const g = path.join(dir, 'simple');
  fs.mkdirSync(g);
  fs.writeFileSync(path.join(g, 'survey.csv'), 'type,name,label,relevant\n'
    + 'select_one sn,uso,¿Usó el servicio?,\ntext,nombre,Su nombre,\n'
    + "text,como,\"¿Cómo fue, ${nombre}?\",${uso} = 'si'\n");
  fs.writeFileSync(path.join(g, 'choices.csv'), 'list_name,name,label\nsn,si,Sí\nsn,no,No\n');
  fs.writeFileSync(path.join(g, 'settings.csv'), 'form_title,form_id,version\nSimple,simple,1\n');
  for (const x of ['points.csv', 'services.csv']) fs.copyFileSync(path.join(L.ROOT, 'forms', x), path.join(dir, x));
  srv = await L.startServer({ forms: dir });
  browser = await L.launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/* Whether url is the live route's (the form here is also named vivo). */
const isLive = (url) => /^\/e\/[^/]+\/vivo$/.test(new URL(url).pathname);

/* The requests a page makes to the live route. */
function liveRequests(page) {
  const seen = [];
  page.on('request', (r) => { if (isLive(r.url())) seen.push(r); });
  return seen;
}

test('relevance, a calculation and a piped calculate follow the answers live', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  const asked = liveRequests(page);
  await page.goto(`${srv.url}/e/vivo?lang=es`);
  const preg = page.locator('#q-embarazo');
  /* Without answers the expression is false: the server says so at load. */
  await preg.waitFor({ state: 'hidden' });
  await page.fill('#i-edad', '20');
  await page.locator('input[name=sexo][value=f]').check();
  await preg.waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.getElementById('i-meses').value === '240');
  const pipe = page.locator('#q-nota strong span[data-pipe=doble]');
  await page.waitForFunction(() => document.querySelector('#q-nota span[data-pipe=doble]').textContent === '40');
  assert.equal(await pipe.textContent(), '40');
  assert.equal(await page.locator('#q-motivo abbr.r').isVisible(), false);
  await L.screenshot(page, 'live-360-mujer-20');
  /* Older, and a man: the question goes, the mark of the required
   * expression shows, the numbers follow. */
  await page.fill('#i-edad', '70');
  await page.locator('input[name=sexo][value=m]').check();
  await preg.waitFor({ state: 'hidden' });
  await page.locator('#q-motivo abbr.r').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#i-motivo').getAttribute('aria-required'), 'true');
  await page.waitForFunction(() => document.getElementById('i-meses').value === '840');
  assert.equal(await pipe.textContent(), '140');
  await L.screenshot(page, 'live-360-hombre-70');
  assert.ok(asked.length >= 3, `asked ${asked.length} times`);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('typing asks once per pause, with the page answers', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  await page.goto(`${srv.url}/e/vivo?lang=es`);
  await page.locator('#q-embarazo').waitFor({ state: 'hidden' });
  const asked = liveRequests(page);
  await page.locator('#i-edad').pressSequentially('123456', { delay: 40 });
  await page.waitForFunction(() => document.getElementById('i-meses').value === String(123456 * 12));
  assert.equal(asked.length, 1, `asked ${asked.length} times for one pause`);
  assert.match(asked[0].postData(), /(^|&)edad=123456(&|$)/);
  await ctx.close();
});

test('a page data-if handles alone never asks the server', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  const asked = liveRequests(page);
  await page.goto(`${srv.url}/e/simple?lang=es`);
  assert.ok(await page.locator('#q-como').getAttribute('data-if'));
  await page.locator('#q-como').waitFor({ state: 'hidden' });
  await page.locator('input[name=uso][value=si]').check();
  await page.fill('#i-nombre', 'Ana');
  await page.locator('#q-como').waitFor({ state: 'visible' });
  assert.match(await page.locator('label[for=i-como]').textContent(), /Ana/);
  await page.waitForTimeout(400);   /* past the pause a request would wait for */
  assert.equal(asked.length, 0);
  await ctx.close();
});

test('when the server cannot be reached the page stays as it is', async () => {
  const ctx = await L.newPhone(browser);
  await ctx.route((u) => isLive(u.href), (r) => r.abort());
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(`${srv.url}/e/vivo?lang=es`);
  const failed = page.waitForEvent('requestfailed', (r) => isLive(r.url()) && r.postData()?.includes('edad=20'));
  await page.fill('#i-edad', '20');
  await failed;
  /* As without the script: the question shows, saying when it applies. */
  assert.equal(await page.locator('#q-embarazo').isVisible(), true);
  assert.equal(await page.inputValue('#i-meses'), '');
  assert.deepEqual(errors, []);
  await ctx.close();
});
