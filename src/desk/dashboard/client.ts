/**
 * The dashboard's page script, served as a file (/desk/assets/dashboard-<hash>.js) so the page's CSP
 * allows scripts from 'self' only. It reads its settings from the page's JSON block, fetches the overview
 * for the form's range and team, draws the charts with ECharts (loaded before it), and fetches again every
 * `refreshSeconds` while the tab is visible. Every bar and number opens the queue at the figure's link.
 * Tooltips are drawn on the canvas (richText): HTML tooltips would carry style attributes the CSP refuses.
 */
export const dashboardScript = `(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('dashboard-config').textContent);
  var T = cfg.text, K = cfg.keys, targets = cfg.targets;
  var charts = {};
  var status = document.getElementById('updated');
  var name = function (k) { return Object.prototype.hasOwnProperty.call(K, k) ? K[k] : k; };
  var pct = function (v) { return v === null || v === undefined ? '–' : v + '%'; };
  var TARGET = '#c0392b';

  function chart(id) {
    if (!charts[id]) {
      var el = document.getElementById('chart-' + id);
      var c = echarts.init(el);
      c.on('click', function (p) { if (p.data && p.data.link) location.assign(p.data.link); });
      if (window.ResizeObserver) new ResizeObserver(function () { c.resize(); }).observe(el);
      charts[id] = c;
    }
    return charts[id];
  }
  function draw(id, option) {
    option.animation = false;
    option.tooltip = option.tooltip || { trigger: 'axis', axisPointer: { type: 'shadow' }, renderMode: 'richText' };
    option.grid = Object.assign({ left: 8, right: 24, top: option.legend ? 32 : 16, bottom: 8, containLabel: true }, option.grid || {});
    chart(id).setOption(option, true);
    document.getElementById('chart-' + id).setAttribute('data-rendered', 'true');
  }
  var item = function (value, link) { return { value: value, link: link }; };
  /** The target as a dashed vertical line, named at its top (the category axis runs downwards). */
  function targetLine(value, label) {
    return { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: TARGET, width: 2 },
      label: { formatter: T.target + ' ' + label, color: TARGET, position: 'start' }, data: [{ xAxis: value }] };
  }
  /** Columns of counts, one series per entry of series. */
  function columns(id, keys, series, rotate) {
    draw(id, {
      legend: series.length > 1 ? { top: 0 } : undefined,
      xAxis: { type: 'category', data: keys.map(name), axisLabel: { rotate: rotate || 0, hideOverlap: true } },
      yAxis: { type: 'value', minInterval: 1 },
      series: series.map(function (s) { return { type: 'bar', name: s.name, data: s.data }; })
    });
  }
  /** One horizontal bar per figure against the target line (a bullet chart). */
  function bullet(id, rows, target, unit, max) {
    var percent = unit === '%';
    var show = function (v) { return v === null || v === undefined ? '–' : percent ? v + '%' : v + ' ' + unit; };
    draw(id, {
      grid: { right: 48, top: 22 },
      xAxis: { type: 'value', max: max, name: percent ? '' : unit, nameGap: 6, interval: percent ? 50 : undefined, axisLabel: { formatter: percent ? '{value}%' : '{value}' } },
      yAxis: { type: 'category', inverse: true, data: rows.map(function (r) { return r.label; }) },
      series: [{ type: 'bar', barMaxWidth: 28, data: rows.map(function (r) { return item(r.value, r.link); }),
        label: { show: true, position: 'right', formatter: function (p) { return show(p.value); } },
        markLine: targetLine(target, show(target)) }]
    });
  }
  var counts = function (rows) { return rows.map(function (r) { return item(r.tickets, r.link); }); };

  function kpi(id, value, link, ok) {
    var a = document.getElementById('kpi-' + id);
    a.querySelector('strong').textContent = value;
    if (link) a.setAttribute('href', link); else a.removeAttribute('href');
    a.classList.toggle('miss', ok === false);
    a.classList.toggle('meet', ok === true);
  }
  var atLeast = function (v, t) { return v === null ? undefined : v >= t; };

  function list(id, rows, cells) {
    var body = document.querySelector('#list-' + id + ' tbody');
    var heads = Array.prototype.map.call(document.querySelectorAll('#list-' + id + ' th'), function (th) { return th.textContent; });
    body.textContent = '';
    rows.forEach(function (r) {
      var tr = document.createElement('tr');
      cells(r).forEach(function (c, i) {
        var td = document.createElement('td');
        if (i > 0) td.setAttribute('data-label', heads[i]);
        if (i === 0) { var a = document.createElement('a'); a.href = r.link; a.textContent = c; td.appendChild(a); } else td.textContent = c;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    if (!rows.length) { var tr = document.createElement('tr'), td = document.createElement('td'); td.colSpan = 9; td.textContent = T.none; tr.appendChild(td); body.appendChild(tr); }
  }

  function render(o) {
    var all = '/desk?' + new URLSearchParams(Object.assign({ from: o.range.from, to: o.range.to }, o.filter)).toString();
    var sla = o.slaAttainment, fcr = o.firstContactResolution, sat = o.satisfaction, phone = o.phone;
    kpi('tickets', o.volume.tickets, all);
    kpi('contacts', o.volume.contacts, all);
    kpi('respond', sla.respond.meanMinutes === null ? '–' : sla.respond.meanMinutes + ' ' + T.minutes, sla.respond.links.breached,
      sla.respond.meanMinutes === null ? undefined : sla.respond.meanMinutes <= targets.respondMinutes);
    kpi('respond-sla', pct(sla.respond.attainment), sla.respond.links.breached, atLeast(sla.respond.attainment, targets.slaAttainmentPercent));
    kpi('resolve-sla', pct(sla.resolve.attainment), sla.resolve.links.breached, atLeast(sla.resolve.attainment, targets.slaAttainmentPercent));
    kpi('fcr', pct(fcr.percent), fcr.links.firstContact, atLeast(fcr.percent, targets.firstContactPercent));
    kpi('satisfied', pct(sat.satisfiedPercent), sat.link, atLeast(sat.satisfiedPercent, targets.satisfactionPercent));
    kpi('answer', pct(phone.answerRate), phone.ticketsLink, atLeast(phone.answerRate, targets.phoneAnswerRatePercent));
    kpi('backlog', o.backlog.open, o.backlog.link);
    kpi('breaches', sla.breachCount, sla.breachesLink, sla.breachCount === 0);
    kpi('complaints', o.complaints.count, o.complaints.link);

    columns('volume-day', o.volume.byDay.map(function (d) { return d.key.slice(5); }), [{ name: T.tickets, data: counts(o.volume.byDay) }], 0);
    columns('volume-channel', o.volumeByChannel.map(function (c) { return c.key; }), [
      { name: T.tickets, data: counts(o.volumeByChannel) },
      { name: T.contacts, data: o.volumeByChannel.map(function (c) { return item(c.contacts, c.link); }) }
    ]);
    columns('volume-team', o.volume.byTeam.map(function (b) { return b.key; }), [{ name: T.tickets, data: counts(o.volume.byTeam) }], 30);
    var attain = function (label, c) { return { label: label + ' ' + c.met + '/' + (c.met + c.breached), value: c.attainment, link: c.links.breached }; };
    bullet('sla', [attain(T.respond, sla.respond), attain(T.resolve, sla.resolve)], targets.slaAttainmentPercent, '%', 100);
    bullet('respond-time', [
      { label: T.mean, value: sla.respond.meanMinutes, link: sla.respond.links.breached },
      { label: T.median, value: sla.respond.medianMinutes, link: sla.respond.links.breached }
    ], targets.respondMinutes, T.minutes);
    bullet('first-contact', [{ label: fcr.firstContact + '/' + fcr.resolved, value: fcr.percent, link: fcr.links.firstContact }], targets.firstContactPercent, '%', 100);
    bullet('satisfaction', [{ label: sat.satisfied + '/' + sat.rated, value: sat.satisfiedPercent, link: sat.link }], targets.satisfactionPercent, '%', 100);
    var answered = phone.answeredByIvr + phone.answeredByAgent;
    bullet('phone', [{ label: answered + '/' + (answered + phone.abandoned), value: phone.answerRate, link: phone.ticketsLink }], targets.phoneAnswerRatePercent, '%', 100);
    columns('scores', sat.distribution.map(function (d) { return d.key; }), [{ name: T.tickets, data: counts(sat.distribution) }]);
    columns('reassignments', o.reassignments.distribution.map(function (d) { return d.key; }), [{ name: T.tickets, data: counts(o.reassignments.distribution) }]);
    columns('backlog-age', o.backlogByAge.map(function (d) { return d.key; }), [{ name: T.tickets, data: counts(o.backlogByAge) }]);
    columns('backlog-risk', o.backlogByRisk.map(function (d) { return d.key; }), [{ name: T.tickets, data: counts(o.backlogByRisk) }]);

    list('breaches', sla.breaches, function (b) { return [b.number, T[b.clock], name(b.team), b.overMinutes]; });
    list('bounced', o.reassignments.bounced, function (b) { return [b.number, b.subject, b.reassignments]; });
    list('low-scores', sat.lowScores, function (r) { return [r.number, r.score, r.comment || '']; });
    list('complaints', o.complaints.complaints, function (c) { return [c.number, c.subject, c.status]; });

    status.textContent = cfg.scope + ' · ' + T.updated + ' ' + new Date(o.generatedAt).toLocaleString(cfg.lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: cfg.timezone, dateStyle: 'medium', timeStyle: 'short' });
    status.removeAttribute('role');
    document.body.setAttribute('data-state', 'ready');
  }

  function load() {
    return fetch(cfg.dataUrl, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (res) {
        if (!res.ok) return res.json().then(function (e) { throw new Error((e.error && e.error.message) || res.status); });
        return res.json();
      })
      .then(render)
      .catch(function (err) { status.setAttribute('role', 'alert'); status.textContent = T.refreshFailed + err.message; });
  }
  var resizeAll = function () { Object.keys(charts).forEach(function (id) { charts[id].resize(); }); };
  window.addEventListener('beforeprint', resizeAll);
  window.addEventListener('afterprint', resizeAll);
  setInterval(function () { if (!document.hidden) load(); }, cfg.refreshSeconds * 1000);
  load();
})();
`;
