/*
 * drafts.test.mjs: issue 17 item 2, "continue later", on a phone at
 * 360x640. A household survey of its own (a repeat: long by the README's
 * rule) offers "Continuar después"; the draft (two people, so the restore
 * goes through the server) is kept in IndexedDB, listed on the survey
 * list page, restored from there and from the prompt the survey shows,
 * sent once, and then gone; another is discarded. A short survey (the
 * standard quejas) offers nothing. An answer the server refuses stays
 * listed with the server's reason. A reload and a language switch in the
 * middle of a standard survey keep the answers. Screenshots:
 * drafts-360-list.png, drafts-360-prompt.png, drafts-360-refused.png.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as L from './lib.mjs';

let srv, std, browser, dir;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buzon-e2e-drafts-'));
  const f = path.join(dir, 'hogar');
  fs.mkdirSync(f);
  fs.writeFileSync(path.join(f, 'survey.csv'),
    'type,name,label::Español (es),label::Kreyòl (ht),required\n'
    + 'text,sector,Sector,Sektè,yes\n'
    + 'begin_repeat,persona,Persona,Moun,\n'
    + 'text,nombre,Nombre,Non,yes\n'
    + 'integer,edad,Edad,Laj,yes\n'
    + 'select_one sexo,sexo,Sexo,Sèks,\n'
    + 'end_repeat,,,,\n');
  fs.writeFileSync(path.join(f, 'choices.csv'), 'list_name,name,label::Español (es),label::Kreyòl (ht)\n'
    + 'sexo,f,Femenino,Fi\nsexo,m,Masculino,Gason\n');
  fs.writeFileSync(path.join(f, 'settings.csv'), 'form_title::Español (es),form_title::Kreyòl (ht),form_id,version\n'
    + 'Hogar,Kay,hogar,1\n');
  for (const x of ['points.csv', 'services.csv']) fs.copyFileSync(path.join(L.ROOT, 'forms', x), path.join(dir, x));
  srv = await L.startServer({ forms: dir });
  std = await L.startServer();
  browser = await L.launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  await std?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const field = (page, name) => page.locator(`[name="${name}"]`);

const drafts = () => new Promise((ok) => {
  const o = indexedDB.open('buzon-drafts', 1);
  o.onupgradeneeded = () => o.result.createObjectStore('d', { keyPath: 'k' });
  o.onsuccess = () => { const g = o.result.transaction('d').objectStore('d').getAll(); g.onsuccess = () => ok(g.result); };
});

/* Two people answered on a fresh page, then "Continuar después". */
async function answerTwo(page, sector) {
  await page.goto(`${srv.url}/e/hogar?lang=es`);
  await field(page, 'sector').fill(sector);
  await field(page, 'persona[1].nombre').fill('Ana');
  await field(page, 'persona[1].edad').fill('40');
  await page.locator('[name="persona[1].sexo"][value=f]').check();
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Añadir otro' }).click()]);
  await field(page, 'persona[2].nombre').fill('Luis');
  await field(page, 'persona[2].edad').fill('12');
  await page.getByRole('button', { name: 'Continuar después' }).click();
  await page.locator('#dn', { hasText: 'Guardado en este teléfono' }).waitFor();
  const d = await L.until(page, drafts);
  assert.equal(d.length, 1);
  return d[0];
}

