import type { Directory } from '../config/directory.js';
import { CHANNELS, type Channel } from '../intake/record.js';
import { formatTrace, type Router } from '../router/index.js';
import { SpocError } from '../shared/errors.js';

export interface RouteExplainOptions {
  text: string;
  subject?: string;
  channel?: string;
  /** An email, an E.164 phone number or a Slack user id, looked up in directory.yaml. */
  from?: string;
  /** ISO time of the contact; now when absent. */
  at?: string;
  json?: boolean;
}

/** `from` as the identity a channel would have: an email, a phone number or a Slack user id. */
export function identityOf(from: string): { email?: string; phone?: string; slackUserId?: string } {
  if (from.includes('@')) return { email: from };
  if (/^\+\d+$/.test(from)) return { phone: from };
  return { slackUserId: from };
}

/** `spoc route --explain "text"`: the decision for a contact that is not stored, as text or JSON. */
export function routeExplain(deps: { router: Router; directory: Directory }, opts: RouteExplainOptions, now = new Date()): string {
  const channel = (opts.channel ?? 'api') as Channel;
  if (!CHANNELS.includes(channel)) throw new SpocError('invalid_channel', `unknown channel "${opts.channel}" (one of ${CHANNELS.join(', ')})`);
  const at = opts.at ? new Date(opts.at) : now;
  if (Number.isNaN(at.getTime())) throw new SpocError('invalid_time', `cannot read the time "${opts.at}"`);
  const requester = opts.from ? deps.directory.profile(identityOf(opts.from), channel) : undefined;
  const decision = deps.router.route({ record: { channel, subject: opts.subject ?? '', body: opts.text, meta: {} }, requester }, at);
  if (opts.json) return JSON.stringify({ ...decision, requester: requester ?? null }, null, 2);
  const who = opts.from ? `requester ${requester ? `${requester.name} (${requester.department ?? 'no department'}${requester.vip ? ', VIP' : ''})` : `${opts.from} (not in the directory)`}\n` : '';
  return who + formatTrace(decision);
}
