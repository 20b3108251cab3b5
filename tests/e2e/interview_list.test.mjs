/*
 * interview_list.test.mjs: the /entrevista list (issue 17) on a staff
 * tablet (800x1280) and a phone (360x640): each form's point select and
 * its "Empezar" button sit on one line on the tablet, the button never
 * above its select, and on the phone the select fits the screen (a long
 * point name does not widen the page) with the button under it. The top
 * navigation links to /entrevista.
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

/* The label, select and button boxes of every form on the list. */
async function rows(w, h) {
  const ctx = await L.newPhone(browser, { viewport: { width: w, height: h } });
  try {
    const page = await ctx.newPage();
    if (!(await staffLogin(page, srv, async () => {}, `e2e-iv${w}`, 'es'))) return null;
    await page.goto(`${srv.url}/entrevista?lang=es`);
    assert.ok(await page.locator('a[href^="/entrevista"]').count() > 0, 'the navigation links /entrevista');
    await L.screenshot(page, `entrevista-${w}`);
    return {
      overflow: await L.overflowsSideways(page),
      forms: await page.evaluate(() => [...document.querySelectorAll('.iv form')].map((f) => {
        const b = (s) => f.querySelector(s).getBoundingClientRect().toJSON();
        return { select: b('select'), button: b('button') };
      })),
    };
  } finally {
    await ctx.close();
  }
}

test('interview list: select and start button on one line on a tablet', async (t) => {
  const r = await rows(800, 1280);
  if (!r) return t.skip('no staff pages in this build');
  assert.ok(r.forms.length > 0);
  for (const { select, button } of r.forms) {
    const mid = (b) => b.y + b.height / 2;
    assert.ok(Math.abs(mid(select) - mid(button)) < 6, `button centred on its select: ${JSON.stringify({ select, button })}`);
    assert.ok(button.x >= select.x + select.width, 'button after the select');
  }
});

test('interview list: fits a phone, the button under its select', async (t) => {
  const r = await rows(360, 640);
  if (!r) return t.skip('no staff pages in this build');
  assert.deepEqual(r.overflow, []);
  for (const { select, button } of r.forms) {
    assert.ok(select.x + select.width <= 360, `select inside the screen: ${JSON.stringify(select)}`);
    assert.ok(button.y >= select.y + select.height - 1, 'button not above its select');
  }
});
