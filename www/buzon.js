/* buzon.js: optional. Without it every question shows, each conditional
   one saying when it applies. With it, a question whose data-if
   condition is false is hidden live, and after a failed submission the
   error summary takes the focus so screen readers announce it (browsers
   without the script get there through the form's #errores action), and
   its entries put the focus in the field they name. A question that
   does not apply but holds typed text stays shown, saying when it
   applies (the server refuses to drop the text silently). The answers
   are kept in sessionStorage while the page is open, so a reload brings
   them back (the language switch posts them to the server instead).
   data-if = "[or ]name=value name!=value name~value" (~ is selected();
   all tests must hold, or with "or " any one). A label's ${name} is a
   <span data-pipe=name>, filled live with the answer (a choice's label
   text for a select, joined by ", ").
   What data-if cannot say (data-rel: a relevance that is a full
   expression; data-calc: a calculation; data-req: a required
   expression; a pipe of a calculated value) the server's own engine
   says: the answers go to POST <form>/vivo after a 300 ms pause, one
   request at a time, and only the latest answers' reply is used (a
   list with a choice_filter, data-cf, shows only the choices it says
   fit). On any
   failure (offline, 429) the page stays as it is; the server decides on
   submit. */
(function () {
  'use strict';
  document.documentElement.className += ' js';
  function values(form, name) {
    var out = [];
    var els = form.elements[name];
    if (!els) return out;
    if (els.length === undefined || els.tagName === 'SELECT') els = [els];
    for (var i = 0; i < els.length; i++) {
      var e = els[i];
      if (off(e)) continue;
      if ((e.type === 'radio' || e.type === 'checkbox') ? e.checked : e.value !== '') out.push(e.value);
    }
    return out;
  }
  /* An answer in a question that does not apply counts as empty for the
     questions that depend on it (ODK's rule, the server's too), so a
     whole chain hides together. */
  function off(e) {
    return !!(e.closest && e.closest('[data-if][hidden],[data-if].w,[data-rel][hidden],[data-rel].w'));
  }
  function holds(form, test) {
    var m = /^([^=!~]+)(=|!=|~)(.*)$/.exec(test);
    if (!m) return true;
    var v = values(form, m[1]);
    if (m[2] === '~') return v.join(' ').split(' ').indexOf(m[3]) >= 0;
    var eq = v.length === 1 && v[0] === m[3];
    return m[2] === '=' ? eq : !eq;
  }
  /* What question name's fields show, as the server renders it; null when
     the page has no field the person fills for it (a calculation, or the
     service the poster sets): the server's text stays. */
  function shown(form, name) {
    var out = [];
    var els = form.elements[name];
    if (!els || els.type === 'hidden') return null;
    if (els.length === undefined || els.tagName === 'SELECT') els = [els];
    for (var i = 0; i < els.length; i++) {
      var e = els[i];
      if (e.tagName === 'SELECT') { if (e.value !== '') out.push(e.options[e.selectedIndex].text); }
      else if (e.type === 'radio' || e.type === 'checkbox') { if (e.checked) out.push(e.parentNode.textContent); }
      else if (e.value !== '') out.push(e.value);
    }
    return out.join(', ');
  }
  function pipes(form) {
    var s = form.querySelectorAll('span[data-pipe]');
    for (var i = 0; i < s.length; i++) {
      var t = shown(form, s[i].getAttribute('data-pipe'));
      if (t !== null && s[i].textContent !== t) s[i].textContent = t;
    }
  }
  function update(form) {
    pipes(form);
    var blocks = form.querySelectorAll('[data-if]');
    /* Until nothing changes: hiding one question can hide those that
       depend on it (bounded: each pass settles at least one more). */
    for (var pass = 0; pass <= blocks.length && once(blocks, form); pass++) { /* again */ }
  }
  /* One pass over the blocks; true when any block changed. */
  function once(blocks, form) {
    var changed = false;
    for (var i = 0; i < blocks.length; i++) {
      var t = blocks[i].getAttribute('data-if').split(' ');
      var or = t[0] === 'or';
      var r = !or;
      for (var k = or ? 1 : 0; k < t.length; k++) {
        var h = holds(form, t[k]);
        r = or ? (r || h) : (r && h);
      }
      var held = !r && typed(blocks[i]);
      if (blocks[i].hidden !== (!r && !held) || blocks[i].classList.contains('w') !== held) changed = true;
      blocks[i].hidden = !r && !held;
      blocks[i].classList.toggle('w', held);
    }
    return changed;
  }
  /* Whether the page holds anything only the server can decide. */
  function needs(form) {
    if (form.querySelector('[data-rel],[data-calc],[data-req],[data-cf]')) return true;
    var s = form.querySelectorAll('span[data-pipe]');
    for (var i = 0; i < s.length; i++) if (!form.elements[s[i].getAttribute('data-pipe')]) return true;
    return false;
  }
  var busy = false, again = false, timer = 0;
  function ask(form) {
    clearTimeout(timer);
    timer = setTimeout(function () { send(form); }, 300);
  }
  function send(form) {
    if (busy) { again = true; return; }
    busy = true;
    /* issue 17: a staff entry form names its survey's live address */
    var live = form.getAttribute('data-live');
    var u = new URL(live || form.action, location.href);
    u.hash = '';
    if (!live) u.pathname += '/vivo';
    /* a citizen's survey never sends a cookie; a staff page (a register,
       a draft's preview) needs its session (issue 18) */
    var cred = u.pathname.indexOf('/e/') === 0 ? 'omit' : 'same-origin';
    fetch(u, { method: 'POST', body: new URLSearchParams(new FormData(form)), credentials: cred })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) { if (j && !again) apply(form, j); }, function () { /* the page stays */ })
      .then(function () { busy = false; if (again) { again = false; send(form); } });
  }
  /* The server's reply (view/live_out.h): values go into fields, the
     pipes' texts (escaped by the server) into the spans it rendered. */
  function apply(form, j) {
    var n, i, b, els;
    for (n in j.calc) {
      els = form.elements[n];
      if (!els) continue;
      if (els.length === undefined || els.tagName === 'SELECT') els = [els];
      for (i = 0; i < els.length; i++) {
        var e = els[i], v = j.calc[n];
        if (e.type === 'radio') e.checked = e.value === v;
        else if (e.type === 'checkbox') e.checked = v.split(' ').indexOf(e.value) >= 0;
        else if (e.value !== v) e.value = v;
      }
    }
    b = form.querySelectorAll('[data-rel]');
    for (i = 0; i < b.length; i++) {
      n = b[i].id.slice(2);
      if (!(n in j.rel)) continue;
      var held = !j.rel[n] && typed(b[i]);
      b[i].hidden = !j.rel[n] && !held;
      b[i].classList.toggle('w', held);
    }
    b = form.querySelectorAll('[data-req]');
    for (i = 0; i < b.length; i++) {
      var on = !!j.req[b[i].id.slice(2)], a = b[i].querySelector('abbr.r');
      var t = b[i].tagName === 'FIELDSET' ? b[i] : b[i].querySelector('input,select,textarea');
      if (a) a.hidden = !on;
      if (t) { if (on) t.setAttribute('aria-required', 'true'); else t.removeAttribute('aria-required'); }
    }
    b = form.querySelectorAll('span[data-pipe]');
    for (i = 0; i < b.length; i++) {
      n = b[i].getAttribute('data-pipe');
      if (shown(form, n) === null && n in j.pipe && b[i].innerHTML !== j.pipe[n]) b[i].innerHTML = j.pipe[n];
    }
    var dropped = options(form, j.opts || {});
    update(form);
    /* A choice that no longer fits was unchecked: what depends on it
       (the next level of a cascade) must be asked again. */
    if (dropped) { save(form); ask(form); }
  }
  /* A filtered list (data-cf) shows only the choices the server says fit
     the answers; the others are hidden and disabled (never sent), and an
     answer among them is dropped. True when an answer was dropped. */
  function options(form, opts) {
    var dropped = false;
    var b = form.querySelectorAll('[data-cf]');
    for (var i = 0; i < b.length; i++) {
      var ok = opts[b[i].id.slice(2)];
      if (!ok) continue;
      var els = b[i].querySelectorAll('option[value],input[type=radio],input[type=checkbox]');
      for (var k = 0; k < els.length; k++) {
        var e = els[k];
        if (e.value === '') continue;
        var on = ok.indexOf(e.value) >= 0;
        var box = e.tagName === 'OPTION' ? e : e.parentNode;
        box.hidden = !on;
        e.disabled = !on;
        if (!on && (e.selected || e.checked)) {
          if (e.tagName === 'OPTION') e.selected = false; else e.checked = false;
          dropped = true;
        }
      }
    }
    return dropped;
  }
  /* Text typed into a block (not a choice). */
  function typed(block) {
    var f = block.querySelectorAll('input[type=text],input[type=date],input[type=time],' +
                                   'input[type=datetime-local],input[type=month],textarea');
    for (var i = 0; i < f.length; i++) if (/\S/.test(f[i].value)) return true;
    return false;
  }
  /* The answers of the page, by form address without its language. */
  function key(form) {
    var u = new URL(form.action, location.href);
    u.searchParams.delete('lang');
    return 'buzon:' + u.pathname + u.search;
  }
  function save(form) {
    /* issue 17: an interview's answers are never kept in clear on a
       shared tablet (a kept one is sealed) */
    if (form.hasAttribute('data-seal')) return;
    var out = [];
    for (var i = 0; i < form.elements.length; i++) {
      var e = form.elements[i];
      if (!e.name || e.name.charAt(0) === '_' || e.type === 'hidden' || e.type === 'submit') continue;
      /* A drop-down is kept even empty: a rank's places are in order. */
      if ((e.type === 'radio' || e.type === 'checkbox') ? e.checked : e.value !== '' || e.type === 'select-one') out.push([e.name, e.value]);
    }
    try { sessionStorage.setItem(key(form), JSON.stringify(out)); } catch (x) { /* private mode: nothing kept */ }
  }
  /* Fill a fresh page from what was kept; a page the server filled (an
   * error or the language switch) already shows the answers. */
  function restore(form) {
    var kept;
    try { kept = JSON.parse(sessionStorage.getItem(key(form)) || 'null'); } catch (x) { kept = null; }
    if (!kept || !kept.length) return;
    for (var i = 0; i < form.elements.length; i++) {
      var e = form.elements[i];
      if (!e.name || e.name.charAt(0) === '_' || e.type === 'hidden' || e.type === 'submit') continue;
      if ((e.type === 'radio' || e.type === 'checkbox') ? e.checked : e.value !== '') return;
    }
    var used = {};   /* fields of one name (a rank's places): filled in turn */
    for (var k = 0; k < kept.length; k++) {
      var els = form.querySelectorAll('[name="' + kept[k][0] + '"]');
      var n = used[kept[k][0]] || 0;
      for (var j = 0; j < els.length; j++) {
        var el = els[j];
        if (el.type === 'radio' || el.type === 'checkbox') { if (el.value === kept[k][1]) el.checked = true; }
        else if (j === n) el.value = kept[k][1];
      }
      used[kept[k][0]] = n + 1;
    }
  }
  document.addEventListener('DOMContentLoaded', function () {
    var form = document.querySelector('form[method=post]');
    if (!form) return;
    restore(form);
    var live = needs(form);
    function changed() { update(form); save(form); if (live) ask(form); }
    form.addEventListener('change', changed);
    form.addEventListener('input', changed);
    /* Sent: the stored answer is the one that counts now. The language
     * switch (a button named _lang) sends the answers back to be shown. */
    form.addEventListener('submit', function (e) {
      var b = e.submitter;
      if (!b || (b.name !== '_lang' && b.name !== '_add' && b.name !== '_del')) { try { sessionStorage.removeItem(key(form)); } catch (x) { /* none */ } }
    });
    update(form);
    if (live) send(form);
    var errs = document.getElementById('errores');
    if (!errs) return;
    errs.focus();
    /* A summary entry leads to its question: bring the question into
     * view and put the focus in its first field, ready to answer. */
    errs.addEventListener('click', function (e) {
      var a = e.target.closest && e.target.closest('a[href^="#"]');
      var q = a && document.getElementById(a.getAttribute('href').slice(1));
      var field = q && q.querySelector('input,select,textarea');
      if (!field) return;
      e.preventDefault();
      q.scrollIntoView();
      field.focus({ preventScroll: true });
    });
  });
})();
/* Places (issue 16): "use my location" writes one precise fix into the
 * typed fields (or a new line of a trace's textarea); they stay usable
 * whatever happens. No API: the button stays hidden. */
