import { randomUUID } from 'node:crypto';
import type { App, SlashCommand } from '@slack/bolt';
import { formatTime, ticketLine, assigneeLabel } from './blocks.js';
import type { SlackDeps } from './deps.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { ticketsOf } from './listings.js';
import { commandRecord } from './normalise.js';
import type { People } from './people.js';
import { roleOf } from './permissions.js';
import { keys, type ThreadRef } from './refs.js';

const HELP = 'Usage: `/spoc new <what you need>` · `/spoc status INC-000042` · `/spoc mine`';

type Reply = (d: SlackDeps, people: People, cmd: SlashCommand, arg: string) => Promise<string>;

const SUBCOMMANDS: Record<string, Reply> = {
  async new(d, people, cmd, arg) {
    if (!arg) return HELP;
    const profile = people.cached(cmd.user_id);
    const record = commandRecord({ id: randomUUID(), userId: cmd.user_id, ...(profile ? { profile } : {}), triggerId: cmd.trigger_id, text: arg, channelId: cmd.channel_id, receivedAt: new Date().toISOString() });
    // No thread exists yet: the acknowledgement job opens a DM and that message becomes the ticket's thread.
    await d.ctx.state.set(keys.origin(record.dedupeKey), { user: cmd.user_id } satisfies ThreadRef);
    const result = await d.ctx.intake.accept(record);
    const t = result.ticket;
    return `${result.outcome === 'created' ? 'Created' : 'Added to'} *${t.number}* (${t.priority}); IT will respond by ${formatTime(t.respondBy, d.timezone)}. I'll keep you posted in a DM.`;
  },
  async status(d, _people, cmd, arg) {
    const number = arg.toUpperCase();
    const detail = number ? await d.ctx.tickets.get(number) : undefined;
    // Agents may look at any ticket; employees only at their own.
    if (!detail || (roleOf(d.teams, cmd.user_id) === 'requester' && detail.requester.slackUserId !== cmd.user_id)) {
      return `I can't find ${number || 'that ticket'}.`;
    }
    const t = detail.ticket;
    return `${ticketLine(t, d.timezone)}\nTeam ${escapeMrkdwn(d.teams[t.team]?.name ?? t.team)} (${t.tier}) · ${assigneeLabel(t.assignee)} · resolve by ${formatTime(t.resolveBy, d.timezone)}`;
  },
  async mine(d, _people, cmd) {
    const { assigned, requested } = await ticketsOf(d, cmd.user_id);
    const list = (ts: typeof requested) => ts.map((t) => ticketLine(t, d.timezone)).join('\n') || '_none_';
    return [assigned ? `*Assigned to you*\n${list(assigned)}` : undefined, `*Your requests*\n${list(requested)}`].filter(Boolean).join('\n\n');
  },
};

/** `/spoc …`: the answer is the ack itself (ephemeral), so it needs no extra Web API call. */
export function registerCommands(app: App, d: SlackDeps, people: People) {
  app.command('/spoc', async ({ command, ack }) => {
    const [sub = ''] = command.text.trim().split(/\s+/);
    const handler = SUBCOMMANDS[sub.toLowerCase()];
    const text = handler ? await handler(d, people, command, command.text.trim().slice(sub.length).trim()) : HELP;
    await ack({ response_type: 'ephemeral', text });
  });
}
