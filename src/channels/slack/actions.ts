import type { App, BlockAction, ButtonAction, SlackViewAction, ViewOutput, types } from '@slack/bolt';
import { SpocError } from '../../shared/errors.js';
import type { Actor, TicketDetail } from '../../ticketing/service-types.js';
import { ACTION, VIEW, escalateModal, noticeModal, plainSection, reassignModal, replyModal, resolveModal } from './blocks.js';
import type { SlackDeps } from './deps.js';
import { escapeMrkdwn } from './mrkdwn.js';
import type { People } from './people.js';
import { actorFor, mayWork, teamChoices } from './permissions.js';
import { languageOf } from './listings.js';
import { textsFor, ticketLang } from './texts.js';

type ButtonBody = BlockAction<ButtonAction>;
type View = types.View;

/** The one way to tell a person no: only they see it, and nothing changed. */
async function refuse(d: SlackDeps, body: ButtonBody, text: string) {
  if (!body.channel?.id) return;
  // Refusals quote the ticket service's messages, which may carry outside text.
  await d.client.chat.postEphemeral({ channel: body.channel.id, user: body.user.id, text: escapeMrkdwn(text) });
}

async function actor(d: SlackDeps, people: People, userId: string): Promise<Actor> {
  const name = people.name(userId);
  return actorFor(d.teams, { id: userId, ...(name ? { name } : {}) });
}

/** Expected refusals from the ticket service (a ticket already claimed, already resolved …) become the user's message. */
const reason = (err: unknown) => {
  if (err instanceof SpocError) return err.message;
  throw err;
};

type Gate = 'team' | 'requester' | 'anyone';

/** Who may press a button: the owning team (and the desk manager), the ticket's requester, or anyone. */
function allowed(d: SlackDeps, gate: Gate, detail: TicketDetail, userId: string) {
  if (gate === 'team') return mayWork(d.teams, detail.ticket.team, userId);
  if (gate === 'requester') return detail.requester.slackUserId === userId;
  return true;
}

/** Refusals speak the language of the ticket's requester, as everything else about the ticket does. */
const say = (detail: TicketDetail) => textsFor(ticketLang(detail.ticket, detail.requester));

export const teamName = (d: SlackDeps, team: string) => d.teams[team]?.name ?? team;

const refusal = (d: SlackDeps, gate: Gate, detail: TicketDetail) =>
  gate === 'team' ? say(detail).onlyTeam(teamName(d, detail.ticket.team), detail.ticket.number) : say(detail).onlyRequester(detail.ticket.number);

type ButtonHandler = (d: SlackDeps, detail: TicketDetail, body: ButtonBody, who: () => Promise<Actor>) => Promise<void>;

const openModal = (d: SlackDeps, body: ButtonBody, view: Parameters<SlackDeps['client']['views']['open']>[0]['view']) =>
  d.client.views.open({ trigger_id: body.trigger_id, view }).then(() => undefined);

/** Replaces the employee's Confirm/Reopen buttons with what they chose, so they cannot press twice. */
const settle = async (d: SlackDeps, body: ButtonBody, text: string) => {
  if (body.channel?.id && body.message?.ts) await d.client.chat.update({ channel: body.channel.id, ts: body.message.ts, text, blocks: plainSection(text) });
};

const BUTTONS: Record<string, { gate: Gate; run: ButtonHandler }> = {
  [ACTION.claim]: { gate: 'team', run: async (d, { ticket }, _b, who) => void (await d.ctx.tickets.claim(ticket.number, await who())) },
  // Accepting the offer automatic assignment made by DM: a claim, and the DM says it is taken.
  [ACTION.accept]: {
    gate: 'team',
    run: async (d, { ticket }, b, who) => {
      await d.ctx.tickets.claim(ticket.number, await who());
      const lang = d.ctx.config.directory.find({ slackUserId: b.user.id })?.language ?? 'en';
      await settle(d, b, textsFor(lang).accepted(ticket.number));
    },
  },
  [ACTION.reply]: { gate: 'anyone', run: (d, { ticket }, b) => openModal(d, b, replyModal(ticket.number)) },
  [ACTION.resolve]: { gate: 'team', run: (d, { ticket }, b) => openModal(d, b, resolveModal(ticket.number)) },
  [ACTION.escalate]: { gate: 'team', run: (d, { ticket }, b) => openModal(d, b, escalateModal(ticket.number, teamChoices(d.teams))) },
  [ACTION.reassign]: { gate: 'team', run: (d, { ticket }, b) => openModal(d, b, reassignModal(ticket.number, teamChoices(d.teams))) },
  [ACTION.declare]: {
    gate: 'team',
    run: async (d, { ticket }, _b, who) => {
      if (!d.ctx.incidents) throw new SpocError('incidents_off', 'Major incidents are not available here.');
      await d.ctx.incidents.declare({ ticket: ticket.number }, await who());
    },
  },
  [ACTION.confirm]: {
    gate: 'requester',
    run: async (d, detail, b, who) => {
      const { ticket } = detail;
      await d.ctx.tickets.close(ticket.number, await who());
      await settle(d, b, say(detail).closedThanks(ticket.number));
    },
  },
  [ACTION.reopen]: {
    gate: 'requester',
    run: async (d, detail, b, who) => {
      const { ticket } = detail;
      await d.ctx.tickets.reopen(ticket.number, await who(), { reason: 'requester says it is not fixed' });
      await settle(d, b, say(detail).reopenedNote(ticket.number));
    },
  },
};

