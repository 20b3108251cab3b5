/*
 * a11y.test.mjs: every citizen page (pages.mjs), in Spanish and in Kreyòl,
 * on a 360x640 phone: no axe-core violation of the WCAG 2.1 A and AA rules,
 * labels, fieldsets and error messages bound as lib.mjs formProblems()
 * says, every touch target at least 44 px, and in Kreyòl no Spanish interface
 * text (kreyol.mjs). Survey pages again as a browser without JavaScript
 * shows them (every conditional question visible), and the main pages at
 * 200% text size: still no sideways scrolling, nothing sticking out of its
 * box, targets still large enough, no violations. Every page again on a
 * 1280 px desktop. Staff pages: all those reachable after logging in, in
 * both languages, at 360 and 1280 px (skipped while this build has none).
 * Survey pages expose "required" and claim nothing invalid before a failed
 * submit; rating labels never break inside a word.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as L from './lib.mjs';
import { citizenPages, openPage, staffLogin, crawl, complain } from './pages.mjs';
import { spanishIn, pageText, SPANISH_SUBMIT } from './kreyol.mjs';

let srv, browser, phone, desktop, bigText;
/* An office PC's browser window. */
const DESKTOP = { viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false };
before(async () => {
  srv = await L.startServer();
  browser = await L.launchBrowser();
  phone = await L.newPhone(browser);
  desktop = await L.newPhone(browser, DESKTOP);
});
after(async () => {
  await bigText?.close();
  await desktop?.close();
  await browser?.close();
  await srv?.stop();
});

/* Run fn with a new page of the shared phone (opts: a context of its own
 * with those options); close it whatever happens. */
async function withPage(opts, fn) {
  const ctx = opts === 'desktop' ? null : opts ? await L.newPhone(browser, opts) : null;
  const page = await (ctx || (opts === 'desktop' ? desktop : phone)).newPage();
  try {
    return await fn(page);
  } finally {
    await (ctx || page).close();
  }
}

/* No axe violation, and targets of at least min px: 44 on the citizens'
 * phones; staff work at office PCs, where WCAG 2.2's 24 px (2.5.8, AA)
 * applies and links in tables and lists count as running text. */
async function assertAccessible(page, what, min = 44, text = 'p') {
  const v = await L.axeViolations(page);
  assert.deepEqual(v, [], `${what}: axe violations:\n${v.join('\n')}`);
  const f = await L.formProblems(page);
  assert.deepEqual(f, [], `${what}: forms:\n${f.join('\n')}`);
  const small = await L.smallTargets(page, min, text);
  assert.deepEqual(small, [], `${what}: targets under ${min} px:\n${small.join('\n')}`);
}

test('the Kreyòl check finds Spanish on a Spanish page', () => withPage(null, async (page) => {
  await page.goto(`${srv.url}/e/satisfaccion?lang=es`);
  assert.ok(spanishIn(await pageText(page)).includes(`S_SUBMIT: "${SPANISH_SUBMIT}"`));
}));

/* Pages are independent: three at a time keep both cores busy. */
describe('citizen pages', { concurrency: 3 }, () => {
  for (const spec of citizenPages()) {
    for (const lang of ['es', 'ht']) {
      const kreyol = lang === 'ht' ? ', no Spanish interface text' : '';
      test(`${spec.name} [${lang}]: WCAG 2.1 AA, 44 px targets${kreyol}`, () => withPage(null, async (page) => {
        const resp = await openPage(page, srv, spec, lang);
        assert.equal(resp.status(), spec.status);
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        if (kreyol) assert.deepEqual(spanishIn(await pageText(page)), [], 'Spanish on a Kreyòl page');
        await assertAccessible(page, `${spec.name} [${lang}]`);
      }));
      test(`${spec.name} [${lang}] at 1280 px: WCAG 2.1 AA`, () => withPage('desktop', async (page) => {
        const resp = await openPage(page, srv, spec, lang);
        assert.equal(resp.status(), spec.status);
        await assertAccessible(page, `${spec.name} [${lang}] 1280 px`);
      }));
    }
    /* Without the script every conditional question shows (axe itself
     * needs JavaScript, so only buzon.js is kept away). */
    if (spec.form) {
      test(`${spec.name} without buzon.js: WCAG 2.1 AA, 44 px targets`, () => withPage(null, async (page) => {
        await page.route('**/s/buzon.js', (route) => route.abort());
        const resp = await openPage(page, srv, spec, 'es');
        assert.equal(resp.status(), spec.status);
        /* but the place's "Usar mi ubicación" button, which needs the script */
        assert.equal(await page.locator('[hidden]:not(button.geo)').count(), 0);
        await assertAccessible(page, `${spec.name} without script`);
      }));
    }
  }
});

