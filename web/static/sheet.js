// evalpanel: the score sheet page (workspace_sheet.html). The page works
// without this script: its buttons save the draft and go on to the summary
// before submitting. With it, the scores are checked as they are typed,
// the total and the comment rule follow them, and the draft saves itself
// 1.5 s after the last change and when the page is left. A save based on
// an older version than the one stored (another tab or device saved since)
// is refused by the server; the page then shows the stored version and
// saves nothing more until the expert chooses to load it or to replace it.
(function () {
  'use strict';
  var form = document.getElementById('sheet-form');
  if (!form || !window.fetch) {
    return;
  }
  var DELAY = 1500;
  var version = document.getElementById('f-version');
  var state = document.getElementById('save-state');
  var stale = document.getElementById('stale-banner');
  var problem = document.getElementById('save-problem');
  var totalBox = document.getElementById('sheet-total');
  var scores = Array.prototype.slice.call(form.querySelectorAll('input[data-max]'));
  var timer = null;
  var saving = null;
  var dirty = false;
  var submitting = false;
  var paused = form.hasAttribute('data-paused');
  var clientErrors = {};

  function say(key, time) {
    var text = state.getAttribute('data-' + key) || '';
    state.textContent = text.replace('{time}', time || '');
    state.classList.toggle('bad', key === 'invalid' || key === 'failed' || key === 'paused');
  }

  // The element that shows a field's problem: e-score-A1 for score.A1.
  function errorBox(name) {
    return document.getElementById('e-' + name.replace('.', '-'));
  }

  function showError(name, msg) {
    var box = errorBox(name);
    if (!box) {
      return;
    }
    box.textContent = msg || '';
    var field = box.closest('.field');
    if (field) {
      field.classList.toggle('has-error', !!msg);
    }
    var input = form.elements[name];
    if (input && input.setAttribute) {
      if (msg) {
        input.setAttribute('aria-invalid', 'true');
      } else {
        input.removeAttribute('aria-invalid');
      }
    }
  }

  // A score in half-points, null when empty, or the problem with it, by
  // the rules the server applies (evaluation/README.md §3.1, §3.4).
  function readScore(input) {
    var s = input.value.trim();
    if (input.validity && input.validity.badInput) {
      return { msg: input.getAttribute('data-msg-number') };
    }
    if (s === '') {
      return { halves: null };
    }
    var f = Number(s);
    if (!isFinite(f)) {
      return { msg: input.getAttribute('data-msg-number') };
    }
    var h = f * 2;
    if (Math.abs(h - Math.round(h)) > 1e-9) {
      return { msg: input.getAttribute('data-msg-step') };
    }
    h = Math.round(h);
    if (h < 0 || h > Math.round(Number(input.getAttribute('data-max')) * 2)) {
      return { msg: input.getAttribute('data-msg-range') };
    }
    return { halves: h };
  }

  function halvesOf(text) {
    return Math.round(Number(text) * 2);
  }

  // checkScore shows a score's problem beside it, marks its comment
  // required below 60% or above 90% of the maximum, and highlights the
  // level its value falls in. keepServer leaves a problem the server
  // reported (a missing score, on the summary) when the browser sees none.
  function checkScore(input, keepServer) {
    var code = input.getAttribute('data-code');
    var r = readScore(input);
    clientErrors[input.name] = r.msg || '';
    if (r.msg || !keepServer) {
      showError(input.name, r.msg);
    }
    var max = halvesOf(input.getAttribute('data-max'));
    var req = document.getElementById('req-' + code);
    if (req) {
      req.hidden = !(r.halves != null && (r.halves * 10 < max * 6 || r.halves * 10 > max * 9));
    }
    var item = document.getElementById('item-' + code);
    if (item) {
      item.querySelectorAll('table.levels tr').forEach(function (tr) {
        var on = r.halves != null && r.halves >= halvesOf(tr.getAttribute('data-min')) && r.halves <= halvesOf(tr.getAttribute('data-max'));
        tr.classList.toggle('current', on);
      });
    }
    return r;
  }

  // recount updates the running total, how many are scored and, once all
  // are, the grade band.
  function recount() {
    var sum = 0;
    var scored = 0;
    scores.forEach(function (input) {
      var r = readScore(input);
      if (r.halves != null) {
        sum += r.halves;
        scored++;
      }
    });
    document.getElementById('total-value').textContent = String(sum / 2);
    var scoredBox = document.getElementById('total-scored');
    scoredBox.textContent = scoredBox.getAttribute('data-text').replace('{scored}', String(scored));
    var grade = document.getElementById('total-grade');
    var bands = (totalBox.getAttribute('data-bands') || '').split('|');
    var name = '';
    if (scored === scores.length) {
      for (var i = 0; i < bands.length; i++) {
        var parts = bands[i].split(':');
        if (sum >= halvesOf(parts[0])) {
          name = parts.slice(1).join(':');
          break;
        }
      }
    }
    grade.textContent = name;
    grade.hidden = name === '';
  }

  function showEvidence(box) {
    var code = box.name.slice('veto.'.length);
    var ev = document.getElementById('evidence-' + code);
    if (ev) {
      ev.hidden = !box.checked;
    }
  }

  function clientInvalid() {
    return Object.keys(clientErrors).some(function (k) { return clientErrors[k]; });
  }

  function body() {
    var data = new FormData(form);
    data.delete('op');
    return new URLSearchParams(data);
  }

  function schedule() {
    dirty = true;
    if (paused) {
      return;
    }
    say('dirty');
    clearTimeout(timer);
    timer = setTimeout(save, DELAY);
  }

  function clearServerErrors() {
    form.querySelectorAll('.field .error').forEach(function (box) {
      var name = box.id.slice(2).replace('-', '.');
      if (!clientErrors[name] && box.textContent) {
        showError(name, '');
      }
    });
  }

  function showStale(refusal) {
    paused = true;
    var cur = refusal.current;
    document.getElementById('stale-message').textContent = refusal.error.message;
    document.getElementById('stale-meta').textContent = (stale.getAttribute('data-meta') || '')
      .replace('{status}', cur.status).replace('{time}', cur.saved_at || '—').replace('{total}', cur.total);
    var list = document.getElementById('stale-lines');
    list.textContent = '';
    (cur.lines || []).forEach(function (line) {
      var li = document.createElement('li');
      li.textContent = line;
      list.appendChild(li);
    });
    document.getElementById('stale-opinion').textContent = cur.opinion ? (stale.getAttribute('data-opinion') || '') + cur.opinion : '';
    stale.setAttribute('data-version', String(cur.version));
    stale.hidden = false;
    say('paused');
    stale.scrollIntoView({ block: 'start' });
  }

  function showProblem(msg) {
    paused = true;
    document.getElementById('save-problem-text').textContent = msg;
    problem.hidden = false;
    say('paused');
  }

  // save sends the form to the autosave route; keepalive lets it finish
  // while the page is being left.
  function save(keepalive) {
    clearTimeout(timer);
    timer = null;
    if (paused || !dirty || submitting) {
      return Promise.resolve();
    }
    if (saving) {
      timer = setTimeout(save, 300);
      return saving;
    }
    if (clientInvalid()) {
      say('invalid');
      return Promise.resolve();
    }
    dirty = false;
    say('saving');
    saving = fetch(form.getAttribute('data-draft'), {
      method: 'POST', body: body(), credentials: 'same-origin', keepalive: !!keepalive,
      headers: { 'Accept': 'application/json' }
    }).then(function (res) {
      if ((res.headers.get('Content-Type') || '').indexOf('application/json') !== 0) {
        throw new Error('not an answer of the autosave');
      }
      return res.json().then(function (b) { return { status: res.status, body: b }; });
    }).then(function (r) {
      var e = r.body.error || {};
      if (r.status === 200) {
        version.value = String(r.body.version);
        clearServerErrors();
        say(dirty ? 'dirty' : 'saved', r.body.saved_at);
      } else if (r.status === 400) {
        dirty = true;
        clearServerErrors();
        Object.keys(e.fields || {}).forEach(function (name) { showError(name, e.fields[name]); });
        say('invalid');
      } else if (r.status === 409 && r.body.current) {
        dirty = true;
        showStale(r.body);
      } else {
        dirty = true;
        showProblem(e.message || state.getAttribute('data-failed'));
      }
    }).catch(function () {
      dirty = true;
      say('failed');
    }).then(function () {
      saving = null;
    });
    return saving;
  }

  scores.forEach(function (input) {
    checkScore(input, true);
  });
  recount();
  form.querySelectorAll('input[name^="veto."]').forEach(showEvidence);

  form.addEventListener('input', function (e) {
    var t = e.target;
    if (t.matches && t.matches('input[data-max]')) {
      checkScore(t);
      recount();
    } else if (t.name && !clientErrors[t.name]) {
      showError(t.name, '');
    }
    schedule();
  });
  form.addEventListener('change', function (e) {
    var t = e.target;
    if (t.name && t.name.indexOf('veto.') === 0) {
      showEvidence(t);
    }
    if (t.type === 'checkbox' || t.type === 'radio') {
      schedule();
    }
  });
  // The buttons post the form; a save under way finishes first, so that
  // the form carries the version it produced.
  form.addEventListener('submit', function (e) {
    if (submitting) {
      return;
    }
    clearTimeout(timer);
    timer = null;
    var button = e.submitter;
    if (saving) {
      e.preventDefault();
      saving.then(function () {
        submitting = true;
        if (form.requestSubmit) {
          form.requestSubmit(button);
        } else {
          form.submit();
        }
      });
      return;
    }
    submitting = true;
    dirty = false;
  });
  document.getElementById('stale-overwrite').addEventListener('click', function () {
    version.value = stale.getAttribute('data-version');
    stale.hidden = true;
    paused = false;
    dirty = true;
    save();
  });
  // Leaving the page (closing the laptop, switching apps on a phone) saves
  // what is not saved yet.
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden' && dirty) {
      save(true);
    }
  });
  window.addEventListener('pagehide', function () {
    if (dirty) {
      save(true);
    }
  });
})();
