/*
 * plan_phone.test.mjs: issue 18 (plan status fixes), the plan page's
 * summary of the ten actions read on a 360 px phone: every action's
 * Responsable and Estado are on screen (the rows become stacked cards,
 * each cell named by its column), the heading is whole, and nothing
 * scrolls sideways; on a 1280 px screen it is still a table. Screenshots
 * of both in artifacts/ (plan-resumen-360.png, plan-resumen-1280.png).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as L from './lib.mjs';
import { staffLogin } from './pages.mjs';

let srv, browser;
before(async () => {
  srv = await L.startServer();
  browser = await L.launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

/* Where each summary cell of the page is, against the viewport. */
function cells(page) {
  return page.evaluate(() => [...document.querySelectorAll('.d-ps tbody td, #h-plan-sum')].map((e) => {
    const r = e.getBoundingClientRect();
    return { what: e.dataset.label || e.id || e.textContent.trim(), left: r.left, right: r.right,
      width: r.width, vw: innerWidth, display: getComputedStyle(e).display };
  }));
}

test('the plan summary is readable on a 360 px phone and a table on a wide screen', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  assert.ok(await staffLogin(page, srv, async () => {}, 'e2e-plan', 'es'));
  await page.goto(`${srv.url}/indicadores/plan?lang=es`);
  const narrow = await cells(page);
  assert.ok(narrow.filter((c) => c.what === 'Estado').length === 10, 'ten status cells');
  for (const c of narrow)
    assert.ok(c.left >= 0 && c.right <= c.vw + 0.5 && c.width > 0, `off screen at 360 px: ${JSON.stringify(c)}`);
  assert.deepEqual(await L.overflowsSideways(page), []);
  assert.equal(await page.locator('#h-plan-sum').textContent(), 'Resumen de las diez acciones');
  await page.locator('#h-plan-sum').scrollIntoViewIfNeeded();
  await L.screenshot(page, 'plan-resumen-360');
  await page.setViewportSize({ width: 1280, height: 800 });
  const wide = await cells(page);
  assert.ok(wide.filter((c) => c.what === 'Estado').every((c) => c.display === 'table-cell'), 'a table at 1280 px');
  await L.screenshot(page, 'plan-resumen-1280');
  await ctx.close();
});