/* 200% text: the browser's default font size doubled. */
for (const name of ['index', 'satisfaccion-point', 'satisfaccion-422', 'satisfaccion-thanks', '404']) {
  test(`${name} at 200% text size: reflows, 44 px targets, WCAG 2.1 AA`, async () => {
    bigText ??= await L.largeTextPhone(2);
    const page = await bigText.ctx.newPage();
    try {
      await openPage(page, srv, citizenPages().find((p) => p.name === name), 'ht');
      const fontSize = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
      assert.ok(fontSize >= 32, `body text is ${fontSize}px, not doubled`);
      const wide = await L.overflowsSideways(page);
      assert.deepEqual(wide, [], `wider than its box:\n${wide.join('\n')}`);
      await assertAccessible(page, `${name} at 200%`);
      await L.screenshot(page, `text200-${name}`);
    } finally {
      await page.close();
    }
  });
}

/* Staff pages in each language, on an office PC and on a phone: every
 * page reachable from the landing page (tables that scroll sideways must
 * be named regions the keyboard can reach: scrollable-region-focusable). */
for (const lang of ['es', 'ht']) {
  for (const width of [1280, 360]) {
    test(`staff pages [${lang}] at ${width} px: WCAG 2.1 AA, 24 px targets`, async (t) => {
      const opts = width === 1280 ? DESKTOP : null;
      await withPage(opts || {}, async (page) => {
        const problems = [];
        /* Every page is checked; the failures are reported together. */
        const check = async (what) => {
          try {
            assert.equal(await page.getAttribute('html', 'lang'), lang, `${what}: language`);
            await assertAccessible(page, what, 24, 'p, li, td, th, dd');
          } catch (e) {
            problems.push(e.message.split('\n+ actual')[0]);
          }
        };
        await complain(page, srv, lang);        /* so there is a case to open */
        const landing = await staffLogin(page, srv, () => check('/login'), `e2e-${lang}-${width}`, lang);
        if (!landing) {
          t.skip('this build has no staff accounts yet');
          return;
        }
        const visited = await crawl(page, srv, landing, async (url) => {
          await check(url);
          /* One file per kind of page: ids (segments with a digit or a
           * capital) are left out of the name. */
          const kind = new URL(url).pathname.replace(/\/[^/]*[0-9A-Z][^/]*/g, '/id').replace(/\W+/g, '_');
          await L.screenshot(page, `staff${kind}-${lang}-${width}`);
        });
        t.diagnostic(`staff pages checked: ${['/login', ...visited.map((u) => new URL(u).pathname)].join(' ')}`);
        assert.ok(visited.length > 0);
        assert.deepEqual(problems, []);
      });
    });
  }
}

/* The dashboard on a phone with 200% text: no sideways scrolling of the
 * page (wide tables scroll inside their own region). */
test('/indicadores at 360 px and 200% text: reflows, WCAG 2.1 AA', async (t) => {
  bigText ??= await L.largeTextPhone(2);
  const page = await bigText.ctx.newPage();
  try {
    if (!await staffLogin(page, srv, async () => {}, 'e2e-bigtext', 'es')) {
      t.skip('this build has no staff accounts yet');
      return;
    }
    for (const path of ['/indicadores?lang=es', '/indicadores/plan?lang=ht']) {
      await page.goto(`${srv.url}${path}`);
      const wide = await L.overflowsSideways(page);
      assert.deepEqual(wide, [], `${path}: wider than its box:\n${wide.join('\n')}`);
      await assertAccessible(page, `${path} at 200%`, 24, 'p, li, td, th, dd');
    }
    await L.screenshot(page, 'text200-indicadores');
  } finally {
    await page.close();
  }
});

/* Regression (issue 13): /usuarios on a phone scrolled the page sideways
 * (the accounts table 650 px wide; a phone's browser widens its layout
 * viewport to fit, so window.innerWidth alone does not show it) and put
 * each account's actions off-screen. Each account is now a card. */
test('/usuarios at 360 px: no sideways scrolling, actions on screen', async (t) => {
  await withPage(null, async (page) => {
    if (!await staffLogin(page, srv, async () => {}, 'e2e-usuarios-360', 'es')) {
      t.skip('this build has no staff accounts yet');
      return;
    }
    L.addStaffUser(srv, 'supervisora.central', 'e2e-clave-larga-123', 'atencion');
    await page.goto(`${srv.url}/usuarios?lang=es`);
    const wide = await L.overflowsSideways(page);
    assert.deepEqual(wide, [], `/usuarios: wider than its box:\n${wide.join('\n')}`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `/usuarios is ${width} px wide on a 360 px phone`);
    const off = await page.locator('table button').evaluateAll(
      (els) => els.filter((e) => e.getBoundingClientRect().right > 360).map((e) => e.textContent));
    assert.deepEqual(off, [], '/usuarios: actions off-screen');
    await assertAccessible(page, '/usuarios at 360 px', 24, 'p, li, td, th, dd');
    await L.screenshot(page, 'usuarios-360');
  });
});

