/**
 * The only script of the web UI, served as /static/app.js (the CSP allows no
 * inline script). Every page works without it; it adds two things:
 * - citations on touch screens: the first tap reveals the source sentence,
 *   the second follows the link to it;
 * - the Add page's forms post to the JSON API with upload progress and show
 *   the result or the error in place, built with textContent only.
 */
export const CLIENT_JS = String.raw`(() => {
  'use strict';
  const touch = window.matchMedia('(hover: none)');
  document.addEventListener('click', (event) => {
    const cite = event.target instanceof Element ? event.target.closest('a.cite') : null;
    if (!cite || !touch.matches || cite.classList.contains('open')) return;
    event.preventDefault();
    for (const other of document.querySelectorAll('a.cite.open')) other.classList.remove('open');
    cite.classList.add('open');
  });

  const el = (tag, text, attrs) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  };
  const plural = (n, word) => n + ' ' + word + (n === 1 ? '' : 's');

  function showResult(status, r) {
    status.replaceChildren();
    status.className = 'status ok';
    status.append(el('p', 'Added ' + plural(r.ingested, 'article') + ' (' + plural(r.duplicates, 'duplicate') + ' skipped, ' + r.failed + ' failed).'));
    const list = el('ul');
    for (const d of r.documents) {
      const item = el('li');
      if (d.article) item.append(el('a', d.input, { href: '/articles/' + encodeURIComponent(d.article) }));
      else item.append(document.createTextNode(d.input));
      item.append(document.createTextNode(' — ' + d.status));
      if (d.story) { item.append(document.createTextNode(' · story ')); item.append(el('a', d.story, { href: '/stories/' + encodeURIComponent(d.story) })); }
      list.append(item);
    }
    status.append(list);
    showMessages(status, r.messages);
  }

  function showError(status, body, code) {
    status.replaceChildren();
    status.className = 'status error';
    if (body && body.code) {
      status.append(el('p', 'Error ' + body.status + ' ' + body.code + ': ' + body.message));
      showMessages(status, body.messages);
    } else {
      status.append(el('p', 'The server answered ' + code + ' without an explanation; try again, and report it if it persists.'));
    }
  }

  function showMessages(status, messages) {
    if (!messages || messages.length === 0) return;
    const list = el('ul');
    for (const m of messages) list.append(el('li', m.input + ': ' + m.severity + ' ' + m.code + ': ' + m.reason));
    status.append(list);
  }

  for (const form of document.querySelectorAll('form[data-api]')) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const status = document.getElementById('status');
      const bar = document.getElementById('progress');
      const button = form.querySelector('button[type=submit]');
      const data = new FormData(form);
      const xhr = new XMLHttpRequest();
      xhr.open('POST', form.dataset.api);
      xhr.setRequestHeader('Accept', 'application/json');
      const token = data.get('token');
      if (token) xhr.setRequestHeader('Authorization', 'Bearer ' + token);
      let body = data;
      if (form.enctype !== 'multipart/form-data') {
        const fields = {};
        for (const [k, v] of data) if (typeof v === 'string' && v.trim() !== '' && k !== 'token') fields[k] = v;
        body = JSON.stringify(fields);
        xhr.setRequestHeader('Content-Type', 'application/json');
      }
      const say = (text) => { status.className = 'status'; status.textContent = text; };
      bar.hidden = false;
      bar.removeAttribute('value');
      button.disabled = true;
      say('Sending…');
      xhr.upload.addEventListener('progress', (e) => {
        if (!e.lengthComputable) return;
        bar.max = e.total;
        bar.value = e.loaded;
        say('Uploading… ' + Math.round((100 * e.loaded) / e.total) + '%');
      });
      xhr.upload.addEventListener('load', () => { bar.removeAttribute('value'); say('Reading, analysing and grouping into stories…'); });
      const done = () => { bar.hidden = true; button.disabled = false; status.focus(); };
      xhr.addEventListener('load', () => {
        done();
        let parsed = null;
        try { parsed = JSON.parse(xhr.responseText); } catch { parsed = null; }
        if (xhr.status === 200 && parsed) showResult(status, parsed);
        else showError(status, parsed, xhr.status);
      });
      xhr.addEventListener('error', () => { done(); showError(status, null, 'nothing (the connection failed)'); });
      xhr.send(body);
    });
  }
})();
`;
