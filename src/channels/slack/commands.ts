import { randomUUID } from 'node:crypto';
import type { App, SlashCommand } from '@slack/bolt';
import { ticketLine, assigneeLabel } from './blocks.js';
import type { SlackDeps } from './deps.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { languageOf, ticketsOf } from './listings.js';
import { textsFor, ticketLang, timeIn, type Lang } from './texts.js';
import { commandRecord } from './normalise.js';
import type { People } from './people.js';
import { roleOf } from './permissions.js';
import { keys, type ThreadRef } from './refs.js';

type Reply = (d: SlackDeps, people: People, cmd: SlashCommand, arg: string, lang: Lang) => Promise<string>;

const SUBCOMMANDS: Record<string, Reply> = {
  async new(d, people, cmd, arg, lang) {
    if (!arg) return textsFor(lang).help;
    const profile = people.cached(cmd.user_id);
    const record = commandRecord({ id: randomUUID(), userId: cmd.user_id, ...(profile ? { profile } : {}), triggerId: cmd.trigger_id, text: arg, channelId: cmd.channel_id, receivedAt: new Date().toISOString() });
    // No thread exists yet: the acknowledgement job opens a DM and that message becomes the ticket's thread.
    await d.ctx.state.set(keys.origin(record.dedupeKey), { user: cmd.user_id } satisfies ThreadRef);
    const result = await d.ctx.intake.accept(record);
    const t = result.ticket;
    // The new ticket's language (what they wrote in) answers, not the language guessed before it.
    const say = textsFor(ticketLang(t, result.requester));
    return (result.outcome === 'created' ? say.created : say.added)(t.number, t.priority, timeIn(t.respondBy, d.timezone, ticketLang(t, result.requester)));
  },
  async status(d, _people, cmd, arg, lang) {
    const number = arg.toUpperCase();
    const detail = number ? await d.ctx.tickets.get(number) : undefined;
    // Agents may look at any ticket; employees only at their own.
    if (!detail || (roleOf(d.teams, cmd.user_id) === 'requester' && detail.requester.slackUserId !== cmd.user_id)) {
      return textsFor(lang).notFound(escapeMrkdwn(number));
    }
    const t = detail.ticket;
    const say = textsFor(lang);
    return `${ticketLine(t, d.timezone, lang)}\n${say.statusTail(escapeMrkdwn(d.teams[t.team]?.name ?? t.team), t.tier, assigneeLabel(t.assignee, lang), timeIn(t.resolveBy, d.timezone, lang))}`;
  },
  async mine(d, _people, cmd, _arg, lang) {
    const { assigned, requested } = await ticketsOf(d, cmd.user_id);
    const say = textsFor(lang);
    const list = (ts: typeof requested) => ts.map((t) => ticketLine(t, d.timezone, lang)).join('\n') || say.none;
    return [assigned ? `${say.assignedToYou}\n${list(assigned)}` : undefined, `${say.yourRequests}\n${list(requested)}`].filter(Boolean).join('\n\n');
  },
};

/** `/spoc …`: the answer is the ack itself (ephemeral), so it needs no extra Web API call. */
export function registerCommands(app: App, d: SlackDeps, people: People) {
  app.command('/spoc', async ({ command, ack }) => {
    const [sub = ''] = command.text.trim().split(/\s+/);
    const handler = SUBCOMMANDS[sub.toLowerCase()];
    const lang = await languageOf(d, command.user_id);
    const text = handler ? await handler(d, people, command, command.text.trim().slice(sub.length).trim(), lang) : textsFor(lang).help;
    await ack({ response_type: 'ephemeral', text });
  });
}
