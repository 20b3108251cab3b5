/*
 * types.test.mjs: issue 16 item 5, the rest of the question types, on a
 * phone (360x640) in Chromium, with and without the script: a time, a
 * date-time, a range as a row of values, an acknowledge, a rank (one
 * drop-down per place), a month and a year are filled in and sent; the
 * thank-you page follows and the values are stored as ODK would keep
 * them. The test writes its own small form folder. Screenshots:
 * tests/e2e/artifacts/types-*.png.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as L from './lib.mjs';

let srv, browser, dir;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buzon-e2e-types-'));
  const f = path.join(dir, 'tipos');
  fs.mkdirSync(f);
  fs.writeFileSync(path.join(f, 'survey.csv'), 'type,name,label,parameters,appearance,default\n'
    + 'time,hora,¿A qué hora llegó?,,,\n'
    + 'dateTime,cuando,¿Cuándo ocurrió?,,,\n'
    + 'range,nota,Del 0 al 10,start=0 end=10 step=1,,\n'
    + 'range,litros,Litros,start=0 end=100 step=5,,\n'
    + 'acknowledge,leido,Leí las reglas,,,\n'
    + 'hidden,origen,,,,cartel\n'
    + 'barcode,codigo,Código del recibo,,,\n'
    + 'rank prio,orden,Ordene las prioridades,,,\n'
    + 'date,mes,Mes,,month-year,\n'
    + 'date,anio,Año,,year,\n');
  fs.writeFileSync(path.join(f, 'choices.csv'), 'list_name,name,label\nprio,agua,Agua\nprio,luz,Luz\nprio,calles,Calles\n');
  fs.writeFileSync(path.join(f, 'settings.csv'), 'form_title,form_id,version\nTipos,tipos,1\n');
  for (const x of ['points.csv', 'services.csv']) fs.copyFileSync(path.join(L.ROOT, 'forms', x), path.join(dir, x));
  srv = await L.startServer({ forms: dir });
  browser = await L.launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

for (const js of [true, false]) {
  test(`every type filled and sent at 360x640 ${js ? 'with' : 'without'} JavaScript`, async () => {
    const ctx = await L.newPhone(browser, { javaScriptEnabled: js });
    const page = await ctx.newPage();
    await page.goto(`${srv.url}/e/tipos?lang=es`);
    if (js) {   /* axe and the form checks run as scripts in the page */
      const v = await L.axeViolations(page);
      assert.deepEqual(v, [], `axe violations:\n${v.join('\n')}`);
      const fp = await L.formProblems(page);
      assert.deepEqual(fp, [], `forms:\n${fp.join('\n')}`);
    }
    await page.fill('#i-hora', '14:30');
    await page.fill('#i-cuando', '2025-03-15T09:05');
    await page.locator('input[name=nota][value="8"]').check();
    /* With the script a slider sits beside the number field of a range
       of many values; it fills the field only when moved. */
    const slider = page.locator('#q-litros input.sl');
    assert.equal(await slider.count(), js ? 1 : 0);
    if (js) {
      assert.equal(await page.inputValue('#i-litros'), '', 'the slider answered for the person');
      await slider.evaluate((s) => { s.value = '40'; s.dispatchEvent(new Event('input', { bubbles: true })); });
      assert.equal(await page.inputValue('#i-litros'), '40');
    }
    await page.fill('#i-litros', '35');
    if (js) assert.equal(await slider.inputValue(), '35');
    await page.locator('input[name=leido]').check();
    await page.fill('#i-codigo', '0012345');
    await page.selectOption('#i-orden-1', 'luz');
    await page.selectOption('#i-orden-2', 'calles');
    await page.selectOption('#i-orden-3', 'agua');
    await page.fill('#i-mes', '2025-03');
    await page.fill('#i-anio', '2024');
    assert.deepEqual(await L.overflowsSideways(page), []);
    await L.screenshot(page, `types-${js ? 'js' : 'nojs'}`);
    await Promise.all([page.waitForURL(/gracias/), page.click('button[type=submit]')]);
    assert.equal(new URL(page.url()).pathname, '/e/tipos/gracias');
    const got = {};
    for (const q of ['hora', 'cuando', 'nota', 'litros', 'leido', 'origen', 'codigo', 'orden', 'mes', 'anio'])
      got[q] = L.dbValue(srv.db, `SELECT value FROM answers WHERE form_id='tipos' AND question='${q}'
        ORDER BY response_id DESC LIMIT 1`);
    assert.deepEqual(got, {
      hora: '14:30', cuando: '2025-03-15T09:05', nota: '8', litros: '35', leido: 'OK', origen: 'cartel',
      codigo: '0012345', orden: 'luz calles agua', mes: '2025-03-01', anio: '2024-01-01',
    });
    await ctx.close();
  });
}

test('a repeated place in the rank comes back beside the field, places kept', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  await page.goto(`${srv.url}/e/tipos?lang=ht`);
  await page.selectOption('#i-orden-1', 'luz');
  await page.selectOption('#i-orden-2', 'luz');
  await page.fill('#i-anio', '99');
  await page.click('button[type=submit]');
  await page.waitForSelector('#e-orden');
  assert.match(await page.locator('#e-orden').textContent(), /Mete chak chwa nan yon sèl plas/);
  assert.match(await page.locator('#e-anio').textContent(), /Ekri yon dat ki valab/);
  assert.equal(await page.locator('#i-orden-2').inputValue(), 'luz');
  assert.equal(await page.locator('#i-orden-3').inputValue(), '');
  const v = await L.axeViolations(page);
  assert.deepEqual(v, [], `axe violations:\n${v.join('\n')}`);
  await L.screenshot(page, 'types-422-ht');
  await ctx.close();
});
