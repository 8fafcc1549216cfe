/**
 * The portal's stylesheet and script, inlined into the page (no external assets, so the page works on
 * an intranet without a CDN and a strict Content-Security-Policy can allow exactly these two by nonce).
 */

export const PORTAL_CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f2933;background:#f2f5f9}
header{background:linear-gradient(120deg,#123a6b,#1f6fb2);color:#fff;padding:28px 20px 64px}
.incident-banner{margin:0 0 16px;padding:14px 18px;border-radius:10px;background:#fff4e5;border:2px solid #c2410c;color:#7c2d12;position:relative}
.incident-banner h2{margin:0 0 4px;font-size:17px}
.incident-banner p{margin:4px 0}
body[data-lang=zh] [data-only=en],body[data-lang=en] [data-only=zh]{display:none}
.wrap{max-width:1040px;margin:0 auto}
.top{display:flex;justify-content:space-between;align-items:center;gap:12px;flex-wrap:wrap}
h1{margin:0;font-size:26px;font-weight:650;letter-spacing:.02em}
.tagline{margin:8px 0 0;opacity:.88}
.lang{display:flex;border:1px solid rgba(255,255,255,.5);border-radius:999px;overflow:hidden}
.lang button{background:none;border:0;color:#fff;padding:6px 14px;font:inherit;cursor:pointer}
.lang button[aria-pressed=true]{background:#fff;color:#123a6b;font-weight:600}
main{margin-top:-40px;padding:0 20px 40px}
.grid{display:grid;grid-template-columns:3fr 2fr;gap:20px;align-items:start}
@media (max-width:820px){.grid{grid-template-columns:1fr}}
.card{background:#fff;border-radius:12px;box-shadow:0 1px 2px rgba(16,24,40,.06),0 6px 20px rgba(16,24,40,.08);padding:24px}
h2{margin:0 0 16px;font-size:19px;color:#123a6b}
label{display:block;font-weight:600;margin:14px 0 6px;font-size:14px}
label .req{color:#c2410c;margin-left:2px}
input[type=text],input[type=email],textarea{width:100%;padding:9px 11px;border:1px solid #c9d2dd;border-radius:8px;font:inherit;background:#fbfcfe}
input:focus,textarea:focus{outline:2px solid #1f6fb2;outline-offset:0;border-color:#1f6fb2;background:#fff}
textarea{min-height:140px;resize:vertical}
.row{display:grid;grid-template-columns:1fr 1fr;gap:0 14px}
@media (max-width:520px){.row{grid-template-columns:1fr}}
.hint{color:#52606d;font-size:13px;margin:4px 0 0}
input[type=file]{font:inherit;font-size:14px}
.actions{margin-top:20px;display:flex;gap:12px;align-items:center}
button.primary{background:#1f6fb2;color:#fff;border:0;border-radius:8px;padding:10px 22px;font:inherit;font-weight:600;cursor:pointer}
button.primary:hover{background:#185a91}
button.primary:disabled{background:#8aa9c6;cursor:progress}
button.secondary{background:#fff;color:#1f6fb2;border:1px solid #1f6fb2;border-radius:8px;padding:9px 21px;font:inherit;font-weight:600;cursor:pointer}
button.secondary:hover{background:#eef5fb}
.msg{margin-top:14px;padding:10px 12px;border-radius:8px;font-size:14px}
.msg.error{background:#fdecea;color:#8a1c12}.msg.ok{background:#e6f4ea;color:#1e5631}
.result{border:1px solid #b7e0c3;background:#f0faf3;border-radius:10px;padding:18px}
.result h3{margin:0 0 10px;color:#17693a}
dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 16px;margin:10px 0}
dt{color:#52606d}
dd{margin:0;font-weight:600}
.number{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:18px}
.badge{display:inline-block;padding:1px 10px;border-radius:999px;background:#e3edf7;color:#123a6b;font-size:13px}
ol.history{list-style:none;margin:12px 0 0;padding:0;border-left:2px solid #d5dee8}
ol.history li{margin:0 0 12px;padding-left:14px;position:relative}
ol.history li:before{content:"";position:absolute;left:-6px;top:7px;width:10px;height:10px;border-radius:50%;background:#1f6fb2}
ol.history time{display:block;color:#52606d;font-size:12px}
ol.history .text{white-space:pre-wrap;background:#f6f8fb;border-radius:8px;padding:8px 10px;margin-top:4px}
[hidden]{display:none!important}
.status-result{margin-top:22px;padding-top:18px;border-top:1px solid #e4e9f0}
.status-result h3{margin:18px 0 0;font-size:16px;color:#123a6b}
.ask .actions button{margin:0 8px 8px 0;padding-left:14px;padding-right:14px;white-space:nowrap}.ask .score{font-size:18px;letter-spacing:1px;color:#b7791f}
.kb-suggest{margin-top:10px;border:1px solid #cfe0f1;background:#f4f9fe;border-radius:10px;padding:10px 14px}
.kb-title{margin:0 0 6px;font-size:14px;color:#123a6b;font-weight:600}
.kb-suggest ul{list-style:none;margin:0;padding:0}
.kb-suggest li{display:flex;justify-content:space-between;align-items:center;gap:10px;padding:6px 0;border-top:1px solid #e1ebf5}
.kb-suggest li:first-child{border-top:0}
.kb-suggest a{color:#1f6fb2;font-weight:600}
.kb-suggest small{display:block;color:#52606d}
.kb-suggest button{background:#fff;border:1px solid #1f6fb2;color:#1f6fb2;border-radius:8px;padding:5px 10px;font:inherit;font-size:13px;cursor:pointer;white-space:nowrap}
footer{text-align:center;color:#7b8794;font-size:12px;padding:0 0 24px}
`;

/** Client behaviour: language switch, submit and status look-up by fetch. Every value is set with textContent. */
export const PORTAL_SCRIPT = `
(function () {
  var texts = JSON.parse(document.getElementById('spoc-texts').textContent);
  var limits = JSON.parse(document.getElementById('spoc-limits').textContent);
  var lang = document.body.getAttribute('data-lang');
  function t(key) { return (texts[lang] && texts[lang][key]) || key; }
  function $(id) { return document.getElementById(id); }
  function fmtSize(n) { return n >= 1048576 ? Math.round(n / 1048576) + ' MB' : Math.round(n / 1024) + ' KB'; }
  function fmtTime(iso) {
    if (!iso) return '';
    try { return new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }); }
    catch (e) { return iso; }
  }
  function applyLang(next) {
    lang = next;
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.body.setAttribute('data-lang', lang);
    document.querySelectorAll('[data-t]').forEach(function (el) {
      el.textContent = t(el.getAttribute('data-t'))
        .replace('{files}', String(limits.maxFiles)).replace('{size}', fmtSize(limits.maxFileBytes));
    });
    document.querySelectorAll('.lang button').forEach(function (b) {
      b.setAttribute('aria-pressed', String(b.getAttribute('data-lang') === lang));
    });
    document.title = t('title');
    $('req-language').value = lang;
    try { localStorage.setItem('spoc-lang', lang); } catch (e) {}
    document.querySelectorAll('[data-time]').forEach(function (el) { el.textContent = fmtTime(el.getAttribute('data-time')); });
    document.querySelectorAll('[data-tkey]').forEach(function (el) { el.textContent = t(el.getAttribute('data-tkey')); });
  }
  document.querySelectorAll('.lang button').forEach(function (b) {
    b.addEventListener('click', function () { applyLang(b.getAttribute('data-lang')); });
  });
  function showError(el, text) { el.textContent = text; el.hidden = false; }
  function errorText(res, body) {
    if (res.status === 429) return t('tooMany');
    return t('failed') + ((body && body.error && body.error.message) || res.status);
  }
  function field(dl, key, value, cls, timeIso) {
    var dt = document.createElement('dt'); dt.setAttribute('data-t', key); dt.textContent = t(key);
    var dd = document.createElement('dd'); if (cls) dd.className = cls;
    if (timeIso) { dd.setAttribute('data-time', timeIso); dd.textContent = fmtTime(timeIso); }
    else if (value && value.tkey) { dd.setAttribute('data-tkey', value.tkey); dd.textContent = t(value.tkey); }
    else dd.textContent = value;
    dl.appendChild(dt); dl.appendChild(dd);
  }
  function typeValue(type) { return texts.en['type.' + type] ? { tkey: 'type.' + type } : type; }

  var form = $('request-form');
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var err = $('request-error'); err.hidden = true;
    var files = $('req-files') ? $('req-files').files : [];
    if (files.length > limits.maxFiles) return showError(err, t('tooManyFiles'));
    for (var i = 0; i < files.length; i++) {
      if (files[i].size > limits.maxFileBytes) return showError(err, t('fileTooLarge') + files[i].name);
    }
    var button = $('req-submit'); button.disabled = true; button.textContent = t('submitting');
    fetch(form.action, { method: 'POST', body: new FormData(form), headers: { accept: 'application/json' } })
      .then(function (res) { return res.json().catch(function () { return null; }).then(function (body) { return { res: res, body: body }; }); })
      .then(function (r) {
        if (!r.res.ok) throw new Error(errorText(r.res, r.body));
        var dl = $('result-fields'); dl.textContent = '';
        field(dl, 'ticketNumber', r.body.number, 'number');
        field(dl, 'type', typeValue(r.body.type));
        field(dl, 'priority', r.body.priority);
        field(dl, 'respondBy', '', '', r.body.respondBy);
        form.hidden = true; $('request-result').hidden = false;
        $('status-number').value = r.body.number; $('status-email').value = $('req-email').value;
      })
      .catch(function (e) { showError(err, e.message); })
      .then(function () { button.disabled = false; button.textContent = t('submit'); });
  });
  $('another').addEventListener('click', function () { location.href = location.pathname + '?lang=' + lang; });

  var statusForm = $('status-form');
  statusForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    $('status-answered').hidden = true;
    lookUp();
  });
  function lookUp(then) {
    var err = $('status-error'); err.hidden = true; $('status-result').hidden = true;
    var q = new URLSearchParams({ number: $('status-number').value.trim(), email: $('status-email').value.trim() });
    fetch('/portal/status?' + q.toString(), { headers: { accept: 'application/json' } })
      .then(function (res) { return res.json().catch(function () { return null; }).then(function (body) { return { res: res, body: body }; }); })
      .then(function (r) {
        if (r.res.status === 404) throw new Error(t('notFound'));
        if (!r.res.ok) throw new Error(errorText(r.res, r.body));
        var s = r.body, dl = $('status-fields'); dl.textContent = '';
        field(dl, 'ticketNumber', s.number, 'number');
        field(dl, 'subject', s.subject);
        field(dl, 'status', { tkey: 'status.' + s.status });
        field(dl, 'type', typeValue(s.type));
        field(dl, 'priority', s.priority);
        field(dl, 'team', s.teamName || s.team);
        field(dl, 'respondBy', '', '', s.respondBy);
        field(dl, 'resolveBy', '', '', s.resolveBy);
        var list = $('status-history'); list.textContent = '';
        s.history.slice().reverse().forEach(function (h) {
          var li = document.createElement('li'), time = document.createElement('time'), what = document.createElement('div');
          time.setAttribute('data-time', h.at); time.textContent = fmtTime(h.at); li.appendChild(time);
          if (h.kind === 'created') { what.setAttribute('data-tkey', 'event.created'); what.textContent = t('event.created'); li.appendChild(what); }
          if (h.kind === 'status') {
            var label = document.createElement('span'); label.setAttribute('data-tkey', 'event.status'); label.textContent = t('event.status');
            var badge = document.createElement('span'); badge.className = 'badge'; badge.setAttribute('data-tkey', 'status.' + h.status); badge.textContent = t('status.' + h.status);
            what.appendChild(label); what.appendChild(document.createTextNode(' ')); what.appendChild(badge); li.appendChild(what);
          }
          if (h.kind === 'reply') {
            what.setAttribute('data-tkey', 'event.reply'); what.textContent = t('event.reply'); li.appendChild(what);
            var text = document.createElement('div'); text.className = 'text'; text.textContent = h.text; li.appendChild(text);
          }
          list.appendChild(li);
        });
        $('status-empty').hidden = s.history.length > 0;
        showAsk(s.ask);
        $('status-result').hidden = false;
        if (then) then();
      })
      .catch(function (e) { showError(err, e.message); });
  }

  // The requester's answer on the status page: "fixed" / "not fixed" after a resolution, a score after the close.
  function showAsk(ask) {
    $('status-ask').hidden = !ask; $('ask-confirm').hidden = ask !== 'confirm'; $('ask-rate').hidden = ask !== 'rate';
  }
  function answer(extra) {
    var err = $('status-error'); err.hidden = true;
    var body = { number: $('status-number').value.trim(), email: $('status-email').value.trim() };
    Object.keys(extra).forEach(function (k) { body[k] = extra[k]; });
    fetch('/portal/answer', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) })
      .then(function (res) { return res.json().catch(function () { return null; }).then(function (b) { return { res: res, body: b }; }); })
      .then(function (r) {
        if (!r.res.ok) throw new Error(errorText(r.res, r.body));
        // The page shows the ticket as it is now (closed, reopened), then what the answer did.
        lookUp();
        var done = $('status-answered'); done.setAttribute('data-tkey', 'answer.' + r.body.answer); done.textContent = t('answer.' + r.body.answer); done.hidden = false;
      })
      .catch(function (e) { showError(err, e.message); });
  }
  $('answer-fixed').addEventListener('click', function () { answer({ fixed: true }); });
  $('answer-not-fixed').addEventListener('click', function () { answer({ fixed: false }); });
  document.querySelectorAll('#ask-rate .score').forEach(function (b) {
    b.addEventListener('click', function () {
      var comment = $('rate-comment').value.trim();
      answer(comment ? { score: Number(b.getAttribute('data-score')), comment: comment } : { score: Number(b.getAttribute('data-score')) });
    });
  });

  var stored = null;
  try { stored = localStorage.getItem('spoc-lang'); } catch (e) {}
  var explicit = new URLSearchParams(location.search).get('lang');
  applyLang(explicit || (stored === 'zh' || stored === 'en' ? stored : lang));
  if ($('status-number').value) $('status-email').focus();
})();
`;

/**
 * Deflection (knowledge base): while the subject is typed, published articles that match are listed from
 * GET /kb/suggest; "This solved it" counts a deflection (POST /kb/deflections) and opens no ticket.
 */
export const KB_SUGGEST_SCRIPT = `
(function () {
  var texts = JSON.parse(document.getElementById('spoc-texts').textContent);
  function lang() { return document.body.getAttribute('data-lang'); }
  function t(key) { return (texts[lang()] && texts[lang()][key]) || key; }
  var box = document.getElementById('kb-suggest'), list = document.getElementById('kb-list');
  var subject = document.getElementById('req-subject'), timer = null, seq = 0;
  function show(results) {
    list.textContent = '';
    results.forEach(function (r) {
      var li = document.createElement('li'), info = document.createElement('div'), a = document.createElement('a'), s = document.createElement('small');
      a.href = r.url; a.target = '_blank'; a.rel = 'noopener'; a.textContent = r.title; s.textContent = r.summary;
      info.appendChild(a); info.appendChild(s);
      var b = document.createElement('button'); b.type = 'button'; b.className = 'kb-solved'; b.setAttribute('data-tkey', 'kbSolved'); b.textContent = t('kbSolved');
      b.addEventListener('click', function () {
        b.disabled = true;
        fetch('/kb/deflections', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ articleId: r.id, channel: 'web', language: lang() }) })
          .then(function (res) {
            if (!res.ok) throw new Error(String(res.status));
            document.getElementById('request-form').hidden = true;
            document.getElementById('kb-thanks').hidden = false;
          })
          .catch(function () { b.disabled = false; });
      });
      li.appendChild(info); li.appendChild(b); list.appendChild(li);
    });
    box.hidden = results.length === 0;
  }
  subject.addEventListener('input', function () {
    clearTimeout(timer);
    var q = subject.value.trim();
    if (q.length < 2) { show([]); return; }
    timer = setTimeout(function () {
      var mine = ++seq;
      fetch('/kb/suggest?' + new URLSearchParams({ q: q, lang: lang(), limit: '3' }).toString(), { headers: { accept: 'application/json' } })
        .then(function (res) { return res.ok ? res.json() : { results: [] }; })
        .then(function (body) { if (mine === seq) show(body.results || []); })
        .catch(function () {});
    }, 250);
  });
})();
`;