(function () {
  'use strict';
  if (!navigator.geolocation) return;
  function fix(btn) {
    var name = btn.getAttribute('data-geo');
    var form = btn.form;
    var st = document.getElementById('gs-' + name);
    st.textContent = btn.getAttribute('data-wait');
    btn.disabled = true;
    navigator.geolocation.getCurrentPosition(function (p) {
      var c = p.coords, acc = Math.round(c.accuracy * 10) / 10;
      var alt = c.altitude == null ? 0 : Math.round(c.altitude * 10) / 10;
      var lat = +c.latitude.toFixed(7), lon = +c.longitude.toFixed(7);
      var area = form.elements[name];
      if (area && area.tagName === 'TEXTAREA') {
        var v = area.value.replace(/\s+$/, '');
        area.value = (v ? v + '\n' : '') + lat + ' ' + lon + ' ' + alt + ' ' + acc;
      } else {
        form.elements[name + ':lat'].value = lat;
        form.elements[name + ':lon'].value = lon;
        form.elements[name + ':alt'].value = alt;
        form.elements[name + ':acc'].value = acc;
        var place = form.elements[name + ':place'];
        if (place) place.value = '';
      }
      st.textContent = btn.getAttribute('data-ok').replace('{m}', String(acc));
      btn.disabled = false;
      form.dispatchEvent(new Event('change'));
    }, function (e) {
      st.textContent = btn.getAttribute(e.code === 1 ? 'data-denied' : 'data-nofix');
      btn.disabled = false;
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 });
  }
  document.addEventListener('DOMContentLoaded', function () {
    var btns = document.querySelectorAll('button.geo[data-geo]');
    for (var i = 0; i < btns.length; i++) {
      btns[i].hidden = false;
      btns[i].addEventListener('click', function (e) { fix(e.currentTarget); });
    }
    /* typed by hand: the fix's altitude and accuracy no longer apply */
    document.addEventListener('input', function (e) {
      var m = e.target.name && /^(.*):(lat|lon)$/.exec(e.target.name);
      if (!m || !e.target.form) return;
      e.target.form.elements[m[1] + ':alt'].value = '';
      e.target.form.elements[m[1] + ':acc'].value = '';
    });
  });
  /* A range asked as a number field (more values than fit as buttons)
     gets a slider beside it: moving it fills the number, typing moves it.
     The field stays empty until one of them is used, so the slider never
     answers for the person; the number field stays the control that is
     sent and that a screen reader uses. */
  document.addEventListener('DOMContentLoaded', function () {
    var nums = document.querySelectorAll('input[type=number][data-range]');
    for (var i = 0; i < nums.length; i++) (function (n) {
      var s = document.createElement('input');
      s.type = 'range';
      s.min = n.min; s.max = n.max; s.step = n.step;
      s.className = 'sl';
      s.tabIndex = -1;
      s.setAttribute('aria-hidden', 'true');
      s.value = n.value !== '' ? n.value : n.min;
      n.parentNode.insertBefore(s, n.nextSibling);
      s.addEventListener('input', function () {
        n.value = s.value;
        n.dispatchEvent(new Event('input', { bubbles: true }));
      });
      n.addEventListener('input', function () { if (n.value !== '') s.value = n.value; });
    })(nums[i]);
  });
  /* issue 17: offline. The service worker (/s/sw.js) keeps survey pages
     and these files for a visit with no connection. A survey sent while
     the phone is offline is kept in IndexedDB ('buzon', store 'q', by its
     submission id _sid) and the page says so; it is sent when the
     connection returns (the online event, the next buzon page opened, or
     Background Sync in the worker), once: a repeated _sid is the same
     answer to the server. The server's 303 to /e/<form>/gracias?c=CODE
     says it is stored, and with which case code; a 422 that it was
     refused, and why (never dropped silently). Texts come from the
     form's data-off and the pages the server answers with. */
  function idb(f) {
    try {
      var o = indexedDB.open('buzon', 1);
      o.onupgradeneeded = function () { o.result.createObjectStore('q', { keyPath: 'sid' }); };
      o.onsuccess = function () { f(o.result); };
    } catch (x) { /* no IndexedDB: nothing kept */ }
  }
  function say(text) {
    var old = document.querySelectorAll('p.off');
    for (var i = 0; i < old.length; i++) old[i].remove();   /* "kept" becomes "sent" */
    var p = document.createElement('p');
    p.className = 'ok off';
    p.setAttribute('role', 'status');
    p.tabIndex = -1;
    p.textContent = text;
    var m = document.querySelector('main') || document.body;
    m.insertBefore(p, m.firstChild);
    p.focus();
  }
  var busy = false;
  function flush() {
    if (busy || navigator.onLine === false || !window.indexedDB) return;
    busy = true;
    idb(function (db) {
      var g = db.transaction('q').objectStore('q').getAll();
      g.onsuccess = function () {
        Promise.all(g.result.filter(function (a) { return !a.err; }).map(function (a) {
          /* a kept interview: sent by www/entrevista.js, on staff pages */
          if (a.iv) return window.buzonIv ? window.buzonIv.send(db, a) : null;
          var b = a.multi ? new FormData() : new URLSearchParams();
          a.fields.forEach(function (kv) { b.append(kv[0], kv[1]); });
          /* the thank-you page the 303 leads to, or the refused answer's
             page, says it in the answer's own language */
          return fetch(a.url, { method: 'POST', body: b, credentials: 'omit' }).then(function (r) {
            var u = new URL(r.url), ok = r.redirected && /\/gracias$/.test(u.pathname);
            if (!ok && r.status !== 422) return;   /* kept: tried again later */
            return r.text().then(function (t) {
              var d = new DOMParser().parseFromString(t, 'text/html'), o = d.getElementById('off'),
                  f = d.getElementById('f'), e = d.getElementById('errores'), c = u.searchParams.get('c');
              var tx = db.transaction('q', 'readwrite'), st = tx.objectStore('q');
              /* the list page's #mine shows the new state */
              tx.oncomplete = function () { document.dispatchEvent(new Event('buzon-q')); };
              if (ok) {
                st.delete(a.sid);
                say(o.getAttribute('data-off-sent') + (c ? ' ' + o.getAttribute('data-off-code') + ' ' + c : ''));
              } else {
                /* refused: kept with the server's reason, listed on the
                   survey list page until the person discards it */
                /* the summary's heading and entries, one space apart */
                a.err = f.getAttribute('data-off-refused') + (e ? ' ' + [].map.call(e.querySelectorAll('h2,li'),
                  function (x) { return x.textContent.trim(); }).join(' ') : '');
                st.put(a);
                say(a.err);
              }
            });
          }, function () { /* still offline: kept */ });
        })).then(function () { busy = false; }, function () { busy = false; });
      };
      g.onerror = function () { busy = false; };
    });
  }
  /* Online, each survey page shown is kept for a visit offline (sw.js),
     as the browser got it (force-cache: no second request), with the
     files it uses; a new form version replaces it on the next visit. */
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/s/sw.js', { scope: '/' }).then(function () {
    if (navigator.onLine === false || !window.caches || !/^\/(e\/[^/]+)?$/.test(location.pathname)) return;
    var here = location.href.split('#')[0];
    caches.open('buzon-1').then(function (c) {
      fetch(here, { cache: 'force-cache' }).then(function (r) {
        if (r.status === 200) c.put(here, r);
      }).catch(function () {});
      c.addAll(['/s/buzon.css', '/s/buzon.js']).catch(function () {});
    });
  }).catch(function () {});
  /* for www/entrevista.js (staff interview pages only) */
  window.buzonQ = { idb: idb, say: say, flush: flush };
  window.addEventListener('online', flush);
  document.addEventListener('DOMContentLoaded', flush);
  /* An answer sw.js kept because the network did not answer (lie-fi):
     the page it served says so, as for one kept offline. */
  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('f');
    if (!form || !form.hasAttribute('data-kept')) return;
    form.hidden = true;
    say(form.getAttribute('data-off'));
  });
  document.addEventListener('submit', function (e) {
    var form = e.target, b = e.submitter;
    /* issues 17, 18: otherwise only a citizen's survey (/e/) is kept; a
       staff page's other forms (a register, a paper answer: at a desk with
       a connection) are never queued, and an interview only sealed
       (www/entrevista.js):
       the queue sends no session, and a shared tablet keeps nobody's
       answers in clear */
    if (form.id !== 'f' || form.hasAttribute('data-staff') || navigator.onLine !== false ||
        !window.indexedDB || (b && b.name) ||
        !/^\/e\//.test(new URL(form.action, location.href).pathname)) return;
    e.preventDefault();
    var a = { sid: form.elements._sid.value, url: form.action.split('#')[0], t: Date.now(),
              title: (document.querySelector('h1') || form).textContent,
              multi: form.enctype === 'multipart/form-data', fields: [] };
    new FormData(form).forEach(function (v, k) { a.fields.push([k, v]); });
    idb(function (db) {
      var tx = db.transaction('q', 'readwrite');
      tx.objectStore('q').put(a);
      tx.oncomplete = function () {
        form.hidden = true;
        say(form.getAttribute('data-off'));
        if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
        if (navigator.serviceWorker) navigator.serviceWorker.ready.then(function (r) {
          if (r.sync) r.sync.register('buzon-send').catch(function () {});
        });
      };
    });
  });
})();
/* issue 17: continue later. A long survey (the server marks its form with
   data-draft: a repeat, or many questions) offers "Continuar después":
   its answers (every field, the repeats' counts _n.*, not files), the
   page's language and the form's version (data-v) are kept in IndexedDB
   ('buzon-drafts', store 'd', by the page's address without its
   language) until sent or discarded, and kept up to date while the
   person goes on. Opening the survey again offers to continue or discard
   (#continuar, from the list page, continues at once): the answers are
   filled in place when the page has every field, else (more repeat
   instances than a fresh page has) sent back to the server as the
   language switch sends them, which shows them. The survey list page's
   #mine section lists the drafts and the answers kept to be sent
   (pending, or refused with the server's reason). Never on staff pages:
   the server marks only citizens' survey pages and the list. */
