/*
 * survey.test.mjs: the citizen loop in a real browser on a 360x640 phone,
 * for each standard survey and the complaints form (lib.mjs FORMS): open
 * it through the short link its poster carries, answer, submit, land on
 * the thank-you page, and find the answers stored as given (and, for a
 * comment, follow the case's tracking code). Four ways each: by touch with
 * JavaScript, with JavaScript disabled, by keyboard alone, and in Kreyòl
 * (reached through the page's language switch, as a Kreyòl reader who
 * scanned a poster would). Then the error path: the 422 page's summary
 * takes the focus, with and without JavaScript, and its links lead to the
 * questions. Screenshots land in tests/e2e/artifacts/.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as L from './lib.mjs';

let srv, browser;
before(async () => {
  srv = await L.startServer();
  browser = await L.launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

/* The answers stored under submission id sid for form at point in lang,
 * as { question: value }. */
function stored(sid, f, lang) {
  const rows = L.dbValue(srv.db, `SELECT a.question || '=' || a.value FROM answers a `
    + `JOIN responses r ON r.id = a.response_id WHERE r.submission_id = '${sid}' `
    + `AND r.form_id = '${f.id}' AND r.point_id = '${f.point}' AND r.lang = '${lang}' AND r.channel = 'web'`);
  return Object.fromEntries(rows.split('\n').filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2)));
}

/* Open the short link, check it lands on the survey of the point. */
async function openShortLink(page, f) {
  const link = srv.links[`${f.id}/${f.point}`];
  assert.ok(link, `no short link for ${f.id}/${f.point} in links.tsv`);
  const resp = await page.goto(link);
  assert.equal(resp.status(), 200, `${link} answered ${resp.status()}`);
  assert.equal(new URL(page.url()).pathname, `/e/${f.id}`);
  assert.equal(new URL(page.url()).searchParams.get('p'), f.point);
}

async function assertThanks(page, f, lang) {
  assert.equal(new URL(page.url()).pathname, `/e/${f.id}/gracias`);
  const strings = L.stringsTable(lang);
  assert.equal(await page.locator('h1').textContent(), strings.S_THANKS_TITLE);
  assert.equal(await page.getAttribute('html', 'lang'), lang);
}

const MODES = {
  touch: { ctx: {}, lang: 'es' },
  'no-js': { ctx: { javaScriptEnabled: false }, lang: 'es' },
  keyboard: { ctx: {}, lang: 'es' },
  kreyol: { ctx: {}, lang: 'ht' },
};

/* Each run has a context of its own: two at a time keep both cores busy. */
describe('each survey, each way', { concurrency: 2 }, () => {
  for (const f of L.FORMS) {
    for (const [mode, m] of Object.entries(MODES)) {
      test(`${f.id}: answered ${mode} through the short link`, async () => {
        const ctx = await L.newPhone(browser, m.ctx);
        const page = await ctx.newPage();
        try {
          await openShortLink(page, f);
          if (mode === 'kreyol') {
            await Promise.all([page.waitForNavigation(), page.locator('a[hreflang=ht]').click()]);
            assert.equal(await page.getAttribute('html', 'lang'), 'ht');
            assert.equal(new URL(page.url()).searchParams.get('p'), f.point);
          }
          const answers = L.ANSWERS[f.id];
          const sid = await page.locator('input[name=_sid]').getAttribute('value');
          if (mode === 'no-js') {
            /* Every conditional question shows, saying when it applies. */
            assert.ok(await page.locator('p.c').count() > 0);
            assert.equal(await page.locator('[hidden]').count(), 0);
          }
          if (mode === 'keyboard') {
            const reached = await L.answerByKeyboard(page, answers);
            assert.deepEqual(reached.sort(), Object.keys(answers).sort());
          } else {
            await L.answerByPointer(page, answers);
            await L.screenshot(page, `${f.id}-${mode}-answered`);
            await Promise.all([page.waitForNavigation(), page.locator('button[type=submit]').click()]);
          }
          await assertThanks(page, f, m.lang);
          await L.screenshot(page, `${f.id}-${mode}-thanks`);
          /* Stored once, with every answer as given (the point fixes the
           * service). */
          /* A phone is kept in its one normal form (model/phone.h). */
          const phone = answers.contacto_telefono ? { contacto_telefono: L.PHONE_STORED[answers.contacto_telefono] } : {};
          assert.deepEqual(stored(sid, f, m.lang), { ...answers, servicio: L.SERVICE_OF[f.point], ...phone });
          if (answers.comentario) {
            /* A comment opens a case: its tracking code leads to its status. */
            const [resp] = await Promise.all([page.waitForNavigation(),
              page.locator('a[href^="/seguimiento/"]').first().click()]);
            assert.equal(resp.status(), 200);
            assert.equal(await page.getAttribute('html', 'lang'), m.lang);
            await L.screenshot(page, `${f.id}-${mode}-tracking`);
          }
        } finally {
          await ctx.close();
        }
      });
    }
  }
});

