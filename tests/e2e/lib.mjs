/*
 * lib.mjs: what the end-to-end tests share. Starts the real build/buzon on
 * a free loopback port with a fresh database (the port comes back on
 * --ready-fd 3, so nothing sleeps or polls), learns the short links the
 * posters carry from `buzon posters` (links.tsv), launches Debian's
 * Chromium through playwright-core (no browser download), and holds the
 * helpers the test files use: answering a survey by pointer or by keyboard,
 * axe-core, screenshots, the Spanish interface strings.
 *
 * Environment: BUZON_BIN (default build/buzon), BUZON_ROOT (default the
 * repository holding this file), CHROMIUM (default /usr/bin/chromium).
 */
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = process.env.BUZON_ROOT || path.resolve(here, '../..');
export const BIN = process.env.BUZON_BIN || path.join(ROOT, 'build/buzon');
export const ARTIFACTS = path.join(here, 'artifacts');

/* The three standard surveys and the complaints form, each with the
 * point its e2e run uses. */
export const FORMS = [
  { id: 'satisfaccion', point: 'mercado-municipal' },
  { id: 'accesibilidad', point: 'oficina-recepcion' },
  { id: 'agilidad', point: 'recoleccion-camion-1' },
  { id: 'quejas', point: 'matadero-municipal' },
];

/* ---- the server ---------------------------------------------------------- */

/* Start `buzon serve` on a free port; resolves to { url, port, db, dir,
 * links, stop() }. links maps "form" and "form/point" to the short link. */
/* opts.forms: a forms folder of the test's own (default ROOT/forms). */
export async function startServer(opts = {}) {
  const forms = opts.forms || path.join(ROOT, 'forms');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buzon-e2e-'));
  const db = path.join(dir, 'buzon.db');
  const logPath = path.join(dir, 'server.log');
  const log = fs.openSync(logPath, 'w');
  /* No submission rate limit: every test comes from 127.0.0.1. */
  const child = spawn(BIN, ['serve', '--port', '0', '--listen', '127.0.0.1', '--rate-limit', '0', '--db', db,
    '--forms', forms, '--www', path.join(ROOT, 'www'), '--ready-fd', '3'],
  { stdio: ['ignore', 'ignore', log, 'pipe'] });
  fs.closeSync(log);
  /* Never outlive the tests, even when they crash before stop(). */
  const reap = () => child.kill('SIGKILL');
  process.on('exit', reap);
  let ready = '';
  child.stdio[3].setEncoding('utf8');
  child.stdio[3].on('data', (d) => { ready += d; });
  /* The server closes fd 3 once it listens, or exits on a failure. */
  const exited = once(child, 'exit');
  await Promise.race([once(child.stdio[3], 'end'), exited]);
  const port = parseInt(ready, 10);
  if (!port) {
    await exited;
    throw new Error(`buzon serve did not start:\n${fs.readFileSync(logPath, 'utf8')}`);
  }
  const url = `http://127.0.0.1:${port}`;
  const links = opts.forms ? {} : shortLinks(url, dir);
  return {
    /* pid: the server's process (a test may pause it: SIGSTOP makes the
     * loopback "lie-fi", connections taken and never answered) */
    url, port, db, dir, links, pid: child.pid,
    /* SIGTERM and wait: a clean stop exits 0 (anything else fails the
     * suite, with the server's log). */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      process.off('exit', reap);
      const ok = child.exitCode === 0;
      const text = fs.readFileSync(logPath, 'utf8');
      fs.rmSync(dir, { recursive: true, force: true });
      if (!ok) throw new Error(`buzon serve exited with ${child.exitCode ?? child.signalCode}:\n${text}`);
    },
  };
}

/* The links the posters print, from `buzon posters` (only the QR codes are
 * drawn: cheap). */
function shortLinks(baseUrl, dir) {
  const out = path.join(dir, 'posters');
  execFileSync(BIN, ['posters', '-o', out, '--format', 'qr-svg', '--forms', path.join(ROOT, 'forms'),
    '--base-url', baseUrl], { stdio: ['ignore', 'ignore', 'inherit'] });
  const links = {};
  const lines = fs.readFileSync(path.join(out, 'links.tsv'), 'utf8').trim().split('\n').slice(1);
  for (const line of lines) {
    const [form, point, , link] = line.split('\t');
    links[point ? `${form}/${point}` : form] = link;
  }
  return links;
}

