import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Attachment, IntakeRecordInput } from '../../intake/record.js';

/** The token rendered into each page: a double-submitted form carries it twice and makes one ticket. */
export const FORM_TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

export const newFormToken = (): string => randomUUID().replaceAll('-', '');

/** What the portal form (or a JSON client) sends. Fields are trimmed; limits match the page's inputs. */
export const portalSubmissionSchema = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.email().trim().max(320),
  subject: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(20_000),
  formToken: z.string().regex(FORM_TOKEN, 'formToken must be the token from the portal page'),
  language: z.enum(['zh', 'en']).optional(),
});
export type PortalSubmission = z.infer<typeof portalSubmissionSchema>;

/** A portal submission as an intake record. Pure: ids and time come in, so fixtures give stable output. */
export function toIntakeRecord(
  form: PortalSubmission,
  attachments: Attachment[],
  at: { id?: string; now?: Date } = {},
): IntakeRecordInput {
  return {
    id: at.id ?? randomUUID(),
    channel: 'web',
    receivedAt: (at.now ?? new Date()).toISOString(),
    dedupeKey: `web:${form.formToken}`,
    requester: { name: form.name, email: form.email.toLowerCase(), ...(form.language ? { language: form.language } : {}) },
    subject: form.subject,
    body: form.description,
    ...(form.language ? { language: form.language } : {}),
    attachments,
    thread: {},
    meta: {},
  };
}
