/* sw.js (issue 17): the service worker that lets a survey open with no
   connection after one visit online. Served as /s/sw.js with
   "Service-Worker-Allowed: /" and registered by buzon.js with scope "/".
   It keeps only what every citizen gets alike: a survey page's GET
   (/e/<form>, never /gracias, /vivo or /imagen: a thank-you carries a case
   code) and the files under /s/. Staff pages, tracking pages, posts and
   everything else go to the network untouched and are never stored.
   Online it does nothing: buzon.js keeps each survey page it shows (from
   the browser's cache, no second request), so a new form version
   replaces the kept page on the next visit; offline, the kept copy is
   served with a fresh submission id, as the server gives each view its
   own.
   Answers kept offline live in IndexedDB (buzon.js); Background Sync
   ("buzon-send") sends them from here when the browser offers it. */
'use strict';
var CACHE = 'buzon-1';
function survey(u) { return /^\/e\/[^/]+$/.test(u.pathname); }
function keep(req, u) {
  return req.method === 'GET' && u.origin === location.origin &&
    (survey(u) || u.pathname.indexOf('/s/') === 0) && u.pathname !== '/s/sw.js';
}
function uuid() {
  var b = crypto.getRandomValues(new Uint8Array(16)), h = '';
  b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
  for (var i = 0; i < 16; i++) h += (i === 4 || i === 6 || i === 8 || i === 10 ? '-' : '') + (b[i] + 256).toString(16).slice(1);
  return h;
}
self.addEventListener('install', function () { self.skipWaiting(); });
self.addEventListener('activate', function (e) { e.waitUntil(self.clients.claim()); });
self.addEventListener('fetch', function (e) {
  var u = new URL(e.request.url);
  /* Online the worker stands aside: the browser's own cache and Back
     (the same page, the same _sid) work as without it. */
  if (!keep(e.request, u) || self.navigator.onLine !== false) return;
  e.respondWith(caches.open(CACHE).then(function (cache) {
    return cache.match(e.request).then(function (r) {
      return r || (survey(u) ? cache.match(e.request, { ignoreSearch: true }) : r);
    });
  }).then(function (r) {
    if (!r) return fetch(e.request);
    if (!survey(u)) return r;
    return r.text().then(function (t) {
      return new Response(t.replace(/(name=_sid value=")[^"]*/, '$1' + uuid()),
        { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
    });
  }));
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
        Promise.all(g.result.map(function (a) {
          var b = a.multi ? new FormData() : new URLSearchParams();
          a.fields.forEach(function (kv) { b.append(kv[0], kv[1]); });
          return fetch(a.url, { method: 'POST', body: b, credentials: 'omit', redirect: 'manual' }).catch(function () {});
        })).then(ok);
      };
    };
  }));
});
