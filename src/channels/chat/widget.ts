/**
 * The embeddable chat box served at /chat/widget.js. A page adds
 * `<script src="https://spoc.example/chat/widget.js" data-name="…" data-email="…" defer></script>`
 * (name and email optional, e.g. filled by an intranet that knows the user). It lives in a shadow root so
 * the host page's styles do not reach it, keeps its session and unacknowledged messages in localStorage,
 * sends them again after a reconnect, and drops a reply it has already shown.
 */
export const chatWidgetScript = (opts: { maxTextChars: number }): string => `(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__spocChat) return;
  window.__spocChat = true;
  var base = new URL(script.src, location.href);
  var wsUrl = (base.protocol === 'https:' ? 'wss://' : 'ws://') + base.host + '/chat/ws';
  var zh = /^zh/i.test(script.getAttribute('data-lang') || document.documentElement.lang || navigator.language || '');
  var T = zh
    ? { open: 'IT 服务台在线咨询', title: 'IT 服务台', placeholder: '请描述您的问题…', send: '发送', ticket: '工单', offline: '正在重新连接…', desk: '服务台', failed: '未能发送：', maybe: '这些文章也许能解决您的问题：', solved: '已解决', goOn: '仍需帮助，提交工单', glad: '很高兴问题已解决。', fixed: '已解决', notFixed: '仍未解决', closed: '工单已关闭，谢谢！', reopened: '工单已重新打开，工程师会继续处理。', rated: '谢谢您的评价！', star: '星' }
    : { open: 'Chat with IT', title: 'IT Service Desk', placeholder: 'Describe your problem…', send: 'Send', ticket: 'Ticket', offline: 'Reconnecting…', desk: 'Service desk', failed: 'Not sent: ', maybe: 'These articles may solve it:', solved: 'This solved it', goOn: 'Still need help: open a ticket', glad: 'Glad that solved it.', fixed: 'Yes, it is fixed', notFixed: 'No, still broken', closed: 'Ticket closed. Thank you!', reopened: 'Ticket reopened; an engineer will follow up.', rated: 'Thank you for your rating!', star: 'stars' };
  var store = {
    get: function (k, d) { try { var v = localStorage.getItem('spoc-chat-' + k); return v ? JSON.parse(v) : d; } catch (e) { return d; } },
    set: function (k, v) { try { localStorage.setItem('spoc-chat-' + k, JSON.stringify(v)); } catch (e) {} }
  };
  function rid() {
    var a = new Uint8Array(12); crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  var host = document.createElement('div');
  host.setAttribute('data-spoc-chat', '');
  var root = host.attachShadow({ mode: 'open' });
  var css = ':host{all:initial}*{box-sizing:border-box;font:14px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif}' +
    '.fab{position:fixed;right:20px;bottom:20px;background:#1f6fb2;color:#fff;border:0;border-radius:999px;padding:12px 18px;box-shadow:0 6px 20px rgba(0,0,0,.2);cursor:pointer;z-index:2147483646}' +
    '.box{position:fixed;right:20px;bottom:20px;width:340px;max-width:calc(100vw - 40px);height:460px;max-height:calc(100vh - 40px);background:#fff;border-radius:12px;box-shadow:0 10px 32px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden;z-index:2147483647}' +
    '.head{background:#123a6b;color:#fff;padding:10px 14px;display:flex;justify-content:space-between;align-items:center;font-weight:600}' +
    '.head button{background:none;border:0;color:#fff;font-size:18px;cursor:pointer}' +
    '.log{flex:1;overflow-y:auto;padding:12px;background:#f4f6f9}' +
    '.m{max-width:85%;margin:6px 0;padding:8px 10px;border-radius:10px;white-space:pre-wrap;word-wrap:break-word}' +
    '.me{margin-left:auto;background:#1f6fb2;color:#fff}.desk{background:#fff;border:1px solid #dde3ea}' +
    '.kb{background:#fff;border:1px solid #dde3ea;border-radius:10px;padding:8px 10px;margin:6px 0}.kb a{color:#1f6fb2}.kb button{margin:4px 6px 0 0;border:1px solid #1f6fb2;background:#fff;color:#1f6fb2;border-radius:6px;cursor:pointer}' +
    '.sys{color:#52606d;font-size:12px;text-align:center;margin:6px 0}.pending{opacity:.6}' +
    'form{display:flex;gap:8px;padding:10px;border-top:1px solid #e4e9f0}' +
    'textarea{flex:1;resize:none;height:44px;border:1px solid #c9d2dd;border-radius:8px;padding:6px 8px}' +
    'form button{background:#1f6fb2;color:#fff;border:0;border-radius:8px;padding:0 14px;cursor:pointer}' +
    '[hidden]{display:none!important}';
  // A constructed stylesheet is CSSOM, which a host page's strict style-src policy does not block.
  if (root.adoptedStyleSheets && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    var sheet = new CSSStyleSheet(); sheet.replaceSync(css); root.adoptedStyleSheets = [sheet];
  } else {
    var style = document.createElement('style'); style.textContent = css; root.appendChild(style);
  }
  root.innerHTML += '<button class="fab" part="button"></button>' +
    '<div class="box" hidden><div class="head"><span class="title"></span><button type="button" aria-label="close">×</button></div>' +
    '<div class="log" role="log" aria-live="polite"></div><div class="sys state" hidden></div>' +
    '<form><textarea maxlength="${Math.trunc(opts.maxTextChars)}"></textarea><button type="submit"></button></form></div>';
  var fab = root.querySelector('.fab'), box = root.querySelector('.box'), log = root.querySelector('.log');
  var form = root.querySelector('form'), input = root.querySelector('textarea'), state = root.querySelector('.state');
  fab.textContent = T.open; root.querySelector('.title').textContent = T.title;
  input.placeholder = T.placeholder; form.querySelector('button').textContent = T.send; state.textContent = T.offline;
  // Lines added while the box was closed could not scroll it (a hidden log has no height): show the newest now.
  fab.addEventListener('click', function () { fab.hidden = true; box.hidden = false; log.scrollTop = log.scrollHeight; input.focus(); connect(); });
  root.querySelector('.head button').addEventListener('click', function () { box.hidden = true; fab.hidden = false; });

  var outbox = store.get('outbox', []);          // sent, not yet acknowledged: { id, text }
  var shown = store.get('shown', []);            // reply ids already shown, newest last
  var ws = null, ready = false, retry = 1000;
  function line(cls, text, id) {
    var el = document.createElement('div'); el.className = cls; el.textContent = text;
    if (id) el.setAttribute('data-id', id);
    log.appendChild(el); log.scrollTop = log.scrollHeight; return el;
  }
  store.get('history', []).forEach(function (h) { line(h.c, h.t); });
  outbox.forEach(function (m) { line('m me pending', m.text, m.id); });
  function remember(c, t) { var h = store.get('history', []); h.push({ c: c, t: t }); store.set('history', h.slice(-100)); }
  function send(frame) { if (ws && ready) ws.send(JSON.stringify(frame)); }
  function connect() {
    if (ws) return;
    ws = new WebSocket(wsUrl);
    ws.onopen = function () {
      retry = 1000;
      ws.send(JSON.stringify({ type: 'hello', sessionId: store.get('session', undefined), name: script.getAttribute('data-name') || undefined,
        email: script.getAttribute('data-email') || undefined, language: zh ? 'zh' : 'en', suggest: true }));
    };
    ws.onmessage = function (ev) {
      var f; try { f = JSON.parse(ev.data); } catch (e) { return; }
      if (f.type === 'welcome') {
        store.set('session', f.sessionId); ready = true; state.hidden = true;
        outbox.forEach(function (m) { send({ type: 'message', id: m.id, text: m.text }); });
      } else if (f.type === 'ack') {
        outbox = outbox.filter(function (m) {
          if (m.id !== f.id) return true;
          var el = log.querySelector('[data-id="' + m.id + '"]'); if (el) el.classList.remove('pending');
          remember('m me', m.text); return false;
        });
        store.set('outbox', outbox);
        var note = T.ticket + ' ' + f.ticket;
        if (store.get('ticket', '') !== f.ticket) { store.set('ticket', f.ticket); line('sys', note); remember('sys', note); }
      } else if (f.type === 'suggestions') {
        suggestions(f);
      } else if (f.type === 'deflected') {
        outbox = outbox.filter(function (m) { return m.id !== f.id; }); store.set('outbox', outbox);
        var sent = log.querySelector('[data-id="' + f.id + '"]'); if (sent) { sent.classList.remove('pending'); remember('m me', sent.textContent); }
        line('sys', T.glad); remember('sys', T.glad);
      } else if (f.type === 'reply') {
        if (shown.indexOf(f.id) < 0) {
          line('m desk', f.text); remember('m desk', f.text);
          if (f.ask) ask(f);
          shown.push(f.id); shown = shown.slice(-200); store.set('shown', shown);
        }
        send({ type: 'seen', seq: f.seq });
      } else if (f.type === 'answered') {
        var done = root.querySelector('.ask[data-ticket="' + f.ticket + '"]'); if (done) done.remove();
        var said = T[f.answer] || ''; line('sys', said); remember('sys', said);
      } else if (f.type === 'error') {
        if (f.id && f.code !== 'unavailable') {
          outbox = outbox.filter(function (m) { return m.id !== f.id; }); store.set('outbox', outbox);
          var el = log.querySelector('[data-id="' + f.id + '"]'); if (el) el.remove();
        }
        line('sys', T.failed + f.message);
      }
    };
    ws.onclose = function () {
      ws = null; ready = false; state.hidden = false;
      setTimeout(connect, retry); retry = Math.min(retry * 2, 30000);
    };
  }
  // Buttons under a resolution ("fixed" / "not fixed") or a survey (1–5 stars); the server's answer removes them.
  function ask(f) {
    var card = document.createElement('div'); card.className = 'kb ask'; card.setAttribute('data-ticket', f.ticket);
    function add(label, title, frame, cls) {
      var b = document.createElement('button'); b.type = 'button'; b.className = cls; b.textContent = label;
      if (title) b.setAttribute('aria-label', title);
      b.addEventListener('click', function () { send(frame); }); card.appendChild(b);
    }
    if (f.ask === 'confirm') {
      add(T.fixed, '', { type: 'confirm', ticket: f.ticket, fixed: true }, 'fixed');
      add(T.notFixed, '', { type: 'confirm', ticket: f.ticket, fixed: false }, 'not-fixed');
    } else {
      for (var n = 1; n <= 5; n++) add(new Array(n + 1).join('★'), n + ' ' + T.star, { type: 'rate', ticket: f.ticket, score: n }, 'star star-' + n);
    }
    log.appendChild(card); log.scrollTop = log.scrollHeight;
  }
  // Articles offered for a first message: one may solve it (no ticket), or the visitor goes on to open one.
  function suggestions(f) {
    var card = document.createElement('div'); card.className = 'kb';
    var head = document.createElement('div'); head.textContent = T.maybe; card.appendChild(head);
    function answer(frame) { send(frame); card.remove(); }
    f.articles.forEach(function (a) {
      var row = document.createElement('div');
      var link = document.createElement('a'); link.href = a.url; link.target = '_blank'; link.rel = 'noopener'; link.textContent = a.title;
      var ok = document.createElement('button'); ok.type = 'button'; ok.className = 'solved'; ok.textContent = T.solved;
      ok.addEventListener('click', function () { answer({ type: 'solved', id: f.id, articleId: a.id }); });
      row.appendChild(link); row.appendChild(document.createElement('br')); row.appendChild(ok); card.appendChild(row);
    });
    var more = document.createElement('button'); more.type = 'button'; more.className = 'go-on'; more.textContent = T.goOn;
    more.addEventListener('click', function () { answer({ type: 'continue', id: f.id }); });
    card.appendChild(more); log.appendChild(card); log.scrollTop = log.scrollHeight;
  }
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var text = input.value.trim(); if (!text) return;
    var m = { id: rid(), text: text }; outbox.push(m); store.set('outbox', outbox);
    line('m me pending', text, m.id); input.value = '';
    send({ type: 'message', id: m.id, text: text });
  });
  input.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter' && !ev.shiftKey) { ev.preventDefault(); form.requestSubmit(); }
  });
  document.body.appendChild(host);
  if (store.get('session', null)) connect();
})();
`;
