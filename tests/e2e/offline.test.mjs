/*
 * offline.test.mjs: answering with no connection (issue 17 item 1). On a
 * 360x640 phone: one visit online to a complaint form, the browser goes
 * offline, the survey reloads from the service worker's cache, is
 * answered and sent: the page says it is kept on the phone and the answer
 * is in IndexedDB, not in the database. Back online, it is sent by itself,
 * stored exactly once, and the page says "Enviado" with the case code. No
 * staff page is ever in the cache.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as L from './lib.mjs';

let srv, browser;
before(async () => { srv = await L.startServer(); browser = await L.launchBrowser(); });
after(async () => { await browser?.close(); await srv?.stop(); });

const F = { id: 'quejas', point: 'matadero-municipal' };



test('an answer sent offline is kept, then stored once when back online', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  const url = `${srv.url}/e/${F.id}?p=${F.point}`;
  await page.goto(url);
  /* the first visit is kept once the worker is ready */
  await L.until(page, async (u) => {
    await Promise.race([navigator.serviceWorker.ready, new Promise((r) => setTimeout(r, 200))]);
    return !!(await caches.match(u));
  }, url);
  /* staff pages visited online are never kept */
  await page.goto(`${srv.url}/login`);
  await page.goto(`${srv.url}/casos`);
  await page.goto(url);

  await ctx.setOffline(true);
  const t0 = Date.now();
  await page.reload();
  await page.locator('[name=comentario]').waitFor();
  const text = 'Offline: el matadero sigue sin agua.';
  await L.answerByPointer(page, { ...L.ANSWERS.quejas, comentario: text });
  await page.locator('button[type=submit]').click();
  const notice = page.locator('p.ok[role=status]');
  await notice.waitFor();
  assert.match(await notice.textContent(), /^Guardado en su teléfono: se enviará cuando haya conexión/);
  const tOffline = Date.now() - t0;
  const q = await page.evaluate(L.queued);
  assert.equal(q.length, 1);
  assert.ok(q[0].fields.some(([k, v]) => k === 'comentario' && v === text));
  assert.ok(q[0].fields.some(([k, v]) => k === '_sid' && v === q[0].sid));
  const where = `FROM responses r JOIN answers a ON a.response_id = r.id `
    + `WHERE a.question = 'comentario' AND a.value = '${text}'`;
  assert.equal(Number(L.dbValue(srv.db, `SELECT count(*) ${where}`)), 0);
  await L.screenshot(page, 'offline-kept');

  await ctx.setOffline(false);
  const sent = await L.until(page, () => {
    const p = [...document.querySelectorAll('p.ok[role=status]')].find((e) => /^Enviado/.test(e.textContent));
    return p && p.textContent;
  });
  const m = /^Enviado\. Código de su caso: (\S+)$/.exec(sent);
  assert.ok(m, sent);
  await L.screenshot(page, 'offline-sent');
  assert.equal(await page.locator("p.ok[role=status]").count(), 1);
  const deadline = Date.now() + 5000;
  while (Number(L.dbValue(srv.db, `SELECT count(*) ${where}`)) !== 1 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(Number(L.dbValue(srv.db, `SELECT count(*) ${where}`)), 1);
  assert.equal(await page.evaluate(L.queued).then((x) => x.length), 0);
  /* the next visit sends nothing again */
  await page.goto(url);
  await page.locator('[name=comentario]').waitFor();
  assert.equal(Number(L.dbValue(srv.db, `SELECT count(*) ${where}`)), 1);
  assert.equal(Number(L.dbValue(srv.db, `SELECT count(*) FROM cases WHERE code = '${m[1]}'`)), 1);

  const keys = await page.evaluate(async () => (await (await caches.open('buzon-1')).keys()).map((r) => new URL(r.url).pathname));
  assert.ok(keys.length >= 2, keys.join(' '));
  for (const k of keys) assert.match(k, /^\/(e\/[^/]+|s\/[^/]+)$/, k);
  console.log(`# offline: reload, answer and keep took ${tOffline} ms; cache holds ${keys.join(' ')}`);
  await ctx.close();
});