type Values = ViewOutput['state']['values'];
const text = (v: Values, block: string) => v[block]?.value?.value?.trim() || undefined;
const selected = (v: Values, block: string) => v[block]?.value?.selected_option?.value ?? undefined;
const user = (v: Values, block: string) => v[block]?.value?.selected_user ?? undefined;

/** A submission may answer with a view that replaces the modal (a notice of what happened instead). */
type Submission = (d: SlackDeps, number: string, v: Values, who: Actor, detail: TicketDetail, userId: string) => Promise<void | View>;

/** Modal submissions; `gate` is checked again on submit because membership may have changed since the modal opened. */
const VIEWS: Record<string, { gate: Gate; errorBlock: string; run: Submission }> = {
  [VIEW.reply]: {
    gate: 'anyone',
    errorBlock: 'body',
    run: async (d, number, v, who, detail, userId) => {
      const chosen = (v.internal?.value?.selected_options ?? []).some((o) => o.value === 'internal');
      // Only the owning team and the desk manager speak to the requester; anyone else writes a note.
      const speaks = mayWork(d.teams, detail.ticket.team, userId);
      await d.ctx.tickets.reply(number, who, { body: text(v, 'body') ?? '', internal: chosen || !speaks });
      if (!chosen && !speaks) {
        d.log.info({ ticketId: detail.ticket.id, userId }, 'slack reply by a non-member kept as a note');
        return noticeModal(say(detail).keptAsNoteTitle, say(detail).keptAsNote(teamName(d, detail.ticket.team), number));
      }
    },
  },
  [VIEW.resolve]: {
    gate: 'team',
    errorBlock: 'resolution',
    run: async (d, number, v, who) => void (await d.ctx.tickets.resolve(number, who, { resolution: text(v, 'resolution') ?? '' })),
  },
  [VIEW.escalate]: {
    gate: 'team',
    errorBlock: 'team',
    run: async (d, number, v, who) => {
      const team = selected(v, 'team');
      const why = text(v, 'reason');
      await d.ctx.tickets.escalate(number, who, { ...(team ? { team } : {}), ...(why ? { reason: why } : {}) });
    },
  },
  [VIEW.reassign]: {
    gate: 'team',
    errorBlock: 'team',
    run: async (d, number, v, who) => {
      const team = selected(v, 'team');
      const assignee = user(v, 'assignee');
      if (!team && !assignee) throw new SpocError('bad_request', 'Pick a team or an agent.');
      await d.ctx.tickets.reassign(number, who, { ...(team ? { team } : {}), ...(assignee ? { assignee: `slack:${assignee}` } : {}) });
    },
  },
};

export function registerActionListeners(app: App, d: SlackDeps, people: People) {
  for (const [actionId, { gate, run }] of Object.entries(BUTTONS)) {
    app.action<ButtonBody>(actionId, async ({ ack, body, action }) => {
      await ack();
      const detail = await d.ctx.tickets.get((action as ButtonAction).value ?? '');
      if (!detail) return refuse(d, body, textsFor(await languageOf(d, body.user.id)).gone);
      if (!allowed(d, gate, detail, body.user.id)) {
        d.log.info({ ticketId: detail.ticket.id, actionId, userId: body.user.id }, 'slack action refused');
        return refuse(d, body, refusal(d, gate, detail));
      }
      try {
        await run(d, detail, body, () => actor(d, people, body.user.id));
      } catch (err) {
        await refuse(d, body, reason(err));
      }
    });
  }
  // The link button opens a URL in the browser; Slack still reports the click and wants an ack.
  app.action(ACTION.link, async ({ ack }) => ack());

  for (const [callbackId, { gate, errorBlock, run }] of Object.entries(VIEWS)) {
    app.view<SlackViewAction>(callbackId, async ({ ack, body, view }) => {
      const number = view.private_metadata;
      const detail = await d.ctx.tickets.get(number);
      if (!detail) return ack({ response_action: 'errors', errors: { [errorBlock]: `${number} no longer exists.` } });
      if (!allowed(d, gate, detail, body.user.id)) return ack({ response_action: 'errors', errors: { [errorBlock]: refusal(d, gate, detail) } });
      let notice: void | View;
      try {
        notice = await run(d, number, view.state.values, await actor(d, people, body.user.id), detail, body.user.id);
      } catch (err) {
        return ack({ response_action: 'errors', errors: { [errorBlock]: reason(err) } });
      }
      await ack(notice ? { response_action: 'update', view: notice } : undefined);
    });
  }
}