/* Add a staff account (password on stdin, as the contract says). Returns
 * false when this build has no `user` command yet. */
export function addStaffUser(srv, name, password, role = 'admin') {
  try {
    execFileSync(BIN, ['user', 'add', name, '--role', role, '--db', srv.db], { input: `${password}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
    return true;
  } catch (e) {
    if (e.status === 2) return false;       /* unknown command: usage */
    throw new Error(`buzon user add failed: ${e.stderr}`);
  }
}

/* Poll fn (evaluated in the page with arg) until it is truthy, for at
 * most ms: its value. A failed evaluation (the page navigating) counts
 * as not yet. For what the page does by itself (a service worker, a
 * queue sent when the connection returns): no sleeps as synchronisation. */
export async function until(page, fn, arg, ms = 8000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await page.evaluate(fn, arg).catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${fn}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/* In the page: what www/buzon.js keeps to send (IndexedDB 'buzon', 'q'). */
export const queued = () => new Promise((ok) => {
  const o = indexedDB.open('buzon', 1);
  o.onupgradeneeded = () => o.result.createObjectStore('q', { keyPath: 'sid' });
  o.onsuccess = () => { const g = o.result.transaction('q').objectStore('q').getAll(); g.onsuccess = () => ok(g.result); };
});

/* Log page in on srv's /login as name (an account addStaffUser made),
 * the way a person does; fails the test if the login page stays. */
export async function staffLogin(page, srv, name, password = 'e2e-clave-larga-123', lang = 'es') {
  await page.goto(`${srv.url}/login?lang=${lang}`);
  await page.locator('form input:not([type=hidden]):not([type=password])').first().fill(name);
  await page.locator('form input[type=password]').fill(password);
  await Promise.all([page.waitForNavigation(), page.locator('form [type=submit]').click()]);
  if (new URL(page.url()).pathname === '/login') throw new Error(`login as ${name} failed`);
}

/* One value from the database (sqlite3 command-line shell). */
export function dbValue(db, sql) {
  return execFileSync('sqlite3', [db, sql], { encoding: 'utf8' }).trim();
}

/* ---- the browser --------------------------------------------------------- */

/* Debian's Chromium. The background-networking flags keep it from calling
 * Google's services, which this closed network refuses many at a time. */
function launchOptions() {
  return {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  };
}

export function launchBrowser() {
  return chromium.launch(launchOptions());
}

/* A cheap Android phone: 360x640 CSS pixels, touch. */
export const PHONE = { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true };

export async function newPhone(browser, opts = {}) {
  const ctx = await browser.newContext({ ...PHONE, ...opts });
  ctx.setDefaultTimeout(10000);
  return ctx;
}

export async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/* A phone whose browser shows text at factor times the default size (the
 * font-size setting, not zoom: the viewport stays 360 px wide, so pages
 * must reflow). A profile of its own carries the setting; DevTools'
 * Page.setFontSizes would be undone by every full-page screenshot.
 * Resolves to { ctx, close() }. */
export async function largeTextPhone(factor) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buzon-e2e-chromium-'));
  fs.mkdirSync(path.join(dir, 'Default'));
  fs.writeFileSync(path.join(dir, 'Default', 'Preferences'), JSON.stringify({
    webkit: { webprefs: { default_font_size: 16 * factor, default_fixed_font_size: 13 * factor } },
  }));
  const ctx = await chromium.launchPersistentContext(dir, { ...launchOptions(), ...PHONE });
  ctx.setDefaultTimeout(10000);
  return {
    ctx,
    async close() {
      await ctx.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/* ---- answering ---------------------------------------------------------- */

/* The service of each point FORMS uses (forms/points.csv). */
export const SERVICE_OF = {
  'mercado-municipal': 'mercado', 'oficina-recepcion': 'oficina',
  'recoleccion-camion-1': 'recoleccion', 'matadero-municipal': 'matadero',
};

/* What each e2e run answers, per form: question name -> choice name or
 * text. Chosen so conditional questions open (with JavaScript they appear
 * as the trigger is answered) and so every required one is answered. */
export const ANSWERS = {
  satisfaccion: {
    satisfaccion: '4', confianza: '5', tiempo: '3', esp_mercado: '2',
    comentario_tipo: 'sugerencia', comentario: 'Más sombra en el mercado', quiere_respuesta: 'no',
    sexo: 'mujer', edad: '30_44',
  },
  accesibilidad: {
    llegada: 'motoconcho', acc_llegar: '4', espera: '15_30', acc_discapacidad: '2',
    ayuda_idioma: 'si', idioma: 'ht',
  },
  agilidad: {
    ag_solicitud: 'si', ag_tipo: 'queja', ag_canal: 'whatsapp', ag_respondida: 'si',
    ag_demora: '8_15', ag_rapidez: '2', zona: 'rural',
  },
  /* A complaint that asks for an answer, with consent to be contacted. */
  quejas: {
    comentario_tipo: 'queja', comentario: 'El matadero no tiene agua desde el lunes.',
    quiere_respuesta: 'si', contacto_consent: 'si', contacto_nombre: 'Ana Pérez',
    contacto_telefono: '809 555 0101', sexo: 'hombre',
  },
};

/* How the phones ANSWERS types are stored (model/phone.h). */
export const PHONE_STORED = { '809 555 0101': '+18095550101' };

/* Answer by pointer (a tap on each choice's label; typing in text boxes). */
export async function answerByPointer(page, answers) {
  for (const [name, value] of Object.entries(answers)) {
    const choice = page.locator(`label:has(> input[name="${name}"][value="${value}"])`);
    if (await choice.count()) await choice.click();
    else await page.locator(`[name="${name}"]`).fill(value);
  }
}

/* Answer by keyboard alone: Tab through the page; on a control the plan
 * answers, choose with Space and the arrow keys (as radio groups work) or
 * type; submit with Enter on the button. Every control reached must show
 * its focus. Returns the names reached, in order. */
export async function answerByKeyboard(page, answers) {
  const reached = [];
  for (let step = 0; step < 300; step++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const e = document.activeElement;
      const group = e.type === 'radio'
        ? [...e.form.querySelectorAll(`input[name="${e.name}"]`)].map((r) => r.value) : null;
      return {
        tag: e.tagName, type: e.type, name: e.name || '', value: e.value, group,
        focusShown: e.matches(':focus-visible') && getComputedStyle(e).outlineStyle !== 'none',
      };
    });
    if (!el.focusShown) throw new Error(`focus not visible on ${el.tag} ${el.name}`);
    /* The language switch of a survey is a button of its form too. */
    if (el.tag === 'BUTTON' && el.name !== '_lang') {
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      return reached;
    }
    if (!(el.name in answers) || reached.includes(el.name)) continue;
    reached.push(el.name);
    const want = answers[el.name];
    if (el.type === 'radio') {
      /* Tab lands on the group's first radio, none checked yet: Space
       * checks it, each ArrowDown moves on and checks the next. */
      const steps = el.group.indexOf(want) - el.group.indexOf(el.value);
      if (steps < 0 || el.group.indexOf(want) < 0) throw new Error(`cannot reach ${el.name}=${want}`);
      await page.keyboard.press('Space');
      for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowDown');
    } else if (el.type === 'checkbox') {
      throw new Error(`keyboard plan: checkboxes not used by the standard forms (${el.name})`);
    } else {
      await page.keyboard.type(want);
    }
  }
  throw new Error('keyboard: never reached the submit button');
}

/* ---- axe ------------------------------------------------------------------ */

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/* The WCAG 2.1 A and AA violations axe finds on the page, as readable
 * lines ("rule: target: message"). Evaluated through the DevTools
 * protocol, which the pages' Content-Security-Policy does not restrict. */
export async function axeViolations(page) {
  await page.evaluate(AXE_SOURCE);
  const res = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
  }), WCAG_TAGS);
  return res.violations.flatMap((v) => v.nodes.map((n) =>
    `${v.id}: ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`));
}

/* ---- layout checks -------------------------------------------------------- */

/* Touch targets smaller than min px in either dimension: buttons, links
 * outside running text, text boxes, and the labels that carry each radio
 * and checkbox (the label is what a finger hits). Links inside an element
 * matching text (running text: "p" by default) are exempt, as in WCAG. */
export async function smallTargets(page, min = 44, text = 'p') {
  return page.evaluate(([m, inText]) => {
    const out = [];
    const seen = new Set();
    for (const e of document.querySelectorAll('a[href], button, input, select, textarea')) {
      if (e.type === 'hidden' || e.closest('[aria-hidden=true]')) continue;
      const t = (e.type === 'radio' || e.type === 'checkbox') ? e.closest('label') || e : e;
      if (seen.has(t)) continue;
      seen.add(t);
      /* WCAG exempts links inside a sentence. */
      if (t.tagName === 'A' && t.parentElement.closest(inText)) continue;
      const r = t.getBoundingClientRect();
      if (!r.width && !r.height) continue;          /* hidden */
      if (r.width < m || r.height < m) {
        out.push(`${t.tagName.toLowerCase()}${t.id ? '#' + t.id : ''} "${t.textContent.trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
      }
    }
    return out;
  }, [min, text]);
}

