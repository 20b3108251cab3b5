/*
 * pages.mjs: every page the accessibility and Kreyòl checks visit, and how
 * the browser gets to each one. Add a page here and both suites cover it.
 *
 * Citizen pages are listed (some only exist as the answer to a request a
 * browser cannot type: 400, 405, 413, 422). Staff pages are found instead:
 * after logging in, every same-origin link reachable from the landing page
 * is visited (STAFF_SEEDS add pages no link leads to), so a new staff page
 * is checked as soon as something links to it.
 */
import * as L from './lib.mjs';

/* A request the address bar cannot make: the browser navigates to path
 * and the request is rewritten on its way out. */
function rewritten(path, change) {
  return async (page, srv, lang) => {
    const url = `${srv.url}${path}&lang=${lang}`;
    await page.route(url, (route) => route.continue({
      ...change,
      headers: { ...route.request().headers(), 'content-type': 'application/x-www-form-urlencoded' },
    }));
    return page.goto(url);
  };
}

/* The 422 page: the survey submitted with nothing answered (each standard
 * survey asks at least the service when no point is given). */
function invalidSubmit(form) {
  return async (page, srv, lang) => {
    await page.goto(`${srv.url}/e/${form}?lang=${lang}`);
    const [resp] = await Promise.all([page.waitForNavigation(), page.locator('button[type=submit]').click()]);
    return resp;
  };
}

/* A complaint made through the browser (it opens a case): resolves to
 * the thank-you page's response, which shows the tracking code. */
export async function complain(page, srv, lang) {
  await page.goto(`${srv.url}/e/satisfaccion?p=mercado-municipal&lang=${lang}`);
  await L.answerByPointer(page, { satisfaccion: '2', comentario_tipo: 'queja', comentario: 'El techo del mercado gotea.' });
  const [resp] = await Promise.all([page.waitForNavigation(), page.locator('button[type=submit]').click()]);
  return resp;
}

/* The case's public status page, through the thank-you page's link. */
async function tracking(page, srv, lang) {
  await complain(page, srv, lang);
  const [resp] = await Promise.all([page.waitForNavigation(), page.locator('a[href^="/seguimiento/"]').first().click()]);
  return resp;
}

/* Citizen pages: name, how to open it (a path, or a function of (page,
 * srv, lang) returning the navigation's response), the status expected. */
export function citizenPages() {
  const pages = [{ name: 'index', open: '/', status: 200 }];
  for (const f of L.FORMS) {
    pages.push({ name: `${f.id}`, open: `/e/${f.id}`, status: 200, form: true });
    pages.push({ name: `${f.id}-point`, open: `/e/${f.id}?p=${f.point}`, status: 200, form: true });
    pages.push({ name: `${f.id}-422`, open: invalidSubmit(f.id), status: 422, form: true });
    pages.push({ name: `${f.id}-thanks`, open: `/e/${f.id}/gracias`, status: 200 });
  }
  pages.push({ name: 'complaint-thanks', open: complain, status: 200 });
  pages.push({ name: 'tracking', open: tracking, status: 200 });
  pages.push({ name: 'tracking-form', open: '/seguimiento', status: 200 });
  pages.push({ name: 'tracking-unknown', open: '/seguimiento/ZZZZZZZZZ', status: 404 });
  pages.push({ name: '404', open: '/e/no-such-survey', status: 404 });
  pages.push({ name: '400', open: rewritten('/e/satisfaccion?bad=1', { method: 'POST', postData: 'satisfaccion=%G1' }), status: 400 });
  pages.push({ name: '413', open: rewritten('/e/satisfaccion?big=1', { method: 'POST', postData: `comentario=${'a'.repeat(200 * 1024)}` }), status: 413 });
  pages.push({ name: '405', open: rewritten('/e/satisfaccion?put=1', { method: 'PUT', postData: '' }), status: 405 });
  return pages;
}

/* Open a citizen page in lang; returns the response. */
export async function openPage(page, srv, spec, lang) {
  if (typeof spec.open === 'function') return spec.open(page, srv, lang);
  const sep = spec.open.includes('?') ? '&' : '?';
  return page.goto(`${srv.url}${spec.open}${sep}lang=${lang}`);
}

/* Staff pages no link leads to (none yet). */
export const STAFF_SEEDS = [];

/* Links the staff crawl never follows: leaving the session, downloads,
 * the API, and the citizen pages (citizenPages() covers those). */
const NOT_PAGES = /^\/(logout|salir|s\/|api\/|e\/|q\/)|^\/$|\.(csv|xlsx|png|svg|pdf|json)$/;

/* Log in as a fresh admin (name: one per browser context), calling
 * onLoginPage() with the login form loaded; resolves to the landing URL,
 * or null when this build has no staff accounts yet. */
export async function staffLogin(page, srv, onLoginPage, name = 'e2e-admin', lang = 'es') {
  const login = await page.goto(`${srv.url}/login?lang=${lang}`);
  if (login.status() === 404 || !L.addStaffUser(srv, name, 'e2e-clave-larga-123')) return null;
  await onLoginPage();
  await page.locator('form input:not([type=hidden]):not([type=password])').first().fill(name);
  await page.locator('form input[type=password]').fill('e2e-clave-larga-123');
  await Promise.all([page.waitForNavigation(), page.locator('form [type=submit]').click()]);
  if (new URL(page.url()).pathname === '/login') throw new Error('staff login failed');
  return page.url();
}

/* Visit every same-origin page reachable from start (breadth first, at
 * most max, one per path and set of query keys), calling visit(url) with
 * each one loaded. Returns the URLs visited. */
export async function crawl(page, srv, start, visit, max = 40) {
  const seen = new Set();
  /* One page per kind: /casos/K7P4QX9MZ and /casos/W2T... are the same
   * page for different cases (segments with a digit or capital are ids). */
  const key = (u) => `${u.pathname.replace(/\/[^/]*[0-9A-Z][^/]*/g, '/*')}?${[...u.searchParams.keys()].sort().join('&')}`;
  const queue = [start, ...STAFF_SEEDS.map((p) => `${srv.url}${p}`)];
  const visited = [];
  while (queue.length && visited.length < max) {
    const u = new URL(queue.shift());
    u.hash = '';
    if (u.origin !== srv.url || NOT_PAGES.test(u.pathname) || seen.has(key(u))) continue;
    seen.add(key(u));
    const resp = await page.goto(u.href);
    if (!resp || !(resp.headers()['content-type'] || '').startsWith('text/html')) continue;
    visited.push(u.href);
    await visit(u.href);
    for (const href of await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.href))) queue.push(href);
  }
  return visited;
}
