/* buzon.js: optional. Without it every question shows, each conditional
   one saying when it applies. With it, a question whose data-if
   condition is false is hidden live, and after a failed submission the
   error summary takes the focus so screen readers announce it (browsers
   without the script get there through the form's #errores action), and
   its entries put the focus in the field they name.
   data-if = "[or ]name=value name!=value name~value" (~ is selected();
   all tests must hold, or with "or " any one). */
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
      if ((e.type === 'radio' || e.type === 'checkbox') ? e.checked : e.value !== '') out.push(e.value);
    }
    return out;
  }
  function holds(form, test) {
    var m = /^([^=!~]+)(=|!=|~)(.*)$/.exec(test);
    if (!m) return true;
    var v = values(form, m[1]);
    if (m[2] === '~') return v.join(' ').split(' ').indexOf(m[3]) >= 0;
    var eq = v.length === 1 && v[0] === m[3];
    return m[2] === '=' ? eq : !eq;
  }
  function update(form) {
    var blocks = form.querySelectorAll('[data-if]');
    for (var i = 0; i < blocks.length; i++) {
      var t = blocks[i].getAttribute('data-if').split(' ');
      var or = t[0] === 'or';
      var r = !or;
      for (var k = or ? 1 : 0; k < t.length; k++) {
        var h = holds(form, t[k]);
        r = or ? (r || h) : (r && h);
      }
      blocks[i].hidden = !r;
    }
  }
  document.addEventListener('DOMContentLoaded', function () {
    var form = document.querySelector('form[method=post]');
    if (!form) return;
    form.addEventListener('change', function () { update(form); });
    update(form);
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
