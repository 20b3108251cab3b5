/*
 * resubmit.test.mjs: Back after sending, then "Enviar" again (issue 13
 * item 9). The browser shows the survey again with the answers refilled;
 * sending it must store nothing new and land on the same thank-you page
 * with the same case code. Proven with and without JavaScript, and both
 * ways Chromium goes back: re-loading the page from its HTTP cache
 * (playwright's default: --disable-back-forward-cache) and restoring the
 * page itself from the back-forward cache (a phone's default).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import * as L from './lib.mjs';

let srv;
before(async () => { srv = await L.startServer(); });
after(async () => { await srv?.stop(); });

const F = { id: 'quejas', point: 'matadero-municipal' };

function count(sql) {
  return Number(L.dbValue(srv.db, sql));
}

async function send(page) {
  await Promise.all([page.waitForURL(/\/gracias/), page.locator('button[type=submit]').click()]);
  const url = new URL(page.url());
  return { path: url.pathname, code: url.searchParams.get('c') };
}

for (const bfcache of [false, true]) {
  for (const js of [true, false]) {
    const how = `${js ? 'with' : 'without'} JavaScript, ${bfcache ? 'back-forward cache' : 'HTTP cache'}`;
    test(`Back and "Enviar" again stores nothing new (${how})`, async () => {
      const opts = { executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
          '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] };
      if (bfcache) opts.ignoreDefaultArgs = ['--disable-back-forward-cache'];
      const browser = await chromium.launch(opts);
      try {
        const ctx = await L.newPhone(browser, { javaScriptEnabled: js });
        const page = await ctx.newPage();
        const text = `Back-resubmit ${how}: el matadero no tiene agua.`;
        await page.goto(`${srv.url}/e/${F.id}?p=${F.point}`);
        await L.answerByPointer(page, { ...L.ANSWERS.quejas, comentario: text });
        /* A mark on this document: it survives Back only if the page
         * itself was kept (back-forward cache). */
        await page.evaluate(() => { window.buzonMark = 'kept'; });
        const first = await send(page);
        assert.equal(first.path, `/e/${F.id}/gracias`);
        assert.ok(first.code, 'a case code on the thank-you page');
        const where = `FROM responses r JOIN answers a ON a.response_id = r.id `
          + `WHERE a.question = 'comentario' AND a.value = '${text}'`;
        assert.equal(count(`SELECT count(*) ${where}`), 1);

        /* A page restored from the back-forward cache fires no new load. */
        await page.goBack({ waitUntil: 'commit' });
        await page.locator('[name=comentario]').waitFor();
        assert.equal(new URL(page.url()).pathname, `/e/${F.id}`);
        const kept = await page.evaluate(() => window.buzonMark === 'kept');
        assert.equal(kept, bfcache, bfcache ? 'not restored from the back-forward cache' : 'not re-loaded');
        /* The browser refilled what the citizen had written. */
        assert.equal(await page.locator('[name=comentario]').inputValue(), text);
        const again = await send(page);
        assert.deepEqual(again, first, 'the same thank-you page and case code');
        if (!bfcache) await L.screenshot(page, `resubmit-${js ? 'js' : 'no-js'}`);
        assert.equal(count(`SELECT count(*) ${where}`), 1, 'a second copy was stored');
        assert.equal(count(`SELECT count(*) FROM cases c JOIN responses r ON r.id = c.response_id ${
          where.replace(/^FROM responses r/, '')}`), 1);
        await ctx.close();
      } finally {
        await browser.close();
      }
    });
  }
}
