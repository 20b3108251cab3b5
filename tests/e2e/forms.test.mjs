/*
 * forms.test.mjs: issue 15 item 7, publishing an XLSForm workbook from the
 * browser, as a planner does it on a phone (360x640): the forms page, a
 * workbook with a problem (listed as sheet:row), a good one (preview with a
 * phone-sized frame per language, whose buttons send nothing), Publicar,
 * and the survey answered by a citizen right after, with no restart. The
 * workbooks are written by tools/csv2xlsx.py from CSV folders of the test.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import * as L from './lib.mjs';
import { staffLogin } from './pages.mjs';

let srv, browser, dir;

/* A workbook dir/<name>.xlsx from the sheets given as CSV text. */
function workbook(name, sheets) {
  const f = path.join(dir, name);
  fs.mkdirSync(f);
  for (const [sheet, csv] of Object.entries(sheets)) fs.writeFileSync(path.join(f, `${sheet}.csv`), csv);
  const out = path.join(dir, `${name}.xlsx`);
  execFileSync('python3', [path.join(L.ROOT, 'tools/csv2xlsx.py'), f, out]);
  return out;
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buzon-e2e-forms-'));
  srv = await L.startServer();
  browser = await L.launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a planner publishes a workbook from a phone; a citizen answers it at once', async (t) => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  try {
    assert.ok(await staffLogin(page, srv, async () => {}, 'e2e-forms', 'es'), 'login');
    await page.goto(`${srv.url}/formularios?lang=es`);
    assert.deepEqual(await L.overflowsSideways(page), [], '/formularios scrolls sideways at 360 px');
    await L.screenshot(page, 'formularios-360');

    /* A workbook with a problem: listed as file:sheet:row, nothing published. */
    const bad = workbook('roto', {
      survey: 'type,name,label\ninteger,edad,Edad\nselect_one nada,color,Color\n',
      settings: 'form_id,version,form_title\nmercado,1,Mercado\n',
    });
    await page.setInputFiles('input[type=file]', bad);
    await Promise.all([page.waitForNavigation(), page.locator('form[enctype] [type=submit]').click()]);
    const problems = await page.locator('[role=alert]').innerText();
    assert.match(problems, /roto\.xlsx:survey:3: .*nada/);
    await L.screenshot(page, 'formularios-problemas-360');

    /* A good one: the preview, one frame per language. */
    const good = workbook('mercado', {
      survey: 'type,name,label::Español (es),label::Kreyòl (ht),required\n'
        + 'select_one sn,vende,¿Vende en el mercado?,Èske ou vann nan mache a?,yes\n'
        + "integer,puestos,¿Cuántos puestos?,Konbyen kòmès?,\n",
      choices: 'list_name,name,label::Español (es),label::Kreyòl (ht)\nsn,si,Sí,Wi\nsn,no,No,Non\n',
      settings: 'form_id,version,form_title::Español (es),form_title::Kreyòl (ht)\n'
        + 'mercado,1,Mercado de Bánica,Mache Bánica\n',
    });
    await page.setInputFiles('input[type=file]', good);
    await Promise.all([page.waitForNavigation(), page.locator('form[enctype] [type=submit]').click()]);
    assert.match(new URL(page.url()).pathname, /^\/formularios\/borrador\/\d+$/);
    const frames = page.locator('iframe');
    assert.equal(await frames.count(), 2, 'one frame per language (es, ht)');
    const ht = page.frameLocator('iframe[src$="lang=ht"]');
    await ht.getByText('Èske ou vann nan mache a?').waitFor();
    await L.screenshot(page, 'formularios-vista-360');
    /* The framed survey sends nothing, even when its button is pressed. */
    const es = page.frameLocator('iframe[src$="lang=es"]');
    await es.getByText('Sí', { exact: true }).click();
    await es.locator('button[type=submit]').last().click({ noWaitAfter: true }).catch(() => {});
    assert.equal(L.dbValue(srv.db, "SELECT count(*) FROM responses WHERE form_id = 'mercado'"), '0');

    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Publicar' }).click()]);
    assert.match(await page.locator('[role=status]').innerText(), /Publicado/);
    await L.screenshot(page, 'formularios-publicado-360');

    /* A citizen answers it straight away. */
    const citizen = await ctx.newPage();
    await citizen.goto(`${srv.url}/e/mercado?lang=ht`);
    await citizen.getByText('Wi', { exact: true }).click();
    await Promise.all([citizen.waitForNavigation(), citizen.locator('form[method=post] button[type=submit]').last().click()]);
    assert.match(new URL(citizen.url()).pathname, /\/e\/mercado\/gracias/);
    assert.equal(L.dbValue(srv.db, "SELECT count(*) FROM responses WHERE form_id = 'mercado'"), '1');
  } finally {
    await ctx.close();
  }
});
