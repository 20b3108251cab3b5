/*
 * entry.test.mjs: issue 17 items 4 and 5 in Chromium. A data-entry clerk
 * (role captura) types a paper's short code on /entrada, lands on the form
 * with the paper's date focused, enters a complaint from the keyboard
 * alone, and the next sheet's fresh form shows the case code to write on
 * the paper; stored with channel papel. At 360x640 and at 1280x800, with
 * screenshots (artifacts/entrada-*.png). An interview on a tablet: after
 * sending, a fresh form holds none of the answers, and going Back brings
 * none of them back. No page error, nothing wider than the screen.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as L from './lib.mjs';

let srv, browser;
before(async () => {
  srv = await L.startServer();
  browser = await L.launchBrowser();
  assert.ok(L.addStaffUser(srv, 'e2e-captura', 'e2e-clave-larga-123', 'captura'));
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const login = (page) => L.staffLogin(page, srv, 'e2e-captura');

for (const [name, opts] of [['360', L.PHONE], ['1280', { viewport: { width: 1280, height: 800 } }]]) {
  test(`paper entry by keyboard at ${name}`, async () => {
    const ctx = await browser.newContext(opts);
    ctx.setDefaultTimeout(10000);
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await login(page);
    await page.goto(`${srv.url}/entrada?lang=es`);
    assert.equal(await page.evaluate(() => document.activeElement.name), 'codigo');
    await L.screenshot(page, `entrada-codigo-${name}`);
    /* An unknown code says so, and keeps the focus in the field. */
    await page.keyboard.type('quejas-2024.1-mercado-es');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    await page.getByText('No hay ningún formulario con ese código').waitFor();
    await page.fill('#i-codigo', '');
    await page.keyboard.type('quejas-2024.1-mercado-municipal-es');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.match(new URL(page.url()).pathname, /^\/entrada\/quejas-2024\.1-mercado-municipal-es$/);
    /* The paper's date first, focused; then the questions by keyboard. */
    assert.equal(await page.evaluate(() => document.activeElement.name), '_fecha');
    /* Today in Bánica (UTC-4): a fresh database saw the form version
     * today, and a sheet cannot predate its version (issue 17). */
    await page.fill('#i-_fecha', new Date(Date.now() - 4 * 3600e3).toISOString().slice(0, 10));
    await L.screenshot(page, `entrada-formulario-${name}`);
    assert.deepEqual(await L.overflowsSideways(page), []);
    await page.locator('input[name=comentario_tipo][value=queja]').check();
    await page.fill('#i-comentario', `Falta agua en el mercado (${name})`);
    await page.locator('input[name=quiere_respuesta][value=no]').check();
    /* Enter in a one-line field sends the sheet, as a clerk would. */
    await page.locator('#i-_fecha').focus();
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    const code = new URL(page.url()).searchParams.get("c");
    assert.match(code, /^[0-9A-Z]{9}$/);
    await page.getByText('Escriba este código en el papel:').waitFor();
    assert.equal((await page.locator('.done .cc').textContent()).trim(), code);
    assert.equal(await page.inputValue('#i-comentario'), '');
    await L.screenshot(page, `entrada-guardada-${name}`);
    assert.deepEqual(await L.overflowsSideways(page), []);
    assert.equal(L.dbValue(srv.db, `SELECT r.channel FROM responses r JOIN cases c ON c.response_id = r.id WHERE c.code = '${code}'`), 'papel');
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}

test('an interview on a tablet: a fresh form after sending, nothing to go back to', async () => {
  const ctx = await browser.newContext({ viewport: { width: 800, height: 1280 }, hasTouch: true });
  ctx.setDefaultTimeout(10000);
  const page = await ctx.newPage();
  await login(page);
  await page.goto(`${srv.url}/entrevista?lang=es`);
  await page.locator('li:has(form[action="/entrevista/quejas"]) select').selectOption('matadero-municipal');
  await Promise.all([page.waitForNavigation(), page.locator('form[action="/entrevista/quejas"] button').click()]);
  await page.locator('input[name=comentario_tipo][value=sugerencia]').check();
  await page.fill('#i-comentario', 'Poner un bebedero para los animales');
  await page.locator('input[name=quiere_respuesta][value=no]').check();
  await Promise.all([page.waitForNavigation(), page.locator('form#f button[type=submit]:not([name])').last().click()]);
  await page.getByText('Entrevista guardada').waitFor();
  await L.screenshot(page, 'entrevista-guardada-800');
  assert.equal(await page.inputValue('#i-comentario'), '');
  await page.goBack();
  assert.notEqual(await page.locator('#i-comentario').inputValue().catch(() => ''), 'Poner un bebedero para los animales');
  assert.equal(L.dbValue(srv.db, "SELECT count(*) FROM responses WHERE channel = 'entrevista' AND point_id = 'matadero-municipal'"), '1');
  await ctx.close();
});
