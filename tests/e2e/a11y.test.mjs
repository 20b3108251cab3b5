/*
 * a11y.test.mjs: every citizen page (pages.mjs), in Spanish and in Kreyòl,
 * on a 360x640 phone: no axe-core violation of the WCAG 2.1 A and AA rules,
 * labels, fieldsets and error messages bound as lib.mjs formProblems()
 * says, every touch target at least 44 px, and in Kreyòl no Spanish interface
 * text (kreyol.mjs). Survey pages again as a browser without JavaScript
 * shows them (every conditional question visible), and the main pages at
 * 200% text size: still no sideways scrolling, nothing sticking out of its
 * box, targets still large enough, no violations. Staff pages: all those
 * reachable after logging in (skipped while this build has none).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as L from './lib.mjs';
import { citizenPages, openPage, staffLogin, crawl, complain } from './pages.mjs';
import { spanishIn, pageText, SPANISH_SUBMIT } from './kreyol.mjs';

let srv, browser, phone, bigText;
before(async () => {
  srv = await L.startServer();
  browser = await L.launchBrowser();
  phone = await L.newPhone(browser);
});
after(async () => {
  await bigText?.close();
  await browser?.close();
  await srv?.stop();
});

/* Run fn with a new page of the shared phone (opts: a context of its own
 * with those options); close it whatever happens. */
async function withPage(opts, fn) {
  const ctx = opts ? await L.newPhone(browser, opts) : null;
  const page = await (ctx || phone).newPage();
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
    }
    /* Without the script every conditional question shows (axe itself
     * needs JavaScript, so only buzon.js is kept away). */
    if (spec.form) {
      test(`${spec.name} without buzon.js: WCAG 2.1 AA, 44 px targets`, () => withPage(null, async (page) => {
        await page.route('**/s/buzon.js', (route) => route.abort());
        const resp = await openPage(page, srv, spec, 'es');
        assert.equal(resp.status(), spec.status);
        assert.equal(await page.locator('[hidden]').count(), 0);
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

test('staff pages: WCAG 2.1 AA, 24 px targets', async (t) => {
  await withPage({ viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false }, async (page) => {
    const problems = [];
    /* Every page is checked; the failures are reported together. */
    const check = async (what) => {
      try {
        await assertAccessible(page, what, 24, 'p, li, td, th, dd');
      } catch (e) {
        problems.push(e.message.split('\n+ actual')[0]);
      }
    };
    await complain(page, srv, 'es');        /* so there is a case to open */
    const landing = await staffLogin(page, srv, () => check('/login'));
    if (!landing) {
      t.skip('this build has no staff accounts yet');
      return;
    }
    const visited = await crawl(page, srv, landing, async (url) => {
      await check(url);
      /* One file per kind of page: ids (segments with a digit or a
       * capital) are left out of the name. */
      const kind = new URL(url).pathname.replace(/\/[^/]*[0-9A-Z][^/]*/g, '/id').replace(/\W+/g, '_');
      await L.screenshot(page, `staff${kind}`);
    });
    t.diagnostic(`staff pages checked: ${['/login', ...visited.map((u) => new URL(u).pathname)].join(' ')}`);
    assert.ok(visited.length > 0);
    assert.deepEqual(problems, []);
  });
});
