/*
 * repeat.test.mjs: issue 16 item 1, repeats, on a phone (360x640), with
 * and without JavaScript. A household form of its own (a repeat
 * "persona"): the first person answered, "Añadir otro" brings a second
 * with the first's answers kept, the second answered, and the answer
 * sent and stored by path and index, with the people over 18 counted.
 * The page with two people has no axe violation, no touch target under
 * 44 px and every field bound ("without JavaScript": buzon.js kept
 * away, as a11y.test.mjs does, since axe needs the page's JavaScript). Screenshots: repeat-360-*.png.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as L from './lib.mjs';

let srv, browser, dir;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buzon-e2e-repeat-'));
  const f = path.join(dir, 'hogar');
  fs.mkdirSync(f);
  fs.writeFileSync(path.join(f, 'survey.csv'),
    'type,name,label::Español (es),label::Kreyòl (ht),required,calculation\n'
    + 'text,sector,Sector,Sektè,yes,\n'
    + 'begin_repeat,persona,Persona,Moun,,\n'
    + 'text,nombre,Nombre,Non,yes,\n'
    + 'integer,edad,Edad,Laj,yes,\n'
    + 'select_one sexo,sexo,Sexo,Sèks,,\n'
    + 'calculate,adulto,,,,"if(${edad} >= 18, 1, 0)"\n'
    + 'end_repeat,,,,,\n'
    + 'calculate,mayores,,,,sum(${adulto})\n'
    + 'note,resumen,Mayores de 18: ${mayores},Plis pase 18 an: ${mayores},,\n');
  fs.writeFileSync(path.join(f, 'choices.csv'), 'list_name,name,label::Español (es),label::Kreyòl (ht)\n'
    + 'sexo,f,Femenino,Fi\nsexo,m,Masculino,Gason\n');
  fs.writeFileSync(path.join(f, 'settings.csv'), 'form_title::Español (es),form_title::Kreyòl (ht),form_id,version\n'
    + 'Hogar,Kay,hogar,1\n');
  for (const x of ['points.csv', 'services.csv']) fs.copyFileSync(path.join(L.ROOT, 'forms', x), path.join(dir, x));
  srv = await L.startServer({ forms: dir });
  browser = await L.launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const field = (page, name) => page.locator(`[name="${name}"]`);

for (const js of [false, true]) {
  test(`a second person added and sent (${js ? 'with' : 'without'} JavaScript)`, async () => {
    const ctx = await L.newPhone(browser);
    const page = await ctx.newPage();
    /* without the script (axe needs the page's JavaScript: only buzon.js is kept away) */
    if (!js) await page.route('**/s/buzon.js', (route) => route.abort());
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await page.goto(`${srv.url}/e/hogar?lang=es`);
    const sector = js ? 'Norte' : 'Sur';
    await field(page, 'sector').fill(sector);
    await field(page, 'persona[1].nombre').fill('Ana');
    await field(page, 'persona[1].edad').fill('40');
    await page.locator('[name="persona[1].sexo"][value=f]').check();
    assert.equal(await field(page, 'persona[2].nombre').count(), 0);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Añadir otro' }).click()]);
    /* the page again, the first person kept, a second to answer */
    assert.equal(await field(page, 'persona[1].nombre').inputValue(), 'Ana');
    assert.equal(await page.locator('[name="persona[1].sexo"][value=f]').isChecked(), true);
    assert.equal(await field(page, 'sector').inputValue(), sector);
    await field(page, 'persona[2].nombre').fill('Luis');
    await field(page, 'persona[2].edad').fill('12');
    await page.locator('[name="persona[2].sexo"][value=m]').check();
    await page.locator('legend', { hasText: 'Persona 2' }).scrollIntoViewIfNeeded();
    await L.screenshot(page, `repeat-360-dos-personas-${js ? 'js' : 'nojs'}`);
    assert.deepEqual(await L.axeViolations(page), []);
    assert.deepEqual(await L.smallTargets(page), []);
    assert.deepEqual(await L.formProblems(page), []);
    assert.deepEqual(await L.overflowsSideways(page), []);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Enviar respuestas' }).click()]);
    assert.match(new URL(page.url()).pathname, /\/gracias$/);
    const id = L.dbValue(srv.db, `SELECT response_id FROM answers WHERE question = 'sector' AND value = '${sector}'`);
    const got = L.dbValue(srv.db, `SELECT group_concat(question || '=' || value, ';') FROM `
      + `(SELECT question, value FROM answers WHERE response_id = ${id} ORDER BY question)`);
    assert.equal(got, 'mayores=1;persona[1].adulto=1;persona[1].edad=40;persona[1].nombre=Ana;persona[1].sexo=f;'
      + `persona[2].adulto=0;persona[2].edad=12;persona[2].nombre=Luis;persona[2].sexo=m;sector=${sector}`);
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}
