/* sw.js (issue 17): the service worker that lets a survey open with no
   connection after one visit online. Served as /s/sw.js with
   "Service-Worker-Allowed: /" and registered by buzon.js with scope "/".
   It keeps only what every citizen gets alike: a survey page's GET
   (/e/<form>, never /gracias, /vivo or /imagen: a thank-you carries a case
   code) and the files under /s/. Staff pages, tracking pages, posts and
   everything else go to the network untouched and are never stored, but
   for the empty interview page of an interviewer (issue 17 item 5: see
   IVCACHE below).
   Online it does nothing: buzon.js keeps each survey page it shows (from
   the browser's cache, no second request), so a new form version
   replaces the kept page on the next visit; offline, the kept copy is
   served with a fresh submission id, as the server gives each view its
   own.
   Answers kept offline live in IndexedDB (buzon.js); Background Sync
   ("buzon-send") sends them from here when the browser offers it.
   Lie-fi (a connection that carries nothing): a survey page (or the
   survey list "/") the network has not answered in WAIT ms is served from
   the kept copy; a survey's answer it has not answered in SLOW ms (more
   with files) is kept in IndexedDB as buzon.js keeps one offline and the
   page says so (data-kept); the server's idempotency by submission id
   makes the later resend safe even when the first copy did arrive. */
'use strict';
var CACHE = 'buzon-1', WAIT = 3000, SLOW = 8000;
function survey(u) { return /^\/e\/[^/]+$/.test(u.pathname); }
function keep(req, u) {
  return req.method === 'GET' && u.origin === location.origin &&
    (survey(u) || u.pathname === '/' || u.pathname.indexOf('/s/') === 0) && u.pathname !== '/s/sw.js';
}
function uuid() {
  var b = crypto.getRandomValues(new Uint8Array(16)), h = '';
  b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
  for (var i = 0; i < 16; i++) h += (i === 4 || i === 6 || i === 8 || i === 10 ? '-' : '') + (b[i] + 256).toString(16).slice(1);
  return h;
}
self.addEventListener('install', function () { self.skipWaiting(); });
self.addEventListener('activate', function (e) { e.waitUntil(self.clients.claim()); });
/* The kept copy of a page (a survey's with a fresh submission id): the
   same address, else the same without its language, else (any, offline
   only) another copy of the survey; mark adds data-kept to the survey
   form (an answer kept here); null if none. */