/* What the issue asks of every form, beyond axe's rules: each group of
 * choices (radios or checkboxes sharing a name) a fieldset with a legend,
 * each other field (a lone checkbox too) a label of its own,
 * every aria-describedby pointing at something, and every error message
 * tied to its field. Returns the problems found. */
export async function formProblems(page) {
  return page.evaluate(() => {
    const out = [];
    const name = (e) => `${e.tagName.toLowerCase()}[name=${e.name}]`;
    for (const e of document.querySelectorAll('input, select, textarea')) {
      if (e.type === 'hidden' || e.closest('[aria-hidden=true]')) continue;
      const group = (e.type === 'radio' || e.type === 'checkbox')
        && e.form?.querySelectorAll(`[name="${e.name}"]`).length > 1;
      if (group) {
        const legend = e.closest('fieldset')?.querySelector(':scope > legend');
        if (!legend || !legend.textContent.trim()) out.push(`${name(e)}: choice outside a fieldset with a legend`);
      } else if (!e.labels.length) {
        out.push(`${name(e)}: no label`);
      }
    }
    for (const e of document.querySelectorAll('[aria-describedby]')) {
      for (const id of e.getAttribute('aria-describedby').split(/\s+/)) {
        if (!document.getElementById(id)) out.push(`${e.tagName.toLowerCase()}#${e.id}: aria-describedby ${id} missing`);
      }
    }
    for (const msg of document.querySelectorAll('p.e[id]')) {
      const block = msg.closest('.q');
      const tied = block && [block, ...block.querySelectorAll('[aria-describedby]')]
        .some((e) => (e.getAttribute('aria-describedby') || '').split(/\s+/).includes(msg.id));
      if (!tied) out.push(`${msg.id}: error message not tied to its field`);
    }
    return out;
  });
}

