/*
 * entry_sheet.test.mjs (issue 17 follow-up): a batch's sheet on /entrada at
 * 360x640, in Spanish and Kreyòl: the sheet-number field reads "Hoja n.º
 * [ 1 ] del lote «lote-b»" on one line, and no word of the page is broken
 * inside itself ("cementeri|o") while nothing sticks out sideways.
 * Screenshots artifacts/entrada-lote-360-<lang>.png.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as L from './lib.mjs';

let srv, browser;
before(async () => {
  srv = await L.startServer();
  browser = await L.launchBrowser();
  assert.ok(L.addStaffUser(srv, 'e2e-lote', 'e2e-clave-larga-123', 'captura'));
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

/* The words (letters only, 4 or more) laid out over more than one line:
 * broken inside themselves. */
function brokenWords(page) {
  return page.evaluate(() => {
    const out = [];
    const walk = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('.vh, .hp, [aria-hidden=true], script, style, option') || !el.getClientRects().length) continue;
      for (const m of n.data.matchAll(/\p{L}{4,}/gu)) {
        const r = document.createRange();
        r.setStart(n, m.index);
        r.setEnd(n, m.index + m[0].length);
        const tops = new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top)));
        if (tops.size > 1) out.push(m[0]);
      }
    }
    return out;
  });
}

/* The sheet's page in lang on page (logged in here), checked; shot names
 * its screenshot; oneLine: the number's box and the batch side by side
 * (at 200% text they may wrap, as words do). */
async function checkSheet(page, lang, shot, oneLine = true) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await L.staffLogin(page, srv, 'e2e-lote');
  await page.goto(`${srv.url}/entrada/quejas-2024.1-cementerio-municipal-${lang}?lote=lote-b&hoja=1`);
  console.log(await L.screenshot(page, shot));
  const field = page.locator('#q-_hoja');
  const want = lang === 'es' ? /Hoja n\.º\s*\*?\s*del lote «lote-b»/ : /Fèy nimewo\s*\*?\s*nan lo «lote-b»/;
  assert.match((await field.innerText()).replace(/\s+/g, ' '), want);
  assert.deepEqual(await brokenWords(page), []);
  /* The number's box and "del lote «lote-b»" side by side. */
  const box = await page.locator('#i-_hoja').boundingBox();
  const after = await page.locator('#q-_hoja .lb').boundingBox();
  if (oneLine) assert.ok(Math.abs(box.y + box.height / 2 - (after.y + after.height / 2)) < box.height / 2, 'on one line');
  assert.deepEqual(await L.overflowsSideways(page), []);
  assert.deepEqual(errors, []);
}

for (const lang of ['es', 'ht']) {
  test(`a batch's sheet at 360 px (${lang})`, async () => {
    const ctx = await browser.newContext(L.PHONE);
    ctx.setDefaultTimeout(10000);
    await checkSheet(await ctx.newPage(), lang, `entrada-lote-360-${lang}`);
    await ctx.close();
  });
}

test("a batch's sheet at 360 px with text at 200%", async () => {
  const big = await L.largeTextPhone(2);
  try {
    await checkSheet(await big.ctx.newPage(), 'es', 'entrada-lote-360-texto200', false);
  } finally {
    await big.close();
  }
});
