/*
 * cascade.test.mjs: issue 16 item 4, cascading selects (choice_filter) on
 * a phone (360x640) with the script: choosing a provincia narrows the
 * municipios live, choosing a municipio narrows the distritos, changing
 * the provincia drops a municipio that no longer fits (and the distritos
 * follow); the fitting choices come from the server's engine (POST
 * /e/<form>/vivo, "opts"), and the re-render button the page has without
 * the script is not shown. The answer is stored. or_other: "Lòt" shows
 * its "Presize:" field, which goes when another colour is chosen. A
 * choice's picture (media::image) shows beside its label. The
 * test writes its own forms.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as L from './lib.mjs';

let srv, browser, dir;
/* A 40x30 red PNG. */
const RED_PNG = 'iVBORw0KGgoAAAANSUhEUgAAACgAAAAeCAIAAADRv8uKAAAALElEQVR42u3NMQ0AAAgDsMlBBP6DLGTA0aR/M10nIhaLxWKxWCwWi8Xiv/ECXGd+jDRnvOkAAAAASUVORK5CYII=';
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buzon-e2e-cascade-'));
  const f = path.join(dir, 'cascada');
  fs.mkdirSync(f);
  fs.writeFileSync(path.join(f, 'survey.csv'), 'type,name,label::Español (es),label::Kreyòl (ht),choice_filter\n'
    + 'select_one prov,provincia,Provincia,Pwovens,\n'
    + 'select_one mun,municipio,Municipio,Minisipalite,${provincia} = provincia\n'
    + 'select_one dist,distrito,Distrito municipal,Distri minisipal,municipio=${municipio}\n');
  fs.writeFileSync(path.join(f, 'choices.csv'), 'list_name,name,label::Español (es),label::Kreyòl (ht),provincia,municipio\n'
    + 'prov,ep,Elías Piña,Elías Piña,,\nprov,sj,San Juan,San Juan,,\n'
    + 'mun,banica,Bánica,Bánica,ep,\nmun,comendador,Comendador,Komandadò,ep,\n'
    + 'mun,sjm,San Juan de la Maguana,San Juan de la Maguana,sj,\n'
    + 'dist,sabana,Sabana Cruz,Sabana Kwaz,,banica\ndist,higuero,Sabana Higüero,Sabana Igwero,,banica\n'
    + 'dist,guayabo,Guayabo,Gwayabo,,comendador\ndist,pedro,Pedro Corto,Pedro Corto,,sjm\n');
  fs.writeFileSync(path.join(f, 'settings.csv'), 'form_title,form_id,default_language\nCascada,cascada,Español (es)\n');
  const o = path.join(dir, 'otro');
  fs.mkdirSync(o);
  fs.writeFileSync(path.join(o, 'survey.csv'), 'type,name,label::Español (es),label::Kreyòl (ht)\n'
    + 'select_one col or_other,color,Color favorito,Koulè ou pi renmen\n');
  fs.writeFileSync(path.join(o, 'choices.csv'), 'list_name,name,label::Español (es),label::Kreyòl (ht)\n'
    + 'col,1,Rojo,Wouj\ncol,2,Azul,Ble\n');
  fs.writeFileSync(path.join(o, 'settings.csv'), 'form_title,form_id,default_language\nOtro,otro,Español (es)\n');
  const m = path.join(dir, 'fotos');
  fs.mkdirSync(m);
  fs.writeFileSync(path.join(m, 'survey.csv'), 'type,name,label\nselect_one col,color,¿Qué color?\n');
  fs.writeFileSync(path.join(m, 'choices.csv'), 'list_name,name,label,media::image\ncol,rojo,Rojo,rojo.png\ncol,azul,Azul,azul.png\n');
  fs.writeFileSync(path.join(m, 'settings.csv'), 'form_title,form_id\nFotos,fotos\n');
  fs.writeFileSync(path.join(m, 'rojo.png'), Buffer.from(RED_PNG, 'base64'));
  for (const x of ['points.csv', 'services.csv']) fs.copyFileSync(path.join(L.ROOT, 'forms', x), path.join(dir, x));
  srv = await L.startServer({ forms: dir });
  browser = await L.launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/* The values of question name's radios a person can see, in page order. */
function visible(page, name) {
  return page.evaluate((n) => Array.from(document.querySelectorAll(`input[name=${n}]`))
    .filter((e) => e.offsetParent !== null && !e.disabled).map((e) => e.value), name);
}

async function until(page, name, want) {
  await page.waitForFunction(([n, w]) => Array.from(document.querySelectorAll(`input[name=${n}]`))
    .filter((e) => e.offsetParent !== null && !e.disabled).map((e) => e.value).join(' ') === w, [name, want.join(' ')]);
  assert.deepEqual(await visible(page, name), want);
}

test('choosing a provincia narrows the municipios live, and the distritos follow', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(`${srv.url}/e/cascada?lang=es`);
  await until(page, 'municipio', []);
  assert.equal(await page.locator('button.up').first().isVisible(), false);
  await page.locator('input[name=provincia][value=ep]').check();
  await until(page, 'municipio', ['banica', 'comendador']);
  await L.screenshot(page, 'cascade-360-elias-pina');
  await page.locator('input[name=municipio][value=banica]').check();
  await until(page, 'distrito', ['sabana', 'higuero']);
  await page.locator('input[name=distrito][value=higuero]').check();
  await L.screenshot(page, 'cascade-360-banica');
  /* Another provincia: Bánica no longer fits and goes, the distritos too. */
  await page.locator('input[name=provincia][value=sj]').check();
  await until(page, 'municipio', ['sjm']);
  await until(page, 'distrito', []);
  assert.equal(await page.locator('input[name=municipio]:checked').count(), 0);
  assert.equal(await page.locator('input[name=distrito]:checked').count(), 0);
  await page.locator('input[name=municipio][value=sjm]').check();
  await until(page, 'distrito', ['pedro']);
  await page.locator('input[name=distrito][value=pedro]').check();
  await L.screenshot(page, 'cascade-360-san-juan');
  await Promise.all([page.waitForURL(/gracias/), page.locator('button[type=submit]').click()]);
  assert.equal(L.dbValue(srv.db, "SELECT count(*) FROM responses"), '1');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('or_other: choosing Lòt asks to specify', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  await page.goto(`${srv.url}/e/otro?lang=ht`);
  const spec = page.locator('#q-color_other');
  await spec.waitFor({ state: 'hidden' });
  await page.locator('input[name=color][value=other]').check();
  await spec.waitFor({ state: 'visible' });
  assert.equal(await page.locator('label[for=i-color_other]').textContent(), 'Presize:');
  await page.fill('#i-color_other', 'Vèt');
  await L.screenshot(page, 'or-other-360-ht');
  await Promise.all([page.waitForURL(/gracias/), page.locator('button[type=submit]').click()]);
  assert.equal(L.dbValue(srv.db, "SELECT value FROM answers WHERE question = 'color_other'"), 'Vèt');
  await ctx.close();
});

test('a choice picture shows beside its label; a missing one leaves the label', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  await page.goto(`${srv.url}/e/fotos?lang=es`);
  const img = page.locator('input[value=rojo] + img');
  await img.waitFor();
  assert.equal(await img.evaluate((e) => e.complete && e.naturalWidth), 40);
  assert.equal(await page.locator('input[value=azul] + img').count(), 0);
  await L.screenshot(page, 'choice-image-360');
  await ctx.close();
});