/* Printed, the dashboard and the plan page are a report for the MAP: the
 * staff menu and its "Salir" button stay off the paper (issue 13 item 19;
 * a later screen rule once showed them again). */
test('/indicadores and /indicadores/plan printed: no menu, no buttons', async (t) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    if (!await staffLogin(page, srv, async () => {}, 'e2e-print', 'es')) {
      t.skip('this build has no staff accounts yet');
      return;
    }
    for (const path of ['/indicadores?service=mercado&lang=es', '/indicadores/plan?lang=ht']) {
      await page.goto(`${srv.url}${path}`);
      assert.ok(await page.locator('.sn').isVisible(), `${path}: the menu shows on screen`);
      await page.emulateMedia({ media: 'print' });
      const shown = await page.locator('.sn, .sn *, header nav, button').evaluateAll(
        (els) => els.filter((e) => e.getClientRects().length > 0).map((e) => e.outerHTML.slice(0, 60)));
      assert.deepEqual(shown, [], `${path}: printed`);
      await page.emulateMedia({ media: 'screen' });
    }
  } finally {
    await page.close();
  }
});

/* What a screen reader hears of a survey's questions (Chromium's
 * accessibility tree through DevTools): for each question block, whether
 * it is announced required and whether anything in it is announced
 * invalid. */
async function announced(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: '.q' });
    const out = [];
    for (const nodeId of nodeIds) {
      const { nodeIds: inner } = await cdp.send('DOM.querySelectorAll', { nodeId, selector: 'input, select, textarea' });
      let required = false;
      let invalid = false;
      const { nodes: self } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
      if (self[0]?.ignored) continue;          /* hidden: a question that does not apply yet */
      for (const id of [nodeId, ...inner]) {
        const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId: id, fetchRelatives: false });
        for (const p of nodes[0]?.properties || []) {
          if (p.name === 'required' && p.value.value === true) required = true;
          if (p.name === 'invalid' && p.value.value !== 'false') invalid = true;
        }
      }
      const { node } = await cdp.send('DOM.describeNode', { nodeId });
      const attrs = node.attributes || [];
      const { nodeIds: marks } = await cdp.send('DOM.querySelectorAll', { nodeId, selector: 'abbr.r' });
      out.push({ id: attrs[attrs.indexOf('id') + 1], marked: marks.length > 0, required, invalid });
    }
    return out;
  } finally {
    await cdp.detach();
  }
}

for (const form of ['satisfaccion', 'quejas']) {
  test(`${form}: required questions announced required, nothing invalid until a failed submit`, () => withPage(null, async (page) => {
    await page.goto(`${srv.url}/e/${form}?lang=es`);
    const fresh = await announced(page);
    assert.ok(fresh.some((q) => q.marked), 'the form has required questions');
    const wrong = fresh.filter((q) => q.invalid || q.marked !== q.required);
    assert.deepEqual(wrong, [], 'fresh page: required exposed exactly where marked, nothing invalid');
    await Promise.all([page.waitForNavigation(), page.locator('button[type=submit]').click()]);
    const failed = await announced(page);
    const errs = await page.locator('.q.x').evaluateAll((qs) => qs.map((q) => q.id));
    assert.ok(errs.length > 0, 'the empty submit failed');
    assert.deepEqual(failed.filter((q) => q.invalid).map((q) => q.id).sort(), errs.sort(),
      'after the failed submit: exactly the questions in error announced invalid');
  }));
}

/* Rating scales laid out in a row (640 px and wider) keep every word of a
 * label whole: "Totalmente", never "Totalm" / "ente". */
for (const width of [640, 800, 1280]) {
  test(`rating labels at ${width} px: no word broken across lines`, () => withPage({ viewport: { width, height: 900 }, isMobile: false, hasTouch: false }, async (page) => {
    for (const lang of ['es', 'ht']) {
      await page.goto(`${srv.url}/e/satisfaccion?p=mercado-municipal&lang=${lang}`);
      const broken = await page.evaluate(() => {
        const out = [];
        for (const label of document.querySelectorAll('.k .o label')) {
          const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            for (const m of n.data.matchAll(/\S+/g)) {
              const r = document.createRange();
              r.setStart(n, m.index);
              r.setEnd(n, m.index + m[0].length);
              const tops = new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top)));
              if (tops.size > 1) out.push(`${m[0]} (${label.textContent.trim()})`);
            }
          }
        }
        return out;
      });
      assert.deepEqual(broken, [], `${lang}: words broken inside`);
    }
  }));
}
