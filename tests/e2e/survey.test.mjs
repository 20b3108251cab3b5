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
            await Promise.all([page.waitForNavigation(), page.locator('nav button[lang=ht]').click()]);
            assert.equal(await page.getAttribute('html', 'lang'), 'ht');
            assert.equal(new URL(page.url()).searchParams.get('p'), f.point);
          }
          const answers = L.ANSWERS[f.id];
          const sid = await page.locator('input[name=_sid]').getAttribute('value');
          if (mode === 'no-js') {
            /* Every conditional question shows, saying when it applies. */
            assert.ok(await page.locator('p.c').count() > 0);
            /* (but the place's "Usar mi ubicación", which needs the script) */
            assert.equal(await page.locator('[hidden]:not(button.geo)').count(), 0);
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
 * JavaScript), and the sentence saying when it applies is then hidden.
 * The comment applies unless "No, gracias" (issue 13 item 8). */
test('satisfaccion: follow-up questions appear as they apply', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  try {
    await page.goto(`${srv.url}/e/satisfaccion?p=mercado-municipal`);
    const comment = page.locator('#q-comentario');
    const reply = page.locator('#q-quiere_respuesta');
    await comment.waitFor({ state: 'visible' });
    await assert.doesNotReject(reply.waitFor({ state: 'hidden' }));
    await page.locator('label:has(> input[name=comentario_tipo][value=queja])').click();
    await reply.waitFor({ state: 'visible' });
    assert.equal(await page.locator('#c-quiere_respuesta').isVisible(), false);
    await page.locator('label:has(> input[name=comentario_tipo][value=ninguno])').click();
    await comment.waitFor({ state: 'hidden' });
    await reply.waitFor({ state: 'hidden' });
  } finally {
    await ctx.close();
  }
});

/* Issue 13 item 8 with JavaScript: a question holding typed text stays
 * shown when its trigger turns it off, saying when it applies; sending it
 * so brings the page back with the message, nothing is lost. */
test('satisfaccion: typed text never hides away when its question stops applying', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  try {
    await page.goto(`${srv.url}/e/satisfaccion?p=mercado-municipal`);
    await L.answerByPointer(page, { satisfaccion: '4', comentario: 'Gracias por la sombra' });
    await page.locator('label:has(> input[name=comentario_tipo][value=ninguno])').click();
    assert.ok(await page.locator('#q-comentario').isVisible());
    assert.ok(await page.locator('#c-comentario').isVisible());
    await L.screenshot(page, 'not-applicable-held');
    const [resp] = await Promise.all([page.waitForNavigation(), page.locator('button[type=submit]').click()]);
    assert.equal(resp.status(), 422);
    assert.match(await page.locator('#e-comentario').textContent(), /«¿Quiere dejarnos un comentario\?» no respondió «No, gracias»/);
    assert.equal(await page.locator('#i-comentario').inputValue(), 'Gracias por la sombra');
    await L.screenshot(page, 'not-applicable-422');
    await page.locator('label:has(> input[name=comentario_tipo][value=elogio])').click();
    await Promise.all([page.waitForNavigation(), page.locator('button[type=submit]').click()]);
    assert.equal(new URL(page.url()).pathname, '/e/satisfaccion/gracias');
  } finally {
    await ctx.close();
  }
});

/* A hidden answer counts as empty for the questions that depend on it:
 * turning a complaint into a compliment hides the reply question and,
 * with it, the consent that hung on it; typed contact details stay shown,
 * saying when they apply. */
test('quejas: a question that stops applying takes its dependants with it', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  try {
    await page.goto(`${srv.url}/e/quejas?p=mercado-municipal`);
    await L.answerByPointer(page, { comentario_tipo: 'queja', comentario: 'La calle', quiere_respuesta: 'si',
      contacto_consent: 'si' });
    await page.locator('#i-contacto_nombre').fill('Ana');
    assert.ok(await page.locator('#q-contacto_consent').isVisible());
    await page.locator('label:has(> input[name=comentario_tipo][value=elogio])').click();
    assert.equal(await page.locator('#q-quiere_respuesta').isVisible(), false);
    assert.equal(await page.locator('#q-contacto_consent').isVisible(), false, 'the consent hangs on a hidden answer');
    assert.ok(await page.locator('#q-contacto_nombre').isVisible(), 'typed text stays shown');
    assert.equal(await page.locator('#q-contacto_telefono').isVisible(), false);
    await L.screenshot(page, 'chain-hidden');
    await page.locator('label:has(> input[name=comentario_tipo][value=queja])').click();
    assert.ok(await page.locator('#q-contacto_consent').isVisible(), 'back again with the complaint');
  } finally {
    await ctx.close();
  }
});

