/*
 * interview_offline.test.mjs: an interviewer at the market with no data
 * (issue 17 item 5). On a tablet (800x1280): the interview page is opened
 * online, the tablet goes offline, two people are interviewed and each
 * "Enviar" says the interview is kept on the tablet, locked, and gives an
 * empty form for the next person; IndexedDB holds only sealed bytes (none
 * of the words typed), the database nothing. Back online, both are sent
 * by themselves, stored once each with channel entrevista and the
 * interviewer in the audit log; the page counts them, without any case
 * code (the person at the tablet now is someone else). The session ending meanwhile does not matter: the ticket
 * stands in for it. The tab reloaded offline opens the empty form from
 * the service worker; the login page forgets it. Screenshots: artifacts/entrevista-offline-*.png.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as L from './lib.mjs';

let srv, browser;
before(async () => {
  srv = await L.startServer();
  browser = await L.launchBrowser();
  assert.ok(L.addStaffUser(srv, 'e2e-entrevista', 'e2e-clave-larga-123', 'captura'));
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const count = () => Number(L.dbValue(srv.db, "SELECT count(*) FROM responses WHERE channel = 'entrevista' AND point_id = 'mercado-municipal'"));

const PAGE = '/entrevista/quejas?p=mercado-municipal';

/* A tablet (800x1280, touch) logged in as the interviewer, on the
 * market's complaint interview page. */
async function tablet(lang = 'es') {
  const ctx = await browser.newContext({ viewport: { width: 800, height: 1280 }, hasTouch: true });
  ctx.setDefaultTimeout(10000);
  const page = await ctx.newPage();
  await L.staffLogin(page, srv, 'e2e-entrevista', 'e2e-clave-larga-123', lang);
  await page.goto(`${srv.url}${PAGE}&lang=${lang}`);
  return { ctx, page };
}

