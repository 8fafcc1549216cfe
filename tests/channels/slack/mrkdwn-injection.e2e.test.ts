import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSpoc, type RunningSpoc } from '../../support/spoc.js';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';
import { until } from '../../support/wait.js';
import { slackSender } from './signing.js';

const SECRET = 'mrkdwn-signing-secret';
const EMPLOYEE = 'U0MALLORY';
const DM = 'D0MALLORY';
const agent = { id: 'api:agent', name: 'Agent <!here>', role: 'agent' as const };

/** What a requester can make Slack read as control sequences: pings, mentions, disguised links, HTML. */
const HOSTILE = /<!|<@U0EVIL|<https?:|<script|<img/i;
// A Slack user's text arrives in Slack's wire format: entities for what they typed as < and >.
const DM_TEXT = 'VPN down <!channel> &lt;!here&gt; &lt;@U0EVIL&gt; &lt;https://evil.example|click&gt; &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=1&gt;';
const HOSTILE_PLAIN = '<!channel> <@U0EVIL> <https://evil.example|click> <script>x</script> <img src=x>';

/** Every string anywhere in a payload, with the field it sits in. */
function strings(v: unknown, path = ''): Array<[string, string]> {
  if (typeof v === 'string') return [[path, v]];
  if (Array.isArray(v)) return v.flatMap((x, i) => strings(x, `${path}[${i}]`));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => strings(x, path ? `${path}.${k}` : k));
  return [];
}

describe('no requester text reaches Slack as mrkdwn (real Bolt app, fake Web API)', () => {
  let slack: FakeSlack;
  let spoc: RunningSpoc;

  beforeAll(async () => {
    slack = await startFakeSlack();
    spoc = await startSpoc({ env: { SLACK_BOT_TOKEN: 'xoxb-m', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl } });
  }, 60_000);
  afterAll(async () => {
    await spoc?.close();
    await slack?.close();
  });
  const { event, command } = slackSender(() => spoc.url, SECRET);

  it('escapes it in text, blocks, thread mirrors, replies, the resolution prompt, App Home and ephemeral answers', async () => {
    const ts = `${Math.floor(Date.now() / 1000)}.000300`;
    expect((await event({ type: 'message', channel: DM, channel_type: 'im', user: EMPLOYEE, text: DM_TEXT, ts }, 'EvMal1')).status).toBe(200);
    const [ticket] = await until(async () => {
      const list = await spoc.ctx.tickets.list({});
      return list.length ? list : undefined;
    }, { what: 'the ticket' });
    const number = ticket!.number;
    // Stored as the requester meant it (plain text), so the desk sees it as written.
    expect(ticket!.subject).toContain('<script>alert(1)</script>');

    await event({ type: 'message', channel: DM, channel_type: 'im', user: EMPLOYEE, text: `more ${DM_TEXT}`, ts: `${ts}1`, thread_ts: ts }, 'EvMal2');
    await spoc.ctx.tickets.reply(number, agent, { body: `Try this: ${HOSTILE_PLAIN}` });
    await event({ type: 'app_home_opened', user: EMPLOYEE, channel: 'D0HOME', tab: 'home' }, 'EvMalHome');
    const status = await command(EMPLOYEE, `status ${number}`);
    const mine = await command(EMPLOYEE, 'mine');
    await spoc.ctx.tickets.resolve(number, agent, { resolution: `Fixed ${HOSTILE_PLAIN}` });

    await spoc.drained(60_000);
    await slack.waitFor('views.publish', 1, 30_000);
    const posts = slack.callsOf('chat.postMessage');
    // Card, acknowledgement, the follow-up mirrored under the card, the agent's reply, the resolution prompt.
    expect(posts.length).toBeGreaterThanOrEqual(5);
    expect(posts.some((c) => String(c.args.text).includes('&lt;script&gt;'))).toBe(true);

    const raw = slack.calls.flatMap((c) => strings(c.args).map(([field, s]) => ({ method: c.method, field, s }))).filter((x) => HOSTILE.test(x.s));
    expect(raw).toEqual([]);
    for (const answer of [status.text, mine.text]) {
      expect(answer).toContain(number);
      expect(answer).not.toMatch(HOSTILE);
    }
    // Sections holding outside text are verbatim: Slack auto-links nothing in them.
    const card = posts.find((c) => JSON.stringify(c.args.blocks ?? '').includes('spoc_card_actions'))!;
    expect(JSON.stringify(card.args.blocks)).toContain('"verbatim":true');
  }, 120_000);
});