/* Issue 13 item 8 without JavaScript, the issue's own case: no kind of
 * comment, a comment, a reply asked for with a phone. The comment is kept,
 * the phone is not dropped: the page names the answer that makes it apply. */
test('satisfaccion without JavaScript: a phone typed without a complaint comes back with the reason', async () => {
  const ctx = await L.newPhone(browser, { javaScriptEnabled: false });
  const page = await ctx.newPage();
  try {
    await page.goto(`${srv.url}/e/satisfaccion?p=oficina-recepcion`);
    const sid = await page.locator('input[name=_sid]').getAttribute('value');
    await L.answerByPointer(page, { satisfaccion: '4', comentario: 'La fila no avanza', quiere_respuesta: 'si',
      contacto_consent: 'si', contacto_telefono: '809 555 0101' });
    const [resp] = await Promise.all([page.waitForNavigation(), page.locator('button[type=submit]').click()]);
    assert.equal(resp.status(), 422);
    assert.match(await page.locator('#e-contacto_telefono').textContent(),
      /«¿Quiere dejarnos un comentario\?» respondió «Una queja» o «Una sugerencia»/);
    await L.screenshot(page, 'not-applicable-no-js');
    assert.ok(await page.locator('input[name=quiere_respuesta][value=si]').isChecked());
    await L.answerByPointer(page, { comentario_tipo: 'queja' });
    await Promise.all([page.waitForNavigation(), page.locator('button[type=submit]').click()]);
    assert.equal(new URL(page.url()).pathname, '/e/satisfaccion/gracias');
    assert.ok(new URL(page.url()).searchParams.get('c'), 'a case was opened');
    const got = stored(sid, { id: 'satisfaccion', point: 'oficina-recepcion' }, 'es');
    assert.equal(got.comentario, 'La fila no avanza');
    assert.equal(got.contacto_telefono, L.PHONE_STORED['809 555 0101']);   // stored in its normal form (item 10)
  } finally {
    await ctx.close();
  }
});

/* Issue 13 item 12: answers survive a reload (with JavaScript: kept in
 * sessionStorage) and the language switch (a button of the form: with and
 * without JavaScript), and what is sent is what was given. */
for (const js of [true, false]) {
  test(`answers survive ${js ? 'a reload and ' : ''}the language switch${js ? '' : ' without JavaScript'}`, async () => {
    const ctx = await L.newPhone(browser, { javaScriptEnabled: js });
    const page = await ctx.newPage();
    try {
      await page.goto(`${srv.url}/e/satisfaccion?p=mercado-municipal`);
      let sid = await page.locator('input[name=_sid]').getAttribute('value');
      const given = { satisfaccion: '2', confianza: '4', comentario_tipo: 'queja', comentario: 'Hay moscas',
        quiere_respuesta: 'no', edad: '18_29' };
      await L.answerByPointer(page, given);
      const check = async () => {
        for (const [name, value] of Object.entries(given)) {
          const choice = page.locator(`input[name="${name}"][value="${value}"]`);
          if (await choice.count()) assert.ok(await choice.isChecked(), `${name} lost`);
          else assert.equal(await page.locator(`[name="${name}"]`).inputValue(), value, `${name} lost`);
        }
      };
      if (js) {
        await page.reload();
        await check();
        sid = await page.locator('input[name=_sid]').getAttribute('value');   /* a new page view */
      }
      await Promise.all([page.waitForNavigation(), page.locator('nav button[lang=ht]').click()]);
      assert.equal(await page.getAttribute('html', 'lang'), 'ht');
      assert.equal(new URL(page.url()).searchParams.get('p'), 'mercado-municipal');
      await check();
      await L.screenshot(page, `lang-switch-kept-${js ? 'js' : 'no-js'}`);
      assert.equal(await page.locator('input[name=_sid]').getAttribute('value'), sid);
      await Promise.all([page.waitForNavigation(), page.locator('button[type=submit]').click()]);
      await assertThanks(page, { id: 'satisfaccion' }, 'ht');
      assert.deepEqual(stored(sid, { id: 'satisfaccion', point: 'mercado-municipal' }, 'ht'),
        { ...given, servicio: 'mercado' });
      /* Sent: a new visit starts empty. */
      await page.goto(`${srv.url}/e/satisfaccion?p=mercado-municipal`);
      assert.equal(await page.locator('input[name=satisfaccion]:checked').count(), 0);
    } finally {
      await ctx.close();
    }
  });
}

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
