import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { IntakeRecordInput } from '../../intake/record.js';

const stringMap = z.record(z.string(), z.string()).default({});

/** One alert of Alertmanager's webhook (version 4). */
export const alertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: stringMap,
  annotations: stringMap,
  startsAt: z.string().datetime({ offset: true }),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().regex(/^[0-9a-zA-Z]{1,64}$/),
});
export type Alert = z.infer<typeof alertSchema>;

/** Alertmanager's webhook payload; fields spoc does not use are allowed and ignored. */
export const alertmanagerPayloadSchema = z.object({
  version: z.literal('4'),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().max(200).default(''),
  externalURL: z.string().max(2000).optional(),
  groupKey: z.string().max(4000).optional(),
  alerts: z.array(alertSchema).min(1).max(1000),
});
export type AlertmanagerPayload = z.infer<typeof alertmanagerPayloadSchema>;

/**
 * The conversation an alert's tickets share, so a later alert joins the open ticket: the Alertmanager
 * group (groupKey, hashed because it is long and label-shaped), or the alert itself when there is none.
 */
export const alertConversation = (alert: { fingerprint: string }, groupKey?: string) =>
  groupKey ? `alert-group:${createHash('sha256').update(groupKey).digest('hex').slice(0, 32)}` : `alert:${alert.fingerprint}`;

const listLabels = (labels: Record<string, string>) =>
  Object.keys(labels)
    .sort()
    .map((k) => `  ${k}=${labels[k]}`)
    .join('\n');

/**
 * A firing alert as an intake record: the subject is its summary (or alert name), the body its
 * description with the labels, and the labels go into meta (`severity`, `label.<name>`) for the rules.
 */
export function alertToRecord(
  alert: Alert,
  context: { receiver: string; externalURL?: string; groupKey?: string; requester: { name: string; email: string }; conversation?: string },
  at: { id?: string; now?: Date } = {},
): IntakeRecordInput {
  const name = alert.labels.alertname ?? 'alert';
  const subject = (alert.annotations.summary ?? alert.annotations.title ?? name).trim().slice(0, 500) || name;
  const body = [
    alert.annotations.description?.trim(),
    `Alert: ${name} (${alert.status}) since ${alert.startsAt}`,
    `Labels:\n${listLabels(alert.labels)}`,
    alert.annotations.runbook_url ? `Runbook: ${alert.annotations.runbook_url}` : undefined,
    alert.generatorURL ? `Source: ${alert.generatorURL}` : undefined,
    context.externalURL ? `Alertmanager: ${context.externalURL}` : undefined,
  ]
    .filter((s): s is string => !!s)
    .join('\n\n');
  const meta: Record<string, string> = { fingerprint: alert.fingerprint };
  if (context.receiver) meta.receiver = context.receiver;
  if (alert.labels.severity) meta.severity = alert.labels.severity.toLowerCase();
  for (const [k, v] of Object.entries(alert.labels)) meta[`label.${k}`] = v;
  return {
    id: at.id ?? randomUUID(),
    channel: 'alert',
    receivedAt: (at.now ?? new Date()).toISOString(),
    dedupeKey: `alert:${alert.fingerprint}:${alert.startsAt}`,
    requester: { name: context.requester.name, email: context.requester.email },
    subject,
    body: body.slice(0, 200_000),
    attachments: [],
    thread: { conversationId: context.conversation ?? alertConversation(alert, context.groupKey) },
    meta,
  };
}

/** The resolution of a group's ticket once all its alerts have resolved. */
export function groupResolution(alerts: Alert[]): string {
  return ['Alertmanager: every alert of the group has resolved.', ...alerts.map((a) => `- ${resolvedNote(a).replace(/^Alertmanager: /, '')}`)].join('\n');
}

/** The internal note a resolved alert adds to its ticket. */
export function resolvedNote(alert: Alert): string {
  const name = alert.labels.alertname ?? 'alert';
  return `Alertmanager: ${name} resolved${alert.endsAt ? ` at ${alert.endsAt}` : ''} (fingerprint ${alert.fingerprint}, firing since ${alert.startsAt}).`;
}
