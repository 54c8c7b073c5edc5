/* refmap review desk: filters, keyboard navigation, the claim panel, writes and live updates.
   Every value shown comes from server-rendered, escaped fragments or goes in as textContent. */
(function () {
  'use strict';
  function meta(name) { return document.querySelector('meta[name="' + name + '"]').content; }
  var token = meta('refmap-token');
  var csrf = meta('refmap-csrf');
  var pollMs = parseInt(meta('refmap-poll'), 10) || 1500;
  var panel = document.getElementById('panel');
  var message = document.getElementById('message');
  var current = null;
  var dirty = false;
  var busy = false;

  function url(path) { return path + (path.indexOf('?') < 0 ? '?' : '&') + 'token=' + encodeURIComponent(token); }
  function live() { return document.getElementById('live'); }
  function say(text, isError) {
    message.textContent = text;
    message.className = isError ? 'error' : 'ok';
  }
  function getText(path) {
    return fetch(url(path), { credentials: 'same-origin' }).then(function (r) {
      return r.text().then(function (t) { return { status: r.status, text: t }; });
    });
  }
  function indexEntry(id) {
    var rows = document.querySelectorAll('#claim-index li');
    for (var i = 0; i < rows.length; i++) { if (rows[i].dataset.id === id) { return rows[i]; } }
    return null;
  }
  function marks() { return Array.prototype.slice.call(document.querySelectorAll('#essay mark.claim')); }
  function markFor(id) {
    return marks().find(function (m) { return m.dataset.claims.split(' ').indexOf(id) >= 0; }) || null;
  }

  /* -- filters ------------------------------------------------------------------------ */
  function passes(id) {
    var row = indexEntry(id);
    if (!row) { return true; }
    var status = document.getElementById('f-status').value;
    var kind = document.getElementById('f-kind').value;
    return (!status || row.dataset.status === status) && (!kind || row.dataset.kind === kind);
  }
  function applyFilters() {
    marks().forEach(function (m) {
      var shown = m.dataset.claims.split(' ').some(passes);
      m.classList.toggle('dim', !shown);
      m.tabIndex = shown ? 0 : -1;
    });
  }
  document.getElementById('f-status').addEventListener('change', applyFilters);
  document.getElementById('f-kind').addEventListener('change', applyFilters);

  /* -- the claim panel ------------------------------------------------------------------ */
  function setActive(id) {
    marks().forEach(function (m) { m.classList.remove('active'); });
    var m = id ? markFor(id) : null;
    if (m) { m.classList.add('active'); }
    return m;
  }
  function open(id, focusPanel) {
    return getText('/fragment/claim/' + encodeURIComponent(id)).then(function (r) {
      current = r.status === 200 ? id : null;
      dirty = false;
      panel.innerHTML = r.text;
      setActive(current);
      if (focusPanel) { panel.focus(); }
    });
  }
  function openMark(mark) {
    var ids = mark.dataset.claims.split(' ').filter(passes);
    open(ids[0] || mark.dataset.claims.split(' ')[0], true);
  }
  document.addEventListener('click', function (e) {
    var mark = e.target.closest('mark.claim');
    if (mark) { openMark(mark); return; }
    var opener = e.target.closest('[data-open]');
    if (opener) {
      var m = markFor(opener.dataset.open);
      if (m) { m.scrollIntoView({ block: 'center' }); }
      open(opener.dataset.open, true);
      return;
    }
    var button = e.target.closest('button[data-post]');
    if (button) { e.preventDefault(); postButton(button); }
  });
  panel.addEventListener('input', function () { dirty = true; });

  /* -- keyboard ------------------------------------------------------------------------- */
  function step(forward) {
    var all = marks().filter(function (m) {
      return !m.classList.contains('dim') && m.dataset.claims.split(' ').some(function (id) {
        var row = indexEntry(id);
        return row && row.dataset.attention === '1' && passes(id);
      });
    });
    if (!all.length) { say('No claim needs attention.', false); return; }
    var here = document.activeElement && document.activeElement.matches('mark.claim')
      ? document.activeElement : document.querySelector('#essay mark.claim.active');
    var next;
    if (!here) {
      next = forward ? all[0] : all[all.length - 1];
    } else {
      var after = all.filter(function (m) {
        var pos = here.compareDocumentPosition(m);
        return forward ? (pos & Node.DOCUMENT_POSITION_FOLLOWING) : (pos & Node.DOCUMENT_POSITION_PRECEDING);
      });
      next = after.length ? (forward ? after[0] : after[after.length - 1]) : (forward ? all[0] : all[all.length - 1]);
    }
    next.focus();
    next.scrollIntoView({ block: 'center' });
  }
  document.addEventListener('keydown', function (e) {
    var t = e.target;
    var typing = t.matches && t.matches('input, textarea, select');
    if (e.key === 'Escape') {
      var back = document.querySelector('#essay mark.claim.active') || marks()[0];
      if (back) { back.focus(); }
      return;
    }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (t.matches && t.matches('mark.claim') && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      openMark(t);
    } else if (e.key === 'n' || e.key === 'p') {
      e.preventDefault();
      step(e.key === 'n');
    }
  });

  /* -- new claim from a selection -------------------------------------------------------- */
  document.addEventListener('selectionchange', function () {
    var sel = document.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) { return; }
    var essay = document.getElementById('essay');
    if (essay && essay.contains(sel.getRangeAt(0).commonAncestorContainer)) {
      document.getElementById('nc-quote').value = sel.toString().trim();
    }
  });

  /* -- writes ---------------------------------------------------------------------------- */
  function versionFor(el) {
    var detail = el.closest('.claim-detail');
    return detail ? detail.dataset.version : live().dataset.version;
  }
  function send(path, body, into) {
    if (busy) { return Promise.resolve(); }
    busy = true;
    var fromPanel = panel.contains(document.activeElement);
    return fetch(url(path), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Refmap-CSRF': csrf },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (data) { return { status: r.status, data: data }; });
    }).then(function (r) {
      busy = false;
      if (r.status === 200 && into) {
        into.innerHTML = r.data.html;
        say('Done.', false);
        return r;
      }
      if (r.status === 200) {
        say(r.data.message, false);
        dirty = false;
        return refresh(true).then(function () {
          if (fromPanel) { panel.focus(); }  // keyboard users stay where they were working
          return r;
        });
      }
      say(r.data.error || ('refused (' + r.status + ')'), true);
      if (into) { into.textContent = ''; }
      if (r.status === 409) { return refresh(true).then(function () { return r; }); }
      return r;
    }, function () { busy = false; say('The desk is not answering.', true); });
  }
  function target(el, selector) {
    if (!selector) { return null; }
    var holder = el.closest('li, form, .claim-detail') || document;
    return holder.querySelector(selector);
  }
  function postButton(button) {
    var body = { version: versionFor(button) };
    if (button.dataset.body) {
      var extra = JSON.parse(button.dataset.body);
      Object.keys(extra).forEach(function (k) { if (extra[k] !== null) { body[k] = extra[k]; } });
    }
    if (button.dataset.from) {
      body.text = document.querySelector(button.dataset.from).value;
    }
    if (button.dataset.review) {
      var note = button.closest('.claim-detail').querySelector('textarea[name="note"]');
      body.status = 'unverified';
      body.note = (note && note.value.trim()) || 'Quote no longer matches the essay; needs review.';
    }
    var into = target(button, button.dataset.into);
    if (into) { delete body.version; into.textContent = 'Checking\u2026'; }
    send(button.dataset.post, body, into);
  }
  document.addEventListener('submit', function (e) {
    var form = e.target.closest('form[data-post]');
    if (!form) { return; }
    e.preventDefault();
    var into = target(form, form.dataset.into);
    var body = into ? {} : { version: versionFor(form) };
    new FormData(form).forEach(function (value, key) { body[key] = String(value); });
    if (into) { into.textContent = 'Looking up\u2026'; }
    send(form.dataset.post, body, into).then(function (r) {
      if (r && r.status === 200 && form.id === 'new-claim') {
        form.reset();
        var id = (r.data.message.match(/^new claim (\S+)/) || [])[1];
        if (id) { open(id, false); }
      }
    });
  });

  /* -- live updates ---------------------------------------------------------------------- */
  function refresh(force) {
    return getText('/fragment/live').then(function (r) {
      var y = window.scrollY;
      var holder = document.createElement('div');
      holder.innerHTML = r.text;
      var fresh = holder.firstElementChild;
      if (!fresh) { return; }
      live().replaceWith(fresh);
      applyFilters();
      window.scrollTo(0, y);
      if (current && (force || !dirty)) { return open(current, false); }
      setActive(current);
    });
  }
  function poll() {
    getText('/api/version').then(function (r) {
      if (r.status !== 200) { return; }
      var v = JSON.parse(r.text);
      if (v.view !== live().dataset.view && !busy) { return refresh(false); }
    }).catch(function () {}).then(function () { setTimeout(poll, pollMs); });
  }
  applyFilters();
  setTimeout(poll, pollMs);
})();
