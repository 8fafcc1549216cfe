/**
 * Fills a spoc store with old tickets fast: set-based SQL (INSERT … SELECT over a generated series, in
 * transactions), not intake, so a million tickets take a minute, not hours. The rows look like
 * a desk's history: 10,000 requesters, 24 subjects in Chinese and English with their search words (cut by
 * the same segmenter the store uses), two search rows per ticket (its subject line and its first message),
 * the oldest 95 in 100 closed, created over the last two years.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { queryWords } from '../../src/ticketing/search.js';

const SUBJECTS: Array<[subject: string, message: string, team: string, type: string]> = [
  ['打印机卡纸', '三楼的打印机卡纸了，无法打印', 'desktop', 'incident'],
  ['VPN 连不上', '今天早上开始 VPN 一直连不上，提示认证失败', 'network', 'incident'],
  ['邮箱满了', 'Outlook 提示邮箱已满，无法收发邮件', 'service-desk', 'service_request'],
  ['申请安装软件', '请帮我安装 Visio，经理已经批准', 'desktop', 'service_request'],
  ['无线网络经常断开', '会议室的 Wi-Fi 每隔几分钟就断开一次', 'network', 'incident'],
  ['ERP 登录报错', 'ERP 系统登录时提示会话超时，无法进入', 'apps', 'incident'],
  ['数据导出需求', '需要导出上个月的销售数据报表', 'apps', 'data_request'],
  ['密码重置', '忘记了域账号密码，需要重置', 'service-desk', 'service_request'],
  ['显示器闪烁', '第二块显示器一直闪烁，换了线也没用', 'desktop', 'incident'],
  ['数据库备份失败', '昨晚的数据库备份任务失败了', 'dba', 'incident'],
  ['可疑邮件', '收到一封要求输入密码的可疑邮件', 'security', 'incident'],
  ['共享盘权限', '需要访问财务部共享盘的权限', 'service-desk', 'service_request'],
  ['Printer out of toner', 'The printer on floor 2 says toner low and prints blank pages', 'desktop', 'incident'],
  ['VPN disconnects every hour', 'My VPN session drops every hour and I lose my work', 'network', 'incident'],
  ['Mailbox full', 'Outlook says my mailbox is full and I cannot send mail', 'service-desk', 'service_request'],
  ['Install Visio', 'Please install Microsoft Visio on my laptop, approved by my manager', 'desktop', 'service_request'],
  ['Wi-Fi drops in room 4B', 'The wireless in meeting room 4B drops for everyone', 'network', 'incident'],
  ['CRM is slow', 'The CRM takes a minute to open each customer record', 'apps', 'incident'],
  ['Monthly sales report', 'I need the monthly sales export for the board', 'apps', 'data_request'],
  ['Password reset', 'I forgot my password and I am locked out', 'service-desk', 'service_request'],
  ['Monitor flickering', 'The second monitor flickers and goes black', 'desktop', 'incident'],
  ['Database replica lag', 'The reporting replica is hours behind', 'dba', 'incident'],
  ['Phishing email', 'I got an email asking for my password, looks like phishing', 'security', 'incident'],
  ['Access to finance share', 'I need access to the finance shared drive', 'service-desk', 'service_request'],
];
const PREFIX: Record<string, string> = { incident: 'INC', service_request: 'REQ', data_request: 'DAT' };
export const REQUESTERS = 10_000;
const SPAN_SECONDS = 2 * 365 * 86_400;

/** The subject vocabulary with its words, as rows both dialects load into a scratch table. */
function vocabulary() {
  return SUBJECTS.map(([subject, message, team, type], k) => ({
    k,
    subject,
    team,
    type,
    prefix: PREFIX[type]!,
    tier: team === 'service-desk' ? 'L1' : ['apps', 'dba', 'security'].includes(team) ? 'L3' : 'L2',
    lang: /[\u4e00-\u9fff]/.test(subject) ? 'zh' : 'en',
    subjectTerms: queryWords(subject).join(' '),
    messageTerms: queryWords(message).join(' '),
  }));
}

// Written once for both dialects over `n` (1…N) and `s` (its subject). The oldest 95 in 100 are closed; the
// newest are open (new, assigned, in progress, pending) or resolved an hour ago. Every one has been responded
// to and the open ones are due in the future, so the SLA and auto-close sweepers find nothing to do at start,
// as on a desk whose old tickets had their warnings and closes long ago. Numbers start at 10,000,000, so
// intake's own never meet them.
const status = (count: number) =>
  `CASE WHEN n <= ${Math.floor(count * 0.95)} THEN 'closed' WHEN n % 5 = 0 THEN 'new' WHEN n % 5 = 1 THEN 'assigned' WHEN n % 5 = 2 THEN 'in_progress' WHEN n % 5 = 3 THEN 'pending' ELSE 'resolved' END`;
const PRIORITY = `'P' || (1 + n % 4)`;

