/* entrevista.js (issue 17 item 5): assisted interviews at the market with
   no data. Loaded after buzon.js by the interview pages (/entrevista and
   /entrevista/<form>) only, so a citizen's phone never downloads it. It
   uses buzon.js's queue (window.buzonQ: the IndexedDB store, the status
   line, the sending of what is kept) and plugs the sending of a kept
   interview into it (window.buzonIv.send). */
(function () {
  'use strict';
  var Q = window.buzonQ;
  if (!Q) return;
  var idb = Q.idb, say = Q.say, flush = Q.flush;   /* buzon.js's DOMContentLoaded flush sends what waits */
  /* issue 17 item 5: an interview (a staff form the server marks with
     data-seal: the server's ECDH P-256 key, the interviewer's ticket) is
     sent by fetch; when the tablet is offline, the network does not
     answer in SLOW ms, or the session has ended, it is sealed here
     (model/seal.h says how: only the server can open it, so nobody
     holding the tablet can read a kept interview, the interviewer
     included) and kept in the same queue with its ticket, never in
     clear; the form is emptied for the next person. Sent as the
     citizens' answers are (flush), as a post of _ticket and _sealed with
     no cookie; the server answers JSON (view/interview_out.h). A ticket
     that no longer serves (run out, new password) is renewed from the
     page when its interviewer opens an interview again. */
  var SLOW = 8000;
  function b64u(b) {
    var t = '';
    for (var i = 0; i < b.length; i++) t += String.fromCharCode(b[i]);
    return btoa(t).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function unb64u(t) {
    var s = atob(t.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((t.length + 3) % 4)), b = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
    return b;
  }
  function seal(pub, aad, text) {
    var S = crypto.subtle, enc = new TextEncoder(), spub = unb64u(pub), alg = { name: 'ECDH', namedCurve: 'P-256' };
    return Promise.all([S.importKey('raw', spub, alg, false, []), S.generateKey(alg, false, ['deriveBits'])]).then(function (k) {
      return Promise.all([S.deriveBits({ name: 'ECDH', public: k[0] }, k[1].privateKey, 256), S.exportKey('raw', k[1].publicKey)]);
    }).then(function (x) {
      var z = new Uint8Array(x[0]), e = new Uint8Array(x[1]), l = enc.encode('buzon interview v1');
      var m = new Uint8Array(l.length + 32 + 65 + 65);
      m.set(l); m.set(z, l.length); m.set(e, l.length + 32); m.set(spub, l.length + 97);
      return S.digest('SHA-256', m).then(function (h) {
        return S.importKey('raw', h, 'AES-GCM', false, ['encrypt']);
      }).then(function (key) {
        var iv = crypto.getRandomValues(new Uint8Array(12));
        return S.encrypt({ name: 'AES-GCM', iv: iv, additionalData: enc.encode(aad) }, key, enc.encode(text)).then(function (c) {
          c = new Uint8Array(c);
          var out = new Uint8Array(77 + c.length);
          out.set(e); out.set(iv, 65); out.set(c, 77);
          return b64u(out);
        });
      });
    });
  }
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)), h = '';
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    for (var i = 0; i < 16; i++) h += (i === 4 || i === 6 || i === 8 || i === 10 ? '-' : '') + (b[i] + 256).toString(16).slice(1);
    return h;
  }
  /* The interview form, ready for the next person. */
  function fresh(form) {
    var errs = document.getElementById('errores'), done = document.querySelectorAll('.done');
    for (var i = 0; i < done.length; i++) done[i].remove();   /* the last one's code */
    if (!errs || errs.hasAttribute('data-local')) {
      if (errs) errs.remove();
      form.reset();
    } else {
      /* a page the server filled with answers: its defaults are them */
      errs.remove();
      for (i = 0; i < form.elements.length; i++) {
        var el = form.elements[i];
        if (!el.name || el.type === 'hidden' || el.type === 'submit' || el.type === 'button') continue;
        if (el.type === 'radio' || el.type === 'checkbox') el.checked = false;
        else if (el.tagName === 'SELECT') el.selectedIndex = 0;
        else el.value = '';
      }
    }
    form.elements._sid.value = uuid();
    if (form.elements._t) form.elements._t.value = Math.floor(Date.now() / 1000);
    form.dispatchEvent(new Event('change'));
  }
  /* The interview page's list of what this tablet keeps (#ivq): how many
     wait, those waiting for their interviewer (by name), those refused
     (with the reason), and how many were sent since the page opened. */
  function ivList(form) {
    if (!window.indexedDB) return;
    var box = document.getElementById('ivq');
    if (!box) {
      box = document.createElement('section');
      box.id = 'ivq';
      box.className = 'ok';
      box.setAttribute('role', 'status');
      form.parentNode.insertBefore(box, form);
    }
    function line(text, drop) {
      var li = document.createElement('li'), p = document.createElement('p');
      p.textContent = text;
      li.appendChild(p);
      if (drop) {
        var x = document.createElement('button');
        x.type = 'button'; x.className = 'sec'; x.textContent = form.getAttribute('data-iv-drop');
        x.addEventListener('click', function () {
          if (!window.confirm(form.getAttribute('data-iv-sure') + ' ' + drop.length)) return;
          idb(function (d) {
            var tx = d.transaction('q', 'readwrite');
            drop.forEach(function (k) { tx.objectStore('q').delete(k); });
            tx.oncomplete = function () { ivList(form); };
          });
        });
        li.appendChild(x);
      }
      return li;
    }
    idb(function (db) {
      var g = db.transaction('q').objectStore('q').getAll();
      g.onsuccess = function () {
        var mine = g.result.filter(function (a) { return a.iv; }), ul = document.createElement('ul'), waiting = {};
        box.textContent = '';
        box.hidden = !mine.length && !ivSent;
        if (ivSent) {
          var s1 = document.createElement('p');
          s1.textContent = form.getAttribute('data-iv-sentn') + ' ' + ivSent;
          box.appendChild(s1);
        }
        if (!mine.length) return;
        var p = document.createElement('p');
        p.textContent = form.getAttribute('data-iv-wait') + ' ' + mine.length;
        box.appendChild(p);
        /* only its interviewer, or an administrator, may discard one */
        var uid = form.getAttribute('data-uid'), admin = form.hasAttribute('data-iv-admin');
        mine.forEach(function (a) {
          var own = admin || a.uid === uid;
          if (a.err) ul.appendChild(line(a.err, own ? [a.sid] : null));
          else if (a.renew) (waiting[a.who] = waiting[a.who] || { own: own, k: [] }).k.push(a.sid);
        });
        Object.keys(waiting).forEach(function (who) {
          var w = waiting[who];
          ul.appendChild(line(form.getAttribute('data-iv-renew') + ' ' + who + ' (' + w.k.length + ')', w.own ? w.k : null));
        });
        /* "kept: it will be sent" no longer tells the whole story */
        if (ul.children.length) [].forEach.call(document.querySelectorAll('p.off'), function (x) { x.remove(); });
        if (ul.children.length) box.appendChild(ul);
      };
    });
  }
  /* Seal and keep the interview form holds (its post as body). */
  /* The required questions shown and left empty (aria-required, as the
     server rendered it: offline nothing can say more), by their block. */
  function missing(form) {
    var out = [], req = form.querySelectorAll('[aria-required=true]');
    for (var i = 0; i < req.length; i++) {
      var r = req[i], q = r.closest('.q,[id^="q-"]') || r;
      if (r.closest('[hidden],.w') || r.disabled) continue;
      var filled = r.tagName === 'FIELDSET' ? !!r.querySelector('input:checked') : /\S/.test(r.value || '');
      if (!filled && out.indexOf(q) < 0) out.push(q);
    }
    return out;
  }
  /* The page's own summary of what is missing, as the server's #errores. */
  function showMissing(form, miss) {
    var old = document.getElementById('errores');
    if (old) old.remove();
    var d = document.createElement('div'), h = document.createElement('h2'), ul = document.createElement('ul');
    d.className = 'es'; d.id = 'errores'; d.setAttribute('role', 'alert'); d.tabIndex = -1;
    d.setAttribute('data-local', '');   /* the page's, not the server's (fresh) */
    h.textContent = form.getAttribute('data-iv-missing');
    d.appendChild(h);
    miss.forEach(function (q) {
      var li = document.createElement('li'), a = document.createElement('a'), t = q.querySelector('legend,label');
      a.href = '#' + q.id;
      a.textContent = (t ? t.textContent : q.id).replace(/\s*\*\s*$/, '');
      a.addEventListener('click', function (e) {
        var field = q.querySelector('input,select,textarea');
        if (!field) return;
        e.preventDefault();
        q.scrollIntoView();
        field.focus({ preventScroll: true });
      });
      li.appendChild(a);
      ul.appendChild(li);
    });
    d.appendChild(ul);
    form.parentNode.insertBefore(d, form);
    d.focus();
  }
  function keepIv(form, body, now) {
    /* the person is still here: what is plainly missing is asked now, not
       found out by the server once they have gone */
    var miss = missing(form);
    if (miss.length) { showMissing(form, miss); return; }
    if (!window.crypto || !crypto.subtle || !window.indexedDB || !window.TextEncoder) {
      say(form.getAttribute('data-iv-nocrypto'));   /* the answers stay in the form */
      return;
    }
    body.delete('_csrf');
    body.set('_at', String(Math.floor(Date.now() / 1000)));
    var uid = form.getAttribute('data-uid');
    seal(form.getAttribute('data-seal'), uid + '\n' + form.getAttribute('data-iv-aad'), body.toString()).then(function (sealed) {
      /* kept under a key of its own: the submission id stays inside the
         seal (knowing it, anyone could answer a survey under it first) */
      var a = { sid: 'iv-' + uuid(), url: form.action.split('#')[0], t: Date.now(), iv: true, sealed: sealed,
                ticket: form.getAttribute('data-ticket'), first: form.getAttribute('data-ticket'), uid: uid,
                who: form.getAttribute('data-who'), title: (document.querySelector('h1') || form).textContent,
                gone: form.getAttribute('data-iv-gone') };
      idb(function (db) {
        var tx = db.transaction('q', 'readwrite');
        tx.objectStore('q').put(a);
        tx.oncomplete = function () {
          fresh(form);
          say(form.getAttribute('data-iv-kept'));
          ivList(form);
          if (now) flush();   /* online, only the session was missing */
          if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
          if (navigator.serviceWorker) navigator.serviceWorker.ready.then(function (r) {
            if (r.sync) r.sync.register('buzon-send').catch(function () {});
          });
        };
      });
    }, function () { say(form.getAttribute('data-iv-nocrypto')); });
  }
  /* An interview sent: online as a page would (the server's 303 leads to
     the fresh form with the case code), else kept. */
  function interview(form) {
    /* urlencoded, as the page posts it: a file input carries no answer here */
    var body = new URLSearchParams();
    new FormData(form).forEach(function (v, k) { if (typeof v === 'string') body.append(k, v); });
    if (navigator.onLine === false) { keepIv(form, body); return; }
    var c = new AbortController(), t = setTimeout(function () { c.abort(); }, SLOW);
    fetch(form.action.split('#')[0], { method: 'POST', body: new URLSearchParams(body), credentials: 'same-origin', signal: c.signal })
      .then(function (r) {
        clearTimeout(t);
        var u = new URL(r.url);
        /* the session ended (the login page) or its token no longer
           serves: the ticket does */
        if ((r.redirected && u.pathname === '/login') || r.status === 403) keepIv(form, body, true);
        else if (r.status >= 500) keepIv(form, body);
        else if (r.redirected) location.assign(r.url);
        /* refused answers: the server's page says which, the person is
           still here to answer them */
        else HTMLFormElement.prototype.submit.call(form);
      }, function () { clearTimeout(t); keepIv(form, body); });
  }
  /* A kept interview, with the freshest ticket of its interviewer this
     page has. */
  var ivSent = 0;
  function sendKept(db, a) {
    var f = document.getElementById('f'), b = new URLSearchParams();
    var page = f && f.hasAttribute('data-seal') ? f : null;
    var ticket = page && page.getAttribute('data-uid') === a.uid ? page.getAttribute('data-ticket') : a.ticket;
    b.set('_ticket', ticket);
    b.set('_first', a.first || a.ticket);   /* since when: the page it was answered on */
    b.set('_sealed', a.sealed);
    return fetch(a.url, { method: 'POST', body: b, credentials: 'omit' }).then(function (r) {
      if (r.status >= 500 || r.status === 429) return;   /* kept: tried again later */
      return r.json().catch(function () { return null; }).then(function (j) {
        var tx = db.transaction('q', 'readwrite'), st = tx.objectStore('q');
        tx.oncomplete = function () {
          document.dispatchEvent(new Event('buzon-q'));
          if (page) ivList(page);
        };
        /* Sent: counted on the interview page, quietly (the person at the
           tablet now is someone else; a case code is the case's key and
           is never shown to them) */
        if (r.status === 200 && j && j.ok) { st.delete(a.sid); ivSent++; }
        else if (j && j.renew) { a.renew = true; st.put(a); }
        else { a.err = (j && j.why) || a.gone; a.renew = false; st.put(a); }
      });
    }, function () { /* still offline: kept */ });
  }
  window.buzonIv = { send: sendKept };
  document.addEventListener('DOMContentLoaded', function () {
    var f = document.getElementById('f');
    if (!f || !f.hasAttribute('data-seal')) return;
    ivList(f);
    /* The last person's case code: shown at the top for them, gone from
       the address (history, a reload) at once and from the page when the
       next interview begins. */
    var done = document.querySelector('.done'), u = new URL(location.href);
    if (u.searchParams.has('hecho')) {
      u.searchParams.delete('hecho');
      u.searchParams.delete('c');
      u.hash = '';
      history.replaceState(null, '', u.href);
      window.scrollTo(0, 0);
    }
    if (done) {
      var gone = function () { done.remove(); f.removeEventListener('input', gone); f.removeEventListener('change', gone); };
      f.addEventListener('input', gone);
      f.addEventListener('change', gone);
    }
  });
  document.addEventListener('submit', function (e) {
    var form = e.target, b = e.submitter;
    if (form.id === 'f' && form.hasAttribute('data-seal') && !(b && b.name) && window.fetch && window.URLSearchParams) {
      e.preventDefault();
      interview(form);
    }
  });
  if ('serviceWorker' in navigator) navigator.serviceWorker.ready.then(function () {
    /* issue 17 item 5: an interview page is kept empty (a fresh GET of
       its form and point: never a page showing the last case code) for
       the tablet's browser to reopen offline (sw.js, IVCACHE) */
    var f = document.getElementById('f');
    if (navigator.onLine !== false && window.caches && f && f.hasAttribute('data-seal')) {
      var k = new URL(location.origin + location.pathname), p = new URL(location.href).searchParams.get('p');
      if (p) k.searchParams.set('p', p);
      /* both languages' pages (the switch works offline too), each kept
         under its address with lang; this language's again when its copy
         is over 10 minutes old (a fresher ticket, a new form version), not
         on every view: each interview sent online shows this page anew */
      var here = document.documentElement.lang, other = here === 'ht' ? 'es' : 'ht';
      caches.open('buzon-iv-1').then(function (c) {
        [here, other].forEach(function (l) {
          var src = new URL(k.href);
          src.searchParams.set('lang', l);
          c.match(src.href).then(function (had) {
            var age = had ? Date.now() - Date.parse(had.headers.get('Date') || 0) : Infinity;
            if (had && (l !== here || age < 600000)) return;
            return fetch(src.href, { credentials: 'same-origin' }).then(function (r) {
              if (r.status === 200 && !r.redirected) return c.put(src.href, r);
            });
          }).catch(function () {});
        });
      });
      caches.open('buzon-1').then(function (c) { c.addAll(['/s/buzon.css', '/s/buzon.js', '/s/entrevista.js']).catch(function () {}); });
    }
  }).catch(function () {});
})();