function kept(req, u, mark, any) {
  var bare = new URL(u.href);
  bare.searchParams.delete('lang');
  bare.hash = '';
  return caches.open(CACHE).then(function (cache) {
    return cache.match(req.method === 'GET' ? req : u.href).then(function (r) {
      return r || (survey(u) ? cache.match(bare.href).then(function (x) {
        return x || (any ? cache.match(req, { ignoreSearch: true }) : x);
      }) : r);
    });
  }).then(function (r) {
    if (!r || !survey(u)) return r;
    return r.text().then(function (t) {
      t = t.replace(/(name=_sid value=")[^"]*/, '$1' + uuid());
      if (mark) t = t.replace(' id=f ', ' id=f data-kept ');
      return new Response(t, { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
    });
  });
}
/* An address a poster, a short link or the list leads to: no query but
   the point and the language (anything else goes to the network as it is). */
function plain(u) {
  var ok = true;
  u.searchParams.forEach(function (v, k) { if (k !== 'p' && k !== 'lang') ok = false; });
  return ok;
}
/* fetch(req), or a rejection after ms with the request aborted. */
function within(req, ms) {
  var c = new AbortController();
  var t = setTimeout(function () { c.abort(); }, ms);
  return fetch(req, { signal: c.signal }).then(function (r) { clearTimeout(t); return r; });
}
function queue(a) {
  return new Promise(function (ok, no) {
    var o = indexedDB.open('buzon', 1);
    o.onupgradeneeded = function () { o.result.createObjectStore('q', { keyPath: 'sid' }); };
    o.onerror = no;
    o.onsuccess = function () {
      var tx = o.result.transaction('q', 'readwrite');
      tx.objectStore('q').put(a);
      tx.oncomplete = ok;
      tx.onerror = no;
    };
  });
}
/* A survey's answer sent as a page (not the language switch or a
   repeat's buttons, whose answers sessionStorage brings back): kept when
   the network does not answer within SLOW ms, more for the files it
   carries (2 KB a second: a slow 2G upload), the kept page saying so. */
function post(e, u) {
  var multi = /multipart/.test(e.request.headers.get('Content-Type') || '');
  return e.request.clone().formData().then(function (fd) {
    var btn = fd.get('_lang') || fd.get('_add') || fd.get('_del'), size = 0,
        a = { sid: fd.get('_sid'), url: u.href.split('#')[0], t: Date.now(), multi: multi, fields: [] };
    fd.forEach(function (v, k) { a.fields.push([k, v]); if (typeof v === 'object') size += v.size; });
    return within(e.request, SLOW + size / 2).catch(function (err) {
      return kept(e.request, u, !btn).then(function (r) {
        if (!r) throw err;
        if (btn || !a.sid) return r;
        return r.clone().text().then(function (t) {
          var h = /<h1>([^<]*)/.exec(t);
          a.title = h ? h[1].replace(/&amp;/g, '&') : '';
          return queue(a);
        }).then(function () { return r; });
      });
    });
  });
}
/* issue 17 item 5: an interview page (/entrevista/<form>[?p=]), kept
   empty by buzon.js for its interviewer under IVCACHE, opens from there
   when the network fails (offline, or the tablet's browser reloading the
   tab at the market), with a fresh submission id. Only that: the fresh
   form, its ticket and the interviewer's name, never an answer (kept
   interviews are sealed in IndexedDB). Going to /login (logging out, or
   another person logging in) forgets it. */
var IVCACHE = 'buzon-iv-1';
function iv(u) { return u.origin === location.origin && /^\/entrevista\/[^/]+$/.test(u.pathname); }
/* The kept copies to try for u: its language's (as asked, else Spanish),
   then the other language's. */
function ivKeys(u) {
  var p = u.searchParams.get('p'), l = u.searchParams.get('lang') === 'ht' ? 'ht' : 'es';
  return [l, l === 'ht' ? 'es' : 'ht'].map(function (x) {
    var k = new URL(u.origin + u.pathname);
    if (p) k.searchParams.set('p', p);
    k.searchParams.set('lang', x);
    return k.href;
  });
}
function ivPage(e, u) {
  /* a page after a send carries the case code to give: waited for */
  return (u.searchParams.has('hecho') ? fetch(e.request) : within(e.request, WAIT)).catch(function (x) {
    return caches.open(IVCACHE).then(function (c) {
      var keys = ivKeys(u);
      return c.match(keys[0]).then(function (r) { return r || c.match(keys[1]); });
    }).then(function (r) {
      if (!r) throw x;
      return r.text().then(function (t) {
        return new Response(t.replace(/(name=_sid value=")[^"]*/, '$1' + uuid()),
          { headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } });
      });
    });
  });
}
self.addEventListener('fetch', function (e) {
  var u = new URL(e.request.url);
  if (e.request.mode === 'navigate' && e.request.method === 'GET') {
    if (iv(u)) { e.respondWith(ivPage(e, u)); return; }
    if (u.origin === location.origin && u.pathname === '/login') e.waitUntil(caches.delete(IVCACHE));
  }
  if (e.request.mode === 'navigate' && e.request.method === 'POST' && survey(u) && u.origin === location.origin &&
      self.navigator.onLine !== false) {
    e.respondWith(post(e, u));
    return;
  }
  if (!keep(e.request, u)) return;
  if (self.navigator.onLine !== false) {
    /* Online the worker stands aside (the browser's own cache and Back,
       the same page and _sid, work as without it), except that a page
       the network leaves unanswered for WAIT ms comes from the kept copy. */
    if (e.request.mode !== 'navigate' || e.request.cache === 'only-if-cached' || e.request.cache === 'force-cache' ||
        !plain(u)) return;
    e.respondWith(new Promise(function (ok, no) {
      var done = false, t = setTimeout(function () {
        kept(e.request, u).then(function (r) { if (r && !done) { done = true; ok(r); } });
      }, WAIT);
      fetch(e.request).then(function (r) { clearTimeout(t); if (!done) { done = true; ok(r); } }, function (x) {
        clearTimeout(t);
        kept(e.request, u).then(function (r) { if (!done) { done = true; if (r) ok(r); else no(x); } });
      });
    }));
    return;
  }
  e.respondWith(kept(e.request, u, false, true).then(function (r) { return r || fetch(e.request); }));
});
/* Background Sync: send what buzon.js queued (the same requests it makes).
   The answer stays queued: the next buzon page sends it again with the
   same submission id, the server answers with the first copy's thank-you
   (stored once), and that page says "Enviado" and drops it. */
self.addEventListener('sync', function (e) {
  if (e.tag !== 'buzon-send') return;
  e.waitUntil(new Promise(function (ok) {
    var o = indexedDB.open('buzon', 1);
    o.onupgradeneeded = function () { o.result.createObjectStore('q', { keyPath: 'sid' }); };
    o.onerror = ok;
    o.onsuccess = function () {
      var g = o.result.transaction('q').objectStore('q').getAll();
      g.onerror = ok;
      g.onsuccess = function () {
        /* not what the server refused, nor what waits for a new ticket */
        Promise.all(g.result.filter(function (a) { return !a.err && !a.renew; }).map(function (a) {
          var b = a.multi ? new FormData() : new URLSearchParams();
          /* issue 17: a kept interview travels sealed, with its ticket */
          if (a.iv) { b.set('_ticket', a.ticket); b.set('_first', a.first || a.ticket); b.set('_sealed', a.sealed); }
          else a.fields.forEach(function (kv) { b.append(kv[0], kv[1]); });
          return fetch(a.url, { method: 'POST', body: b, credentials: 'omit', redirect: 'manual' }).catch(function () {});
        })).then(ok);
      };
    };
  }));
});