(function () {
  'use strict';
  if (!window.indexedDB) return;
  function db(f) {
    try {
      var o = indexedDB.open('buzon-drafts', 1);
      o.onupgradeneeded = function () { o.result.createObjectStore('d', { keyPath: 'k' }); };
      o.onsuccess = function () { f(o.result); };
    } catch (x) { /* none kept */ }
  }
  function store(d, mode) { return d.transaction('d', mode).objectStore('d'); }
  function here() {
    var u = new URL(location.href);
    u.searchParams.delete('lang');
    u.hash = '';
    return u.pathname + u.search;
  }
  function fields(form) {
    var out = [];
    for (var i = 0; i < form.elements.length; i++) {
      var e = form.elements[i];
      if (!e.name || e.type === 'file' || e.type === 'submit' || e.disabled) continue;
      if (e.name.charAt(0) === '_' && e.name.indexOf('_n.') !== 0) continue;
      if ((e.type === 'radio' || e.type === 'checkbox') ? e.checked : e.value !== '' || e.type === 'select-one') out.push([e.name, e.value]);
    }
    return out;
  }
  function note(form, text, buttons) {
    var old = document.getElementById('dn');
    if (old) old.remove();
    var box = document.createElement('div');
    box.id = 'dn';
    box.className = 'ok';
    box.setAttribute('role', 'status');
    box.tabIndex = -1;
    var p = document.createElement('p');
    p.textContent = text;
    box.appendChild(p);
    (buttons || []).forEach(function (b) {
      var x = document.createElement('button');
      x.type = 'button';
      x.textContent = b[0];
      x.className = b[2] || '';
      x.addEventListener('click', b[1]);
      box.appendChild(x);
    });
    form.parentNode.insertBefore(box, form);
    box.focus();
    return box;
  }
  /* The kept answers back into the form: in place when every field is on
     the page, else through the server (the language switch's way). */
  function fill(form, d) {
    var names = {}, i, k;
    for (i = 0; i < form.elements.length; i++) names[form.elements[i].name] = form.elements[i];
    var inPlace = d.fields.every(function (kv) {
      return kv[0].indexOf('_n.') === 0 ? names[kv[0]] && names[kv[0]].value === kv[1] : !!names[kv[0]];
    });
    if (!inPlace) {
      var f2 = document.createElement('form'), lang = document.documentElement.lang;
      f2.method = 'post';
      f2.enctype = form.enctype;
      f2.action = form.action.replace(/#.*/, '');
      f2.hidden = true;
      var add = function (n, v) {
        var x = document.createElement('input');
        x.type = 'hidden'; x.name = n; x.value = v; f2.appendChild(x);
      };
      for (i = 0; i < form.elements.length; i++) {
        var h = form.elements[i];
        if (h.type === 'hidden' && h.name && h.name.charAt(0) === '_' && h.name.indexOf('_n.') !== 0) add(h.name, h.value);
      }
      d.fields.forEach(function (kv) { add(kv[0], kv[1]); });
      add('_lang', lang);
      try { sessionStorage.setItem('buzon-restored', here()); } catch (y) { /* private mode */ }
      document.body.appendChild(f2);
      f2.submit();
      return;
    }
    for (i = 0; i < form.elements.length; i++) {
      var e = form.elements[i];
      if (e.type === 'radio' || e.type === 'checkbox') e.checked = false;
    }
    var used = {};
    for (k = 0; k < d.fields.length; k++) {
      var n = d.fields[k][0], v = d.fields[k][1], els = form.querySelectorAll('[name="' + n.replace(/"/g, '\\"') + '"]');
      var at = used[n] || 0;
      for (var j = 0; j < els.length; j++) {
        if (els[j].type === 'radio' || els[j].type === 'checkbox') { if (els[j].value === v) els[j].checked = true; }
        else if (j === at) els[j].value = v;
      }
      used[n] = at + 1;
    }
    form.dispatchEvent(new Event('change'));
  }
  function survey(form) {
    var key = here(), on = false, timer = 0;
    function keep(then) {
      var d = { k: key, url: key, title: (document.querySelector('h1') || {}).textContent || key,
                lang: document.documentElement.lang, v: form.getAttribute('data-v'), t: Date.now(), fields: fields(form) };
      db(function (x) { var tx = x.transaction('d', 'readwrite'); tx.objectStore('d').put(d); tx.oncomplete = then || null; });
    }
    function drop() { db(function (x) { store(x, 'readwrite').delete(key); }); on = false; }
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'sec';
    b.textContent = form.getAttribute('data-draft');
    b.addEventListener('click', function () {
      keep(function () { on = true; note(form, form.getAttribute('data-draft-saved')); });
    });
    var last = form.querySelector('button[type=submit]:not([name])') || form.lastElementChild;
    last.parentNode.insertBefore(b, last.nextSibling);
    function changed() {
      if (!on) return;
      clearTimeout(timer);
      timer = setTimeout(keep, 300);
    }
    form.addEventListener('change', changed);
    form.addEventListener('input', changed);
    /* Sent (or kept to be sent): the draft is done with. */
    form.addEventListener('submit', function (e) {
      var s = e.submitter;
      if (s && s.name) { if (on) keep(); return; }
      clearTimeout(timer);
      drop();
    });
    db(function (x) {
      var g = store(x, 'readonly').get(key);
      g.onsuccess = function () {
        var d = g.result;
        if (!d) return;
        if (form.hasAttribute('data-kept')) { drop(); return; }
        on = true;
        /* A page the server filled (an error, the language switch, a
           restore through the server) or a reload of this tab (the
           first part keeps the answers in sessionStorage) already shows
           the answers. */
        var back = false, seen = null, u = new URL(form.action, location.href);
        u.searchParams.delete('lang');
        try {
          back = sessionStorage.getItem('buzon-restored') === key;
          sessionStorage.removeItem('buzon-restored');
          seen = sessionStorage.getItem('buzon:' + u.pathname + u.search);
        } catch (y) { /* private mode */ }
        if (back || document.getElementById('errores')) return;
        if (location.hash === '#continuar') { fill(form, d); return; }
        if (seen && seen !== '[]') return;
        var box = note(form, form.getAttribute('data-draft-found'), [
          [form.getAttribute('data-draft-go'), function () { box.remove(); fill(form, d); }],
          [form.getAttribute('data-draft-drop'), function () { box.remove(); drop(); }, 'sec']]);
      };
    });
  }
  /* The survey list page: what this phone keeps. */
  var gen = 0;
  function mine(sec) {
    var ul = sec.querySelector('ul'), my = ++gen;
    ul.textContent = '';
    sec.hidden = true;
    function item(text, state, go, dropIt) {
      if (my !== gen) return;   /* listed again since */
      var li = document.createElement('li'), p = document.createElement('p');
      var b = document.createElement('b');
      b.textContent = text;
      p.appendChild(b);
      p.appendChild(document.createTextNode(' — ' + state));
      li.appendChild(p);
      if (go) {
        var a = document.createElement('a');
        a.href = go; a.className = 'btn'; a.textContent = sec.getAttribute('data-go');
        li.appendChild(a);
      }
      var x = document.createElement('button');
      x.type = 'button'; x.className = 'sec'; x.textContent = sec.getAttribute('data-drop');
      x.addEventListener('click', function () {
        dropIt();
        li.remove();
        if (!ul.children.length) sec.hidden = true;
      });
      li.appendChild(x);
      ul.appendChild(li);
      sec.hidden = false;
    }
    db(function (x) {
      var g = store(x, 'readonly').getAll();
      g.onsuccess = function () {
        g.result.forEach(function (d) {
          var u = d.url + (d.url.indexOf('?') < 0 ? '?' : '&') + 'lang=' + d.lang + '#continuar';
          item(d.title, sec.getAttribute('data-draft'), u, function () { store(x, 'readwrite').delete(d.k); });
        });
      };
    });
    try {
      var o = indexedDB.open('buzon', 1);
      o.onupgradeneeded = function () { o.result.createObjectStore('q', { keyPath: 'sid' }); };
      o.onsuccess = function () {
        var q = o.result, g = q.transaction('q').objectStore('q').getAll();
        g.onsuccess = function () {
          /* kept interviews are listed on the interview page, by their
             interviewer (issue 17 item 5) */
          g.result.filter(function (a) { return !a.iv; }).forEach(function (a) {
            item(a.title || decodeURIComponent(new URL(a.url).pathname.split('/')[2]), a.err ? sec.getAttribute('data-refused') + ' ' + a.err : sec.getAttribute('data-pending'), null,
              function () { q.transaction('q', 'readwrite').objectStore('q').delete(a.sid); });
          });
        };
      };
    } catch (x) { /* nothing kept */ }
  }
  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('f'), sec = document.getElementById('mine');
    if (form && form.hasAttribute('data-draft')) survey(form);
    else if (form && form.hasAttribute('data-kept')) db(function (x) { store(x, 'readwrite').delete(here()); });
    if (sec) {
      mine(sec);
      document.addEventListener('buzon-q', function () { mine(sec); });
    }
  });
})();
