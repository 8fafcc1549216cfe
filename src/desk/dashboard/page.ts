import { escapeHtml as h } from '../../shared/html.js';
import type { ReportTargets } from '../../reports/config.js';
import type { Lang } from '../pages.js';
import type { DashboardLabels } from './labels.js';

/** The charts, in page order: `short` ones are one or two bars against a target, `wide` ones span the row. */
const CHARTS: ReadonlyArray<{ id: string; title: keyof DashboardLabels; size?: 'short' | 'wide' }> = [
  { id: 'sla', title: 'sla', size: 'short' },
  { id: 'respond-time', title: 'respondTime', size: 'short' },
  { id: 'first-contact', title: 'firstContact', size: 'short' },
  { id: 'satisfaction', title: 'satisfaction', size: 'short' },
  { id: 'phone', title: 'phone', size: 'short' },
  { id: 'volume-day', title: 'volumeDay', size: 'wide' },
  { id: 'volume-channel', title: 'volumeChannel' },
  { id: 'volume-team', title: 'volumeTeam' },
  { id: 'backlog-age', title: 'backlogAge' },
  { id: 'backlog-risk', title: 'backlogRisk' },
  { id: 'reassignments', title: 'reassignments' },
  { id: 'scores', title: 'scores' },
];
export const CHART_IDS = CHARTS.map((c) => c.id);

/** The number tiles: label, and the target it is held to (shown beneath). */
const KPIS = (t: DashboardLabels, g: ReportTargets): Array<[string, keyof DashboardLabels, string?]> => [
  ['tickets', 'kpiTickets'],
  ['contacts', 'kpiContacts'],
  ['respond', 'kpiRespond', `≤ ${g.respondMinutes} ${t.minutes}`],
  ['respond-sla', 'kpiRespondSla', `≥ ${g.slaAttainmentPercent}%`],
  ['resolve-sla', 'kpiResolveSla', `≥ ${g.slaAttainmentPercent}%`],
  ['fcr', 'kpiFcr', `≥ ${g.firstContactPercent}%`],
  ['satisfied', 'kpiSatisfied', `≥ ${g.satisfactionPercent}%`],
  ['answer', 'kpiAnswer', `≥ ${g.phoneAnswerRatePercent}%`],
  ['backlog', 'kpiBacklog'],
  ['breaches', 'kpiBreaches'],
  ['complaints', 'kpiComplaints'],
];

const LISTS = (t: DashboardLabels): Array<[string, string, string[]]> => [
  ['breaches', t.breaches, [t.number, t.clock, t.team, t.overMinutes]],
  ['bounced', t.bounced, [t.number, t.subject, t.times]],
  ['low-scores', t.lowScores, [t.number, t.score, t.comment]],
  ['complaints', t.complaints, [t.number, t.subject, t.status]],
];

export interface DashboardPage {
  lang: Lang;
  text: DashboardLabels;
  targets: ReportTargets;
  /** The form's values: dates in the desk's zone, `to` included. */
  form: { from: string; to: string; team: string };
  teams: Array<{ id: string; label: string }>;
  /** The other language's address of this page. */
  otherLang: { href: string; label: string };
  assets: { echarts: string; script: string; css: string };
  /** What the page script reads (dashboard.ts `dashboardScript`). */
  config: Record<string, unknown>;
}

/** JSON inside a <script type="application/json"> block: `<` escaped, so no text in it can close the block. */
const jsonBlock = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