/* Whether the element is wholly on screen. */
export function inViewport(locator) {
  return locator.evaluate((e) => {
    const r = e.getBoundingClientRect();
    return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
  });
}

/* What does not fit sideways: the page wider than the viewport (a phone
 * would scroll sideways), or any box whose content sticks out of it (a
 * long word past a button's edge). */
export async function overflowsSideways(page) {
  return page.evaluate(() => {
    const out = [];
    if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push('the page');
    for (const e of document.body.querySelectorAll('*')) {
      /* A chart's text is laid out in the SVG's own units (its viewBox
       * scales and clips it), not in CSS boxes. */
      if (e.closest('svg')) continue;
      if (e.clientWidth && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible') {
        out.push(`${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''} "${e.textContent.trim().slice(0, 30)}" ${e.scrollWidth}>${e.clientWidth}`);
      }
    }
    return out;
  });
}

/* ---- strings ------------------------------------------------------------- */

/* The interface texts of a strings table (src/base/strings_<lang>.c), by id. */
export function stringsTable(lang) {
  const src = fs.readFileSync(path.join(ROOT, `src/base/strings_${lang}.c`), 'utf8');
  const out = {};
  for (const m of src.matchAll(/\[(S_[A-Z0-9_]+)\]\s*=\s*((?:"(?:[^"\\]|\\.)*"\s*)+),/g)) {
    out[m[1]] = [...m[2].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((s) => JSON.parse(`"${s[1]}"`)).join('');
  }
  return out;
}
