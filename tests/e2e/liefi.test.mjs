/*
 * liefi.test.mjs: issue 17, the offline gap: a phone that reports a
 * connection that carries nothing ("lie-fi"). The server is paused
 * (SIGSTOP: the kernel still takes the connections, nobody answers), so
 * the browser believes it is online. After one visit, the survey opens
 * from the service worker's copy within a few seconds instead of the
 * browser's error page; an answer whose POST gets no answer is kept on
 * the phone and the page says so; once the server answers again, it is
 * sent and stored exactly once, with the case code.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as L from './lib.mjs';

let srv, browser;
before(async () => { srv = await L.startServer(); browser = await L.launchBrowser(); });
after(async () => {
  try { process.kill(srv.pid, 'SIGCONT'); } catch { /* gone */ }
  await browser?.close();
  await srv?.stop();
});


test('lie-fi: the kept survey opens, the answer is kept, then sent once', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  const url = `${srv.url}/e/quejas?p=matadero-municipal`;
  await page.goto(url);
  await L.until(page, async (u) => {
    await Promise.race([navigator.serviceWorker.ready, new Promise((r) => setTimeout(r, 200))]);
    return !!navigator.serviceWorker.controller && !!(await caches.match(u));
  }, url);

  process.kill(srv.pid, 'SIGSTOP');
  try {
    const t0 = Date.now();
    await page.goto(url, { timeout: 10000 });
    await page.locator('[name=comentario]').waitFor();
    const tOpen = Date.now() - t0;
    assert.ok(tOpen < 7000, `opened in ${tOpen} ms`);
    const text = 'Lie-fi: el matadero sigue sin agua.';
    await L.answerByPointer(page, { ...L.ANSWERS.quejas, comentario: text });
    const t1 = Date.now();
    await page.locator('button[type=submit]:not([name])').click({ timeout: 20000 });
    const notice = page.locator('p.ok[role=status]');
    await notice.waitFor({ timeout: 15000 });
    const tKeep = Date.now() - t1;
    assert.match(await notice.textContent(), /^Guardado en su teléfono: se enviará cuando haya conexión/);
    const q = await L.until(page, () => new Promise((ok) => {
      const o = indexedDB.open('buzon', 1);
      o.onsuccess = () => { const g = o.result.transaction('q').objectStore('q').getAll(); g.onsuccess = () => ok(g.result.length ? g.result : null); };
    }));
    assert.equal(q.length, 1);
    assert.ok(q[0].fields.some(([k, v]) => k === 'comentario' && v === text));
    assert.ok(q[0].title, 'the kept answer names its survey');
    await L.screenshot(page, 'liefi-kept');
    console.log(`# lie-fi: survey opened from the kept copy in ${tOpen} ms; answer kept after ${tKeep} ms`);
    process.kill(srv.pid, 'SIGCONT');
    /* the page's own send (started while paused) now gets its answer */
    const sent = await L.until(page, () => {
      const p = [...document.querySelectorAll('p.ok[role=status]')].find((e) => /^Enviado/.test(e.textContent));
      return p && p.textContent;
    }, undefined, 10000);
    const m = /^Enviado\. Código de su caso: (\S+)$/.exec(sent);
    assert.ok(m, sent);
    const where = `FROM responses r JOIN answers a ON a.response_id = r.id WHERE a.question = 'comentario' AND a.value = '${text}'`;
    const end = Date.now() + 5000;
    while (Number(L.dbValue(srv.db, `SELECT count(*) ${where}`)) < 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(Number(L.dbValue(srv.db, `SELECT count(*) ${where}`)), 1);
    assert.equal(Number(L.dbValue(srv.db, `SELECT count(*) FROM cases WHERE code = '${m[1]}'`)), 1);
  } finally {
    process.kill(srv.pid, 'SIGCONT');
  }
  await ctx.close();
});