test('interviews kept offline on a tablet, sealed, then stored once each', async () => {
  const { ctx, page } = await tablet();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  const here = `${srv.url}${PAGE}`;
  assert.ok(await page.locator('form#f[data-seal][data-ticket]').count());
  /* kept empty for the tablet to reopen offline, once the worker is ready */
  await L.until(page, async (k) => {
    await Promise.race([navigator.serviceWorker.ready, new Promise((r) => setTimeout(r, 200))]);
    const c = await caches.open('buzon-iv-1');
    return !!navigator.serviceWorker.controller && !!(await c.match(`${k}&lang=es`)) && !!(await c.match(`${k}&lang=ht`));
  }, here);
  const before = count();

  await ctx.setOffline(true);
  const words = ['El techo del mercado gotea sobre los puestos', 'Faltan zafacones en la entrada'];
  const times = [];
  for (const [i, w] of words.entries()) {
    await page.locator('input[name=comentario_tipo][value=queja]').check();
    await page.fill('#i-comentario', w);
    await page.locator('input[name=quiere_respuesta][value=no]').check();
    const t0 = Date.now();
    await page.locator('form#f button[type=submit]:not([name])').last().click();
    await page.locator('#ivq').getByText(`por enviar: ${i + 1}`).waitFor();
    times.push(Date.now() - t0);
    await page.getByText('Entrevista guardada en esta tableta').waitFor();
    /* an empty form for the next person */
    assert.equal(await page.inputValue('#i-comentario'), '');
    assert.equal(await page.locator('input[name=comentario_tipo]:checked').count(), 0);
  }
  await page.locator('#ivq').getByText('por enviar: 2').waitFor();
  await L.screenshot(page, 'entrevista-offline-800');
  /* the tablet's browser reloads the tab at the market: the empty form
     comes back from the service worker, and a third person is heard */
  await page.reload();
  await page.locator('form#f[data-seal]').waitFor();
  await page.locator('#ivq').getByText('por enviar: 2').waitFor();
  words.push('Que limpien el mercado los lunes');
  await page.locator('input[name=comentario_tipo][value=sugerencia]').check();
  await page.fill('#i-comentario', words[2]);
  await page.locator('input[name=quiere_respuesta][value=no]').check();
  await page.locator('form#f button[type=submit]:not([name])').last().click();
  await page.locator('#ivq').getByText('por enviar: 3').waitFor();
  /* the language switch works offline too */
  await page.goto(`${here}&lang=ht`);
  await page.locator('html[lang=ht] form#f[data-seal]').waitFor();
  await page.locator('#ivq').getByText('3').waitFor();
  await L.screenshot(page, 'entrevista-offline-ht-800');
  await page.goto(`${here}&lang=es`);
  const kept = await page.evaluate(L.queued);
  assert.equal(kept.length, 3);
  for (const a of kept) {
    assert.ok(a.iv && a.sealed.length > 100);
    assert.equal(a.fields, undefined);
  }
  const raw = JSON.stringify(kept);
  assert.ok(!raw.includes('gotea') && !raw.includes('zafacones') && !raw.includes('lunes'));
  assert.equal(new Set(kept.map((a) => a.sid)).size, 3);
  assert.equal(count(), before);

  /* the session ends while the tablet is away: the ticket still serves */
  L.dbValue(srv.db, "DELETE FROM sessions");
  await ctx.setOffline(false);
  await L.until(page, () => new Promise((ok) => {
    const o = indexedDB.open('buzon', 1);
    o.onsuccess = () => { const g = o.result.transaction('q').objectStore('q').getAll(); g.onsuccess = () => ok(g.result.length === 0); };
  }));
  /* counted quietly: no case code for whoever is at the tablet now */
  await page.locator('#ivq').getByText('enviadas ahora: 3').waitFor();
  assert.equal(count(), before + 3);
  assert.equal(Number(L.dbValue(srv.db, "SELECT count(*) FROM audit WHERE actor = 'e2e-entrevista' AND detail = 'entrevista'")), 3);
  assert.equal(await page.locator('#ivq').getByText('por enviar').count(), 0);
  assert.equal(await page.locator('.cc, p.off:has-text("Código")').count(), 0);
  /* nothing typed was kept in clear anywhere on the tablet */
  assert.equal(await page.evaluate(() => JSON.stringify(Object.assign({}, sessionStorage))).then((t) => /gotea|zafacones|lunes/.test(t)), false);
  await L.screenshot(page, 'entrevista-offline-enviada-800');
  console.log(`# kept offline in ${times.join(', ')} ms`);
  /* the login page (logging out, or someone else logging in) forgets the
     kept interview page */
  await page.goto(`${srv.url}/login?lang=es`);
  await L.until(page, async () => !(await (await caches.open('buzon-iv-1')).keys()).length);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('online, an interview the server refuses comes back with its answers and the reasons', async () => {
  const { ctx, page } = await tablet();
  const before = count();
  /* what was said, but not which kind of comment it is */
  await page.fill('#i-comentario', 'Sin tipo marcado');
  await page.locator('form#f button[type=submit]:not([name])').last().click();
  await page.locator('#errores').waitFor();
  assert.equal(await page.inputValue('#i-comentario'), 'Sin tipo marcado');
  assert.equal(count(), before);
  assert.equal(await page.evaluate(L.queued).then((q) => q.length), 0);
  await ctx.close();
});

test('online with the session ended, an interview is sealed and sent with the ticket at once', async () => {
  const { ctx, page } = await tablet();
  const before = count();
  L.dbValue(srv.db, 'DELETE FROM sessions');
  await page.locator('input[name=comentario_tipo][value=elogio]').check();
  await page.fill('#i-comentario', 'Muy bien atendida en el mercado');
  await page.locator('form#f button[type=submit]:not([name])').last().click();
  await page.locator('#ivq').getByText('enviadas ahora: 1').waitFor();
  assert.equal(count(), before + 1);
  assert.equal(await page.inputValue('#i-comentario'), '');
  assert.equal(new URL(page.url()).pathname, '/entrevista/quejas');
  await ctx.close();
});

test('offline, a required question left empty is asked while the person is there', async () => {
  const { ctx, page } = await tablet();
  await ctx.setOffline(true);
  await page.fill('#i-comentario', 'Falta el tipo');
  await page.locator('form#f button[type=submit]:not([name])').last().click();
  const sum = page.locator('#errores[data-local]');
  await sum.getByText('Antes de guardarla, falta responder:').waitFor();
  await sum.getByRole('link', { name: '¿Qué nos quiere decir?' }).waitFor();
  assert.equal(await sum.getByRole('link').count(), 1);
  assert.equal(await page.evaluate(L.queued).then((q) => q.length), 0);
  assert.equal(await page.inputValue('#i-comentario'), 'Falta el tipo');
  await L.screenshot(page, 'entrevista-offline-falta-800');
  /* answered: kept, and the page's service stays chosen for the next one */
  await sum.getByRole('link').click();
  await page.locator('input[name=comentario_tipo][value=elogio]').check();
  await page.locator('form#f button[type=submit]:not([name])').last().click();
  await page.locator('#ivq').getByText('por enviar: 1').waitFor();
  assert.equal(await page.locator('#errores').count(), 0);
  assert.equal(await page.locator('input[name=servicio][value=mercado]').isChecked(), true);
  await ctx.setOffline(false);
  await page.locator('#ivq').getByText('enviadas ahora: 1').waitFor();
  await ctx.close();
});

test('online, the case code is for its person only: off the address at once, off the page when the next begins', async () => {
  const { ctx, page } = await tablet();
  await page.locator('input[name=comentario_tipo][value=queja]').check();
  await page.fill('#i-comentario', 'No hay agua en los baños');
  await page.locator('input[name=quiere_respuesta][value=no]').check();
  await Promise.all([page.waitForNavigation(), page.locator('form#f button[type=submit]:not([name])').last().click()]);
  const code = page.locator('.done .cc');
  await code.waitFor();
  assert.match(await code.textContent(), /^[A-Z0-9]{9}$/);
  await L.until(page, () => !/[?&](c|hecho)=/.test(location.href));
  assert.ok(await L.inViewport(code));
  await page.locator('input[name=comentario_tipo][value=sugerencia]').check();
  assert.equal(await page.locator('.done').count(), 0);
  await page.reload();
  assert.equal(await page.locator('.done').count(), 0);
  await ctx.close();
});
