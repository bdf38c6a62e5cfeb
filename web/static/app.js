// evalpanel: small progressive enhancements; every page works without them.
(function () {
  'use strict';
  // Ask before irreversible actions: <form data-confirm="…">, or
  // <button data-confirm="…"> for one of a form's buttons.
  document.addEventListener('submit', function (e) {
    var b = e.submitter;
    var msg = (b && b.getAttribute('data-confirm')) || (e.target.getAttribute && e.target.getAttribute('data-confirm'));
    if (msg && !window.confirm(msg)) {
      e.preventDefault();
    }
  });
  // The navigation menu on phones.
  var toggle = document.querySelector('.nav-toggle');
  var nav = document.getElementById('nav');
  if (toggle && nav) {
    toggle.addEventListener('click', function () {
      var open = nav.classList.toggle('open');
      toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    });
  }
  // Filters that submit when a select changes.
  document.querySelectorAll('form.filters select').forEach(function (s) {
    s.addEventListener('change', function () { s.form.submit(); });
  });
  // The rubric editor's running total of the indicators' maximum points;
  // the server checks it again on save.
  var total = document.querySelector('#total strong');
  var form = document.getElementById('rubric-form');
  if (total && form) {
    var recount = function () {
      var sum = 0;
      form.querySelectorAll('input[name$=".max"]').forEach(function (i) {
        if (/^indicators\.\d+\.max$/.test(i.name)) {
          var v = parseFloat(i.value);
          if (!isNaN(v)) { sum += v; }
        }
      });
      total.textContent = String(Math.round(sum * 2) / 2);
      total.parentNode.classList.toggle('off-total', Math.abs(sum - 100) > 1e-9);
    };
    form.addEventListener('input', recount);
  }
  // Print buttons: <button data-print>.
  document.querySelectorAll('[data-print]').forEach(function (b) {
    b.addEventListener('click', function () { window.print(); });
  });
  // Copy buttons: <button data-copy="#id">.
  document.querySelectorAll('[data-copy]').forEach(function (b) {
    b.addEventListener('click', function () {
      var el = document.querySelector(b.getAttribute('data-copy'));
      if (el && navigator.clipboard) {
        navigator.clipboard.writeText(el.textContent.trim());
        b.textContent = b.getAttribute('data-copied') || b.textContent;
      }
    });
  });
})();
