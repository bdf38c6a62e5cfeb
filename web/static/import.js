// evalpanel: the import form shows that it is working after submit and
// cannot be sent twice; the import itself is checked and stored at once.
(function () {
  'use strict';
  var form = document.getElementById('import-form');
  if (!form) {
    return;
  }
  var button = document.getElementById('import-submit');
  var label = button ? button.textContent : '';
  form.addEventListener('submit', function () {
    form.setAttribute('aria-busy', 'true');
    if (button) {
      button.disabled = true;
      button.textContent = form.getAttribute('data-busy') || label;
    }
  });
  // Coming back to the page (the back button) finds the form usable again.
  window.addEventListener('pageshow', function () {
    form.removeAttribute('aria-busy');
    if (button) {
      button.disabled = false;
      button.textContent = label;
    }
  });
})();
