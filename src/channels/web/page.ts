import { LANGUAGES, TEXTS, type Language, type TextKey } from './i18n.js';
import { KB_SUGGEST_SCRIPT, PORTAL_CSS, PORTAL_SCRIPT } from './page-assets.js';
import { escapeHtml } from '../../shared/html.js';

export interface PortalPageInput {
  lang: Language;
  title: Record<Language, string>;
  /** Rendered into the form: a double submit sends the same token and makes one ticket. */
  formToken: string;
  /** Pre-fills the status form (`/?ticket=INC-000042`, the link in acknowledgements). */
  ticket?: string;
  /** CSP nonce allowing the inline style and script and nothing else. */
  nonce: string;
  limits: { maxFiles: number; maxFileBytes: number };
  /** Open major incidents: a banner tells visitors the desk knows. */
  incidents?: Array<{ number: string; about: Record<Language, string> }>;
}

/** JSON inside a <script> element: `<` escaped so no value can close the element. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/** The Content-Security-Policy that goes with a page rendered with `nonce`. */
export const portalCsp = (nonce: string): string =>
  [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

const formatSize = (n: number): string => (n >= 1_048_576 ? `${Math.round(n / 1_048_576)} MB` : `${Math.round(n / 1024)} KB`);

/** The portal page, rendered in one language; the inline script switches language without a reload. */
export function renderPortalPage(input: PortalPageInput): string {
  const { lang, limits } = input;
  const texts = Object.fromEntries(LANGUAGES.map((l) => [l, { ...TEXTS[l], title: input.title[l] }]));
  // Text rendered server-side in the page language, tagged so the script can swap it.
  const tx = (key: TextKey, tag = 'span', attrs = ''): string => {
    const text = TEXTS[lang][key].replace('{files}', String(limits.maxFiles)).replace('{size}', formatSize(limits.maxFileBytes));
    return `<${tag} data-t="${key}"${attrs}>${escapeHtml(text)}</${tag}>`;
  };
  const label = (forId: string, key: TextKey, required = true): string =>
    `<label for="${forId}">${tx(key)}${required ? '<span class="req" aria-hidden="true">*</span>' : ''}</label>`;
  const n = escapeHtml(input.nonce);
  const title = escapeHtml(input.title[lang]);
  const files =
    limits.maxFiles > 0
      ? `${label('req-files', 'attachments', false)}
          <input id="req-files" name="attachments" type="file" multiple>
          ${tx('attachmentsHint', 'p', ' class="hint"')}`
      : '';

  // Both languages are rendered; CSS shows the page's, so the language switch needs no new text.
  const banner = input.incidents?.length
    ? `<div class="wrap"><section class="incident-banner" role="status" aria-labelledby="incident-title">
    ${tx('incidentTitle', 'h2', ' id="incident-title"')}
    ${input.incidents
      .map((i) => LANGUAGES.map((l) => `<p class="incident" data-only="${l}" lang="${l === 'zh' ? 'zh-CN' : 'en'}">${escapeHtml(TEXTS[l].incidentBody.replace('{about}', i.about[l]).replace('{number}', i.number))}</p>`).join(''))
      .join('\n    ')}
  </section></div>`
    : '';

  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${title}</title>
<style nonce="${n}">${PORTAL_CSS}</style>
</head>
<body data-lang="${lang}">
<header>
  <div class="wrap">
    <div class="top">
      <h1 data-t="title">${title}</h1>
      <div class="lang" role="group" aria-label="Language / 语言">
        <button type="button" data-lang="zh" aria-pressed="${lang === 'zh'}">中文</button>
        <button type="button" data-lang="en" aria-pressed="${lang === 'en'}">English</button>
      </div>
    </div>
    ${tx('tagline', 'p', ' class="tagline"')}
  </div>
</header>
<main>
${banner}
  <div class="wrap grid">
    <section class="card" aria-labelledby="new-request">
      ${tx('newRequest', 'h2', ' id="new-request"')}
      <form id="request-form" action="/portal/requests" method="post" enctype="multipart/form-data">
        <input type="hidden" name="formToken" value="${escapeHtml(input.formToken)}">
        <input type="hidden" id="req-language" name="language" value="${lang}">
        <div class="row">
          <div>${label('req-name', 'name')}<input id="req-name" name="name" type="text" required maxlength="200" autocomplete="name"></div>
          <div>${label('req-email', 'email')}<input id="req-email" name="email" type="email" required maxlength="320" autocomplete="email"></div>
        </div>
        ${label('req-subject', 'subject')}
        <input id="req-subject" name="subject" type="text" required maxlength="200" aria-describedby="kb-suggest">
        <div id="kb-suggest" class="kb-suggest" aria-live="polite" hidden>${tx('kbTitle', 'p', ' class="kb-title"')}<ul id="kb-list"></ul></div>
        ${label('req-description', 'description')}
        <textarea id="req-description" name="description" required maxlength="20000"></textarea>
        ${tx('descriptionHint', 'p', ' class="hint"')}
        ${files}
        <div class="actions"><button id="req-submit" class="primary" type="submit" data-t="submit">${escapeHtml(TEXTS[lang].submit)}</button></div>
        <div id="request-error" class="msg error" role="alert" hidden></div>
      </form>
      <div id="kb-thanks" class="result" role="status" hidden>${tx('kbThanks', 'h3')}${tx('kbNoTicket', 'p', ' class="hint"')}</div>
      <div id="request-result" class="result" role="status" hidden>
        ${tx('submitted', 'h3')}
        <dl id="result-fields"></dl>
        ${tx('keepNumber', 'p', ' class="hint"')}
        <div class="actions"><button id="another" class="primary" type="button" data-t="another">${escapeHtml(TEXTS[lang].another)}</button></div>
      </div>
    </section>
    <section class="card" aria-labelledby="check-status">
      ${tx('checkStatus', 'h2', ' id="check-status"')}
      ${tx('statusHint', 'p', ' class="hint"')}
      <form id="status-form" action="/portal/status" method="get">
        ${label('status-number', 'ticketNumber')}
        <input id="status-number" name="number" type="text" required maxlength="32" placeholder="INC-000042" value="${escapeHtml(input.ticket ?? '')}">
        ${label('status-email', 'email')}
        <input id="status-email" name="email" type="email" required maxlength="320" autocomplete="email">
        <div class="actions"><button class="primary" type="submit" data-t="lookUp">${escapeHtml(TEXTS[lang].lookUp)}</button></div>
        <div id="status-error" class="msg error" role="alert" hidden></div>
      </form>
      <div id="status-result" class="status-result" hidden>
        <dl id="status-fields"></dl>
        ${tx('history', 'h3')}
        <ol id="status-history" class="history"></ol>
        ${tx('noHistory', 'p', ' id="status-empty" class="hint"')}
        <div id="status-ask" class="ask" hidden>
          <div id="ask-confirm" hidden>
            ${tx('askConfirm', 'h3')}
            <div class="actions"><button id="answer-fixed" class="primary" type="button" data-t="fixed">${escapeHtml(TEXTS[lang].fixed)}</button>
            <button id="answer-not-fixed" class="secondary" type="button" data-t="notFixed">${escapeHtml(TEXTS[lang].notFixed)}</button></div>
          </div>
          <div id="ask-rate" hidden>
            ${tx('askRate', 'h3')}
            ${label('rate-comment', 'rateComment', false)}
            <textarea id="rate-comment" maxlength="2000" rows="3"></textarea>
            <div class="actions">${[1, 2, 3, 4, 5].map((n) => `<button type="button" class="score" data-score="${n}" aria-label="${n}">${'★'.repeat(n)}</button>`).join('')}</div>
          </div>
        </div>
        <div id="status-answered" class="msg ok" role="status" hidden></div>
      </div>
    </section>
  </div>
</main>
<footer>spoc</footer>
<script type="application/json" id="spoc-texts" nonce="${n}">${scriptJson(texts)}</script>
<script type="application/json" id="spoc-limits" nonce="${n}">${scriptJson(limits)}</script>
<script nonce="${n}">${PORTAL_SCRIPT}</script>
<script nonce="${n}">${KB_SUGGEST_SCRIPT}</script>
</body>
</html>
`;
}