test('a draft kept, listed, restored from the list and from the prompt, sent once', async () => {
  const ctx = await L.newPhone(browser);
  let page = await ctx.newPage();
  const errors = [];
  const watch = (p) => p.on('pageerror', (e) => errors.push(e));
  watch(page);
  const d = await answerTwo(page, 'Norte');
  assert.equal(d.lang, 'es');
  assert.match(d.v, /^[0-9a-f]{12}$/);
  assert.ok(d.fields.some(([k, v]) => k === '_n.persona' && v === '2'), JSON.stringify(d.fields));
  assert.ok(d.fields.some(([k, v]) => k === 'persona[2].nombre' && v === 'Luis'));
  /* typed after saving: the draft follows */
  await page.locator('[name="persona[2].sexo"][value=m]').check();
  await L.until(page, async () => (await new Promise((ok) => {
    const o = indexedDB.open('buzon-drafts', 1);
    o.onsuccess = () => { const g = o.result.transaction('d').objectStore('d').getAll(); g.onsuccess = () => ok(g.result); };
  }))[0].fields.some(([k, v]) => k === 'persona[2].sexo' && v === 'm'));
  await page.close();

  /* the list page of this phone */
  page = await ctx.newPage();
  watch(page);
  await page.goto(`${srv.url}/`);
  const mine = page.locator('#mine');
  await mine.locator('li').first().waitFor();
  assert.equal(await mine.locator('li').count(), 1);
  assert.match(await mine.locator('li').textContent(), /Hogar — Sin terminar/);
  await mine.scrollIntoViewIfNeeded();
  console.log(`# screenshot ${await L.screenshot(page, 'drafts-360-list')}`);
  assert.deepEqual(await L.axeViolations(page), []);
  assert.deepEqual(await L.smallTargets(page), []);
  /* continue from the list: the server shows both people */
  await Promise.all([page.waitForNavigation({ url: /\/e\/hogar/ }), mine.getByRole('link', { name: 'Continuar' }).click()]);
  await field(page, 'persona[2].nombre').waitFor();
  assert.equal(await field(page, 'persona[2].nombre').inputValue(), 'Luis');
  assert.equal(await field(page, 'persona[1].edad').inputValue(), '40');
  assert.equal(await page.locator('[name="persona[2].sexo"][value=m]').isChecked(), true);
  assert.equal(await field(page, 'sector').inputValue(), 'Norte');
  assert.equal(await page.locator('#dn').count(), 0, 'no prompt on the restored page');
  await page.close();

  /* a fresh visit: the prompt, then continue */
  page = await ctx.newPage();
  watch(page);
  await page.goto(`${srv.url}/e/hogar?lang=es`);
  const prompt = page.locator('#dn');
  await prompt.waitFor();
  assert.match(await prompt.textContent(), /respuestas de esta encuesta sin enviar/);
  console.log(`# screenshot ${await L.screenshot(page, 'drafts-360-prompt')}`);
  assert.deepEqual(await L.axeViolations(page), []);
  assert.deepEqual(await L.smallTargets(page), []);
  await Promise.all([page.waitForNavigation(), prompt.getByRole('button', { name: 'Continuar' }).click()]);
  assert.equal(await field(page, 'persona[2].edad').inputValue(), '12');
  assert.equal(await page.locator('#dn').count(), 0);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Enviar respuestas' }).click()]);
  assert.match(new URL(page.url()).pathname, /\/gracias$/);
  assert.equal(L.dbValue(srv.db, "SELECT count(*) FROM answers WHERE question = 'persona[2].nombre' AND value = 'Luis'"), '1');
  assert.equal((await page.evaluate(drafts)).length, 0);
  await page.goto(`${srv.url}/`);
  await page.locator('h1').waitFor();
  assert.equal(await page.locator('#mine').isHidden(), true);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a draft discarded; a short survey offers no draft', async () => {
  const ctx = await L.newPhone(browser);
  let page = await ctx.newPage();
  await answerTwo(page, 'Sur');
  await page.close();
  page = await ctx.newPage();
  await page.goto(`${srv.url}/e/hogar?lang=ht`);
  const prompt = page.locator('#dn');
  await prompt.waitFor();
  await prompt.getByRole('button', { name: 'Jete' }).click();
  await L.until(page, async () => (await new Promise((ok) => {
    const o = indexedDB.open('buzon-drafts', 1);
    o.onsuccess = () => { const g = o.result.transaction('d').objectStore('d').count(); g.onsuccess = () => ok(g.result); };
  })) === 0);
  assert.equal(await field(page, 'sector').inputValue(), '');
  assert.equal(await page.locator('#dn').count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Kontinye pita' }).count(), 1);
  await page.goto(`${srv.url}/`);
  await page.locator('h1').waitFor();
  assert.equal(await page.locator('#mine').isHidden(), true);
  /* the standard complaint form is short: nothing offered */
  await page.goto(`${std.url}/e/quejas`);
  await page.locator('[name=comentario]').waitFor();
  assert.equal(await page.locator('form#f[data-draft]').count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Continuar después' }).count(), 0);
  await ctx.close();
});

test('an answer the server refuses stays listed with its reason', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  const url = `${srv.url}/e/hogar?lang=es`;
  await page.goto(url);
  const cached = async (u) => {
    await Promise.race([navigator.serviceWorker.ready, new Promise((r) => setTimeout(r, 200))]);
    return !!(await caches.match(u));
  };
  await L.until(page, cached, url);
  await page.goto(`${srv.url}/`);
  await L.until(page, cached, `${srv.url}/`);
  await page.goto(url);
  await ctx.setOffline(true);
  await page.reload();
  /* no sector (required): the server will refuse it */
  await field(page, 'persona[1].nombre').fill('Rosa');
  await field(page, 'persona[1].edad').fill('33');
  await page.getByRole('button', { name: 'Enviar respuestas' }).click();
  await page.locator('p.ok[role=status]', { hasText: 'Guardado en su teléfono' }).waitFor();
  /* offline, the list page (kept) shows it waiting */
  await page.goto(`${srv.url}/`);
  await page.locator('#mine li').first().waitFor();
  assert.match(await page.locator('#mine li').textContent(), /Hogar — Por enviar cuando haya conexión/);
  await ctx.setOffline(false);
  await page.goto(`${srv.url}/`);
  await page.locator('#mine li', { hasText: 'No aceptada' }).waitFor({ timeout: 8000 });
  const text = await page.locator('#mine li').textContent();
  assert.match(text, /No aceptada: No se pudo enviar la respuesta guardada.*Sector/s, text);
  const q = await page.evaluate(L.queued);
  assert.equal(q.length, 1);
  assert.ok(q[0].err);
  await page.locator('#mine').scrollIntoViewIfNeeded();
  console.log(`# screenshot ${await L.screenshot(page, 'drafts-360-refused')}`);
  await page.locator('#mine').getByRole('button', { name: 'Descartar' }).click();
  await L.until(page, async () => (await new Promise((ok) => {
    const o = indexedDB.open('buzon', 1);
    o.onsuccess = () => { const g = o.result.transaction('q').objectStore('q').count(); g.onsuccess = () => ok(g.result); };
  })) === 0);
  assert.equal(await page.locator('#mine').isHidden(), true);
  assert.equal(L.dbValue(srv.db, "SELECT count(*) FROM answers WHERE value = 'Rosa'"), '0');
  await ctx.close();
});

test('a reload and a language switch in the middle of a survey keep the answers', async () => {
  const ctx = await L.newPhone(browser);
  const page = await ctx.newPage();
  await page.goto(`${std.url}/e/quejas?p=matadero-municipal`);
  await L.answerByPointer(page, { comentario_tipo: 'sugerencia', comentario: 'Más luz en el matadero', sexo: 'mujer' });
  await page.reload();
  await page.locator('[name=comentario]').waitFor();
  assert.equal(await field(page, 'comentario').inputValue(), 'Más luz en el matadero');
  assert.equal(await page.locator('[name=comentario_tipo][value=sugerencia]').isChecked(), true);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Kreyòl' }).click()]);
  assert.equal(await page.locator('html').getAttribute('lang'), 'ht');
  assert.equal(await field(page, 'comentario').inputValue(), 'Más luz en el matadero');
  assert.equal(await page.locator('[name=comentario_tipo][value=sugerencia]').isChecked(), true);
  assert.equal(await page.locator('[name=sexo][value=mujer]').isChecked(), true);
  await page.reload();
  assert.equal(await field(page, 'comentario').inputValue(), 'Más luz en el matadero');
  await ctx.close();
});
