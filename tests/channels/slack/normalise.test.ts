import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { intakeRecordSchema } from '../../../src/intake/record.js';
import { cleanSlackText, commandRecord, messageRecord, type SlackMessageEvent } from '../../../src/channels/slack/normalise.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as { event_id: string; event_time: number; event: SlackMessageEvent };
const ID = '6f1c2a64-3b7e-4d4f-9a57-2a1f0f7f1e11';

describe('messageRecord', () => {
  it('turns a DM into a slack intake record keyed by event_id, with the thread as conversation', () => {
    const env = fixture('dm');
    const rec = intakeRecordSchema.parse(
      messageRecord({ id: ID, eventId: env.event_id, eventTime: env.event_time, event: env.event, botUserId: 'UBOT', userId: env.event.user, profile: { name: 'Li Lei', email: 'li.lei@example.com' } }),
    );
    expect(rec).toMatchObject({
      channel: 'slack',
      dedupeKey: 'slack:Ev0DM00001',
      receivedAt: '2025-11-21T08:00:00.000Z',
      requester: { slackUserId: 'U0EMPLOYEE', name: 'Li Lei', email: 'li.lei@example.com' },
      subject: 'My VPN keeps dropping since this morning',
      body: "My VPN keeps dropping since this morning\nI'm on the new client (https://vpn.example.com) & Windows 11",
      thread: { conversationId: 'slack:D0EMPLOYEE:1763712000.000100', messageId: 'D0EMPLOYEE:1763712000.000100' },
      meta: { slack_channel: 'D0EMPLOYEE', slack_channel_type: 'im' },
    });
    expect(rec.thread.replyTo).toBeUndefined();
  });

  it('drops our own mention and keeps the channel message ts as the thread', () => {
    const env = fixture('mention');
    const rec = messageRecord({ id: ID, eventId: env.event_id, event: env.event, botUserId: 'UBOT', userId: env.event.user });
    expect(rec.body).toBe('the printer on 3F is jammed again, cc @U0COLLEAGUE');
    expect(rec.thread).toEqual({ conversationId: 'slack:C0GENERAL:1763712100.000200', messageId: 'C0GENERAL:1763712100.000200' });
    expect(rec.requester).toEqual({ slackUserId: 'U0EMPLOYEE' });
    expect(rec.receivedAt).toBe('2025-11-21T08:01:40.000Z');
  });

  it('a thread follow-up names the same conversation and the ticket the thread belongs to', () => {
    const env = fixture('dm-thread-reply');
    const rec = messageRecord({ id: ID, eventId: env.event_id, event: env.event, userId: env.event.user, ticketNumber: 'INC-000042' });
    expect(rec.thread).toEqual({
      conversationId: 'slack:D0EMPLOYEE:1763712000.000100',
      messageId: 'D0EMPLOYEE:1763712300.000300',
      replyTo: ['D0EMPLOYEE:1763712000.000100'],
      ticketNumber: 'INC-000042',
    });
    expect(rec.dedupeKey).toBe('slack:Ev0DM00002');
  });
});

describe('commandRecord', () => {
  it('keys /spoc new by trigger_id', () => {
    const rec = intakeRecordSchema.parse(
      commandRecord({ id: ID, userId: 'U1', triggerId: '123.456.abc', text: '  need access to the finance share ', channelId: 'C1', receivedAt: '2025-11-21T08:00:00.000Z' }),
    );
    expect(rec).toMatchObject({ dedupeKey: 'slack:123.456.abc', subject: 'need access to the finance share', meta: { slack_channel_type: 'command' } });
  });
});

describe('cleanSlackText', () => {
  it('unwraps links, channels, specials and entities', () => {
    expect(cleanSlackText('<#C123|it-help> <!here> <mailto:a@b.com|a@b.com> <https://x.io> 1 &lt; 2')).toBe('#it-help @here a@b.com https://x.io 1 < 2');
  });
});
