import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { intakeRecordSchema } from '../../../src/intake/record.js';
import { alertConversation, alertmanagerPayloadSchema, alertToRecord, groupResolution, resolvedNote } from '../../../src/channels/alert/normalise.js';
import { bearerMatches } from '../../../src/channels/alert/routes.js';

// The fixtures follow the webhook body of Alertmanager's docs (prometheus.io/docs/alerting/latest/configuration/#webhook_config),
// groupKey as Alertmanager builds it: the route's matchers, then the group labels.
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as unknown;
const requester = { name: 'Alertmanager', email: 'alertmanager@monitoring.invalid' };

describe('alertToRecord on a recorded Alertmanager payload', () => {
  const recordOf = (name: string) => {
    const payload = alertmanagerPayloadSchema.parse(fixture(name));
    return payload.alerts.map((a) =>
      intakeRecordSchema.parse(alertToRecord(a, { receiver: payload.receiver, externalURL: payload.externalURL, groupKey: payload.groupKey, requester }, { id: '00000000-0000-4000-8000-000000000003', now: new Date('2026-03-02T01:15:00Z') })),
    );
  };

  it('makes one record per alert with summary, description and labels for the rules', () => {
    const [erp] = recordOf('firing.json');
    const [disk] = recordOf('disk.json');
    expect(erp).toMatchObject({
      channel: 'alert',
      dedupeKey: 'alert:8d2a4bd1f6cc3c9a:2026-03-02T01:14:30.123Z',
      subject: 'ERP is down',
      requester,
      thread: { conversationId: alertConversation({ fingerprint: '8d2a4bd1f6cc3c9a' }, '{}/{severity="critical"}:{job="blackbox"}') },
      meta: { severity: 'critical', 'label.alertname': 'ProbeFailure', 'label.service': 'erp', receiver: 'spoc', fingerprint: '8d2a4bd1f6cc3c9a' },
    });
    expect(erp!.body).toContain('all users are affected');
    expect(erp!.body).toContain('  instance=https://erp.corp.example/health');
    expect(erp!.body).toContain('Runbook: https://wiki.corp.example/runbooks/erp-down');
    // No summary: the alert name is the subject.
    expect(disk).toMatchObject({ subject: 'DiskWillFillIn4Hours', meta: { severity: 'warning', 'label.device': '/dev/sda1' } });
  });

  it('puts the alerts of one group in one conversation, and a groupless alert in its own', () => {
    const [erp, vpn] = recordOf('group-firing.json');
    const [disk] = recordOf('disk.json');
    expect(erp!.thread.conversationId).toMatch(/^alert-group:[0-9a-f]{32}$/);
    expect(vpn!.thread.conversationId).toBe(erp!.thread.conversationId);
    expect(disk!.thread.conversationId).not.toBe(erp!.thread.conversationId);
    expect(alertConversation({ fingerprint: '8d2a4bd1f6cc3c9a' })).toBe('alert:8d2a4bd1f6cc3c9a');
  });

  it('describes a resolved alert for the note', () => {
    const resolved = alertmanagerPayloadSchema.parse(fixture('resolved.json'));
    expect(resolvedNote(resolved.alerts[0]!)).toBe(
      'Alertmanager: ProbeFailure resolved at 2026-03-02T01:41:00.5Z (fingerprint 8d2a4bd1f6cc3c9a, firing since 2026-03-02T01:14:30.123Z).',
    );
    expect(groupResolution(resolved.alerts).split('\n')).toEqual([
      'Alertmanager: every alert of the group has resolved.',
      '- ProbeFailure resolved at 2026-03-02T01:41:00.5Z (fingerprint 8d2a4bd1f6cc3c9a, firing since 2026-03-02T01:14:30.123Z).',
      '- ProbeFailure resolved at 2026-03-02T01:44:20.05Z (fingerprint 3b7e91c04a5d2f18, firing since 2026-03-02T01:16:10.42Z).',
    ]);
  });

  it('refuses payloads of another version or without alerts', () => {
    expect(alertmanagerPayloadSchema.safeParse({ ...(fixture('firing.json') as object), version: '3' }).success).toBe(false);
    expect(alertmanagerPayloadSchema.safeParse({ ...(fixture('firing.json') as object), alerts: [] }).success).toBe(false);
  });
});

describe('bearerMatches', () => {
  it('accepts exactly the token', () => {
    expect(bearerMatches('Bearer s3cret-token', 's3cret-token')).toBe(true);
    expect(bearerMatches('bearer s3cret-token', 's3cret-token')).toBe(true);
    expect(bearerMatches('Bearer s3cret-toke', 's3cret-token')).toBe(false);
    expect(bearerMatches('Basic czNjcmV0', 's3cret-token')).toBe(false);
    expect(bearerMatches(undefined, 's3cret-token')).toBe(false);
  });
});