export function dashboardBody(p: DashboardPage): string {
  const t = p.text;
  const teams = p.teams.map((team) => `<option value="${h(team.id)}"${team.id === p.form.team ? ' selected' : ''}>${h(team.label)}</option>`).join('');
  const kpis = KPIS(t, p.targets)
    .map(([id, label, target]) => `<a class="kpi" id="kpi-${id}"><span>${h(t[label])}</span><strong>–</strong>${target ? `<small>${h(t.target)} ${h(target)}</small>` : ''}</a>`)
    .join('');
  const card = (c: (typeof CHARTS)[number]) =>
    `<figure class="card${c.size ? ` ${c.size}` : ''}"><figcaption id="cap-${c.id}">${h(t[c.title])}</figcaption><div class="chart" id="chart-${c.id}" role="img" aria-labelledby="cap-${c.id}"></div></figure>`;
  const lists = LISTS(t)
    .map(([id, title, cols]) => `<section class="card" id="list-${id}"><h2>${h(title)}</h2><table><thead><tr>${cols.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead><tbody></tbody></table></section>`)
    .join('');
  return `<link rel="stylesheet" href="${h(p.assets.css)}">
<div class="dash-head"><h1>${h(t.title)}</h1><a class="no-print" href="${h(p.otherLang.href)}">${h(p.otherLang.label)}</a></div>
<form class="filters" method="get" action="/desk/dashboard">
<input type="hidden" name="lang" value="${p.lang}">
<label>${h(t.from)}<input type="date" name="from" value="${h(p.form.from)}" required></label>
<label>${h(t.to)}<input type="date" name="to" value="${h(p.form.to)}" required></label>
<label>${h(t.team)}<select name="team"><option value="">${h(t.allTeams)}</option>${teams}</select></label>
<button>${h(t.apply)}</button></form>
<p id="updated" class="updated" role="status" aria-live="polite"></p>
<section class="kpis">${kpis}</section>
<section class="targets">${CHARTS.filter((c) => c.size === 'short').map(card).join('')}</section>
<section class="charts">${CHARTS.filter((c) => c.size !== 'short').map(card).join('')}</section>
<section class="lists">${lists}</section>
<script type="application/json" id="dashboard-config">${jsonBlock(p.config)}</script>
<script src="${h(p.assets.echarts)}" defer></script><script src="${h(p.assets.script)}" defer></script>`;
}

/** Laptop: a grid of cards; phone (< 40rem): one column; print: no controls, two charts a row, nothing split across pages. */
export const DASHBOARD_CSS = `main{max-width:96rem}
.dash-head{display:flex;justify-content:space-between;align-items:baseline;gap:1rem}.dash-head h1{margin:.2rem 0 .5rem;font-size:1.5rem}
.filters{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:flex-end}.filters label{display:flex;flex-direction:column;font-size:.85rem;color:#444}
.updated{color:#555;font-size:.85rem;min-height:1.3em;margin:.3rem 0}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.6rem;margin:.6rem 0 1rem}
.kpi{display:block;padding:.5rem .7rem;border:1px solid #d5d9e0;border-left:6px solid #9aa5b4;border-radius:6px;text-decoration:none;color:inherit;background:#fafbfc}
.kpi span{display:block;font-size:.85rem;color:#444}.kpi strong{display:block;font-size:1.6rem;line-height:1.3}.kpi small{color:#555}
a.kpi[href]:hover{background:#eef3fa}.kpi.meet{border-left-color:#2e8b57}.kpi.miss{border-left-color:#c0392b}
.charts,.lists,.targets{display:grid;grid-template-columns:repeat(auto-fill,minmax(24rem,1fr));gap:1rem}.lists,.charts{margin-top:1rem}
.targets{grid-template-columns:repeat(auto-fit,minmax(13rem,1fr))}
.card{margin:0;border:1px solid #d5d9e0;border-radius:6px;padding:.6rem .8rem;break-inside:avoid;min-width:0}.card.wide{grid-column:1/-1}
.card figcaption,.card h2{font-weight:600;font-size:1rem;margin:0 0 .3rem}.chart{height:17rem}.short .chart{height:9rem}
.card table{font-size:.9rem}.card td:first-child{white-space:nowrap}
@media (max-width:40rem){.charts,.lists,.targets{grid-template-columns:1fr}.chart{height:15rem}.kpis{grid-template-columns:1fr 1fr}.kpi strong{font-size:1.3rem}.card td[data-label]::before{content:attr(data-label) '：';color:#555}}
@media print{header,.filters,.no-print{display:none}main{max-width:none;padding:0}body{font-size:11pt}
.charts,.lists{grid-template-columns:1fr 1fr}.targets{grid-template-columns:repeat(3,1fr)}.kpis{grid-template-columns:repeat(6,1fr)}.card,.kpi{break-inside:avoid}a{color:inherit;text-decoration:none}}`;