/* A conditional question appears only once its trigger says so (with
 * JavaScript), and the sentence saying when it applies is then hidden. */
test('satisfaccion: follow-up questions appear as they apply', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  try {
    await page.goto(`${srv.url}/e/satisfaccion?p=mercado-municipal`);
    const comment = page.locator('#q-comentario');
    await assert.doesNotReject(comment.waitFor({ state: 'hidden' }));
    await page.locator('label:has(> input[name=comentario_tipo][value=queja])').click();
    await comment.waitFor({ state: 'visible' });
    assert.equal(await page.locator('#c-comentario').isVisible(), false);
    await page.locator('label:has(> input[name=comentario_tipo][value=ninguno])').click();
    await comment.waitFor({ state: 'hidden' });
  } finally {
    await ctx.close();
  }
});

/* The contact questions say what they collect, so the phone can fill
 * them in and show a keypad for the number (WCAG 1.3.5). */
test('quejas: contact fields identify their purpose', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  try {
    await page.goto(`${srv.url}/e/quejas?p=matadero-municipal`);
    assert.equal(await page.getAttribute('#i-contacto_nombre', 'autocomplete'), 'name');
    assert.equal(await page.getAttribute('#i-contacto_telefono', 'autocomplete'), 'tel');
    assert.equal(await page.getAttribute('#i-contacto_telefono', 'inputmode'), 'tel');
  } finally {
    await ctx.close();
  }
});

/* The 422 page: the summary is focused (so a screen reader reads it out
 * first), names each problem, and each entry leads to its question. */
for (const js of [true, false]) {
  test(`an invalid answer shows a focused error summary${js ? '' : ' without JavaScript'}`, async () => {
    const ctx = await L.newPhone(browser, { javaScriptEnabled: js });
    const page = await ctx.newPage();
    try {
      await page.goto(`${srv.url}/e/satisfaccion?p=mercado-municipal&lang=ht`);
      /* A complaint with a wish for an answer, consent, and no phone. */
      await L.answerByPointer(page, { comentario_tipo: 'queja', quiere_respuesta: 'si', contacto_consent: 'si' });
      const resp = await Promise.all([page.waitForNavigation(), page.locator('button[type=submit]').click()]);
      assert.equal(resp[0].status(), 422);
      const ht = L.stringsTable('ht');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'errores');
      assert.match(await page.title(), new RegExp(`^${ht.S_ERR_TITLE}`));
      await L.screenshot(page, `error-summary-${js ? 'js' : 'no-js'}`);
      const links = page.locator('#errores a');
      assert.equal(await links.count(), 2);   /* satisfaccion, contacto_telefono */
      /* Each error is tied to its question's controls. */
      for (const name of ['satisfaccion', 'contacto_telefono']) {
        const described = await page.locator(`#q-${name} [aria-describedby~="e-${name}"], `
          + `#q-${name}[aria-describedby~="e-${name}"]`).count();
        assert.equal(described, 1, `e-${name} not tied to its field`);
      }
      /* The answers given are kept. */
      assert.ok(await page.locator('input[name=comentario_tipo][value=queja]').isChecked());
      /* Following the phone's entry scrolls to its question; the script
       * puts the focus in the field, without it the next Tab does. */
      await page.locator('#errores a[href="#q-contacto_telefono"]').click();
      assert.ok(await L.inViewport(page.locator('#q-contacto_telefono label')));
      if (!js) await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'i-contacto_telefono');
      await page.keyboard.type('809 555 0101');
      await L.answerByPointer(page, { satisfaccion: '2' });
      await Promise.all([page.waitForNavigation(), page.locator('button[type=submit]').click()]);
      assert.equal(new URL(page.url()).pathname, '/e/satisfaccion/gracias');
    } finally {
      await ctx.close();
    }
  });
}