/** The tickets' SELECT list; `ts(seconds)` turns an epoch-seconds SQL expression into the dialect's timestamp. */
function ticketColumns(count: number, ts: (seconds: string) => string, id: string): string {
  const now = Math.floor(Date.now() / 1000);
  const created = `${now - SPAN_SECONDS} + n * ${SPAN_SECONDS / count}`;
  const closed = `n <= ${Math.floor(count * 0.95)}`;
  return `${id}, s.prefix || '-' || (10000000 + n), s.type, 'general', 'medium', 'medium', ${PRIORITY}, s.tier, s.team, ${status(count)},
        s.subject || ' #' || n, 'email', 'seed-r-' || (1 + n % ${REQUESTERS}), 'standard', '7x24', ${ts(`${created} + 1800`)}, ${ts(`${created} + 1800`)},
        CASE WHEN ${closed} THEN ${ts(`${created} + 14400`)} ELSE ${ts(`${now} + 86400 + n % 100000`)} END,
        CASE WHEN ${closed} THEN ${ts(`${created} + 7200`)} WHEN n % 5 = 4 THEN ${ts(`${now} - 3600`)} END,
        CASE WHEN ${closed} THEN ${ts(`${created} + 86400`)} END, '[]', s.lang, 'seeded', ${ts(created)}, ${ts(created)}`;
}
const TICKET_COLUMNS = `id, number, type, category, impact, urgency, priority, tier, team, status, subject, channel, requester_id,
        sla_policy, calendar, respond_by, responded_at, resolve_by, resolved_at, closed_at, tags, language, reason, created_at, updated_at`;

/**
 * SQLite has one writer: the history goes in 20,000 tickets per transaction, so spoc's own writes (its
 * sweepers, intake) wait a moment at most, never past their busy timeout.
 */
export async function seedSqlite(file: string, count: number, chunk = 20_000): Promise<void> {
  const db = new Database(file);
  db.pragma('busy_timeout = 60000');
  const ts = (seconds: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${seconds}, 'unixepoch')`;
  const born = `${Math.floor(Date.now() / 1000) - SPAN_SECONDS} + n`;
  const series = (from: number, to: number) => `WITH RECURSIVE g(n) AS (SELECT ${from} UNION ALL SELECT n + 1 FROM g WHERE n < ${to})`;
  db.exec('CREATE TEMP TABLE seed_subjects (k INTEGER PRIMARY KEY, subject TEXT, team TEXT, type TEXT, prefix TEXT, tier TEXT, lang TEXT, subject_terms TEXT, message_terms TEXT)');
  const put = db.prepare('INSERT INTO seed_subjects VALUES (@k, @subject, @team, @type, @prefix, @tier, @lang, @subjectTerms, @messageTerms)');
  for (const v of vocabulary()) put.run(v);
  db.exec(`${series(1, REQUESTERS)} INSERT INTO requesters (id, name, email, language, created_at, updated_at)
    SELECT 'seed-r-' || n, 'Person ' || n, 'person' || n || '@corp.example', CASE WHEN n % 2 = 0 THEN 'zh' ELSE 'en' END, ${ts(born)}, ${ts(born)} FROM g`);
  for (let from = 1; from <= count; from += chunk) {
    const g = series(from, Math.min(count, from + chunk - 1));
    db.transaction(() => {
      db.exec(`${g} INSERT INTO tickets (${TICKET_COLUMNS})
        SELECT ${ticketColumns(count, ts, "printf('seed-%09d', n)")} FROM g JOIN seed_subjects s ON s.k = n % ${SUBJECTS.length}`);
      db.exec(`${g} INSERT INTO ticket_search (ticket_id, terms)
        SELECT printf('seed-%09d', n), lower(s.prefix) || ' ' || (10000000 + n) || ' ' || s.subject_terms || ' person ' || (1 + n % ${REQUESTERS}) FROM g JOIN seed_subjects s ON s.k = n % ${SUBJECTS.length}
        UNION ALL SELECT printf('seed-%09d', n), s.message_terms FROM g JOIN seed_subjects s ON s.k = n % ${SUBJECTS.length}`);
    })();
  }
  // No ANALYZE: spoc never runs one, so the planner sees here what it sees on a desk's own store.
  db.close();
}

export async function seedPostgres(url: string, schema: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET search_path TO ${schema}`);
    await client.query('BEGIN');
    await client.query('CREATE TEMP TABLE seed_subjects (k INT PRIMARY KEY, subject TEXT, team TEXT, type TEXT, prefix TEXT, tier TEXT, lang TEXT, subject_terms TEXT, message_terms TEXT)');
    for (const v of vocabulary()) {
      await client.query('INSERT INTO seed_subjects VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [v.k, v.subject, v.team, v.type, v.prefix, v.tier, v.lang, v.subjectTerms, v.messageTerms]);
    }
    const ts = (seconds: string) => `to_timestamp(${seconds})`;
    const born = `${Math.floor(Date.now() / 1000) - SPAN_SECONDS} + n`;
    await client.query(`INSERT INTO requesters (id, name, email, language, created_at, updated_at)
      SELECT 'seed-r-' || n, 'Person ' || n, 'person' || n || '@corp.example', CASE WHEN n % 2 = 0 THEN 'zh' ELSE 'en' END, ${ts(born)}, ${ts(born)} FROM generate_series(1, ${REQUESTERS}) n`);
    await client.query(`INSERT INTO tickets (${TICKET_COLUMNS})
      SELECT ${ticketColumns(count, ts, "'seed-' || lpad(n::text, 9, '0')")} FROM generate_series(1, ${count}) n JOIN seed_subjects s ON s.k = n % ${SUBJECTS.length}`);
    await client.query(`INSERT INTO ticket_search (ticket_id, terms)
      SELECT 'seed-' || lpad(n::text, 9, '0'), string_to_array(lower(s.prefix) || ' ' || (10000000 + n) || ' ' || s.subject_terms || ' person ' || (1 + n % ${REQUESTERS}), ' ') FROM generate_series(1, ${count}) n JOIN seed_subjects s ON s.k = n % ${SUBJECTS.length}
      UNION ALL SELECT 'seed-' || lpad(n::text, 9, '0'), string_to_array(s.message_terms, ' ') FROM generate_series(1, ${count}) n JOIN seed_subjects s ON s.k = n % ${SUBJECTS.length}`);
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}
