import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { types } from '@slack/bolt';
import type { DispatchRegistry, Job } from '../../dispatch/types.js';
import { SpocError } from '../../shared/errors.js';
import { SCORE_WORDS, surveySubscriptions } from '../../survey/config.js';
import type { Score } from '../../survey/survey.js';
import type { TicketDetail } from '../../ticketing/service-types.js';
import { cardUrl, employeeThread, load, post } from './jobs.js';
import type { SlackDeps } from './deps.js';
import { escapeMrkdwn, verbatimMrkdwn } from './mrkdwn.js';

/** `spoc_rate_1` … `spoc_rate_5`: one button per score, the ticket number as the value. */
export const RATE_ACTION = /^spoc_rate_([1-5])$/;
export const SLACK_SURVEY_JOB = 'slack.survey';
export const SLACK_LOW_SCORE_JOB = 'slack.low_score';

type Lang = 'zh' | 'en';
const langOf = (d: TicketDetail): Lang => d.ticket.language ?? d.requester.language ?? 'en';

const TEXT = {
  zh: {
    ask: (n: string) => `*${n}* 已关闭。您对这次服务满意吗？请打分（1 = 很不满意，5 = 非常满意）：`,
    fallback: (n: string) => `${n} 已关闭，请为这次服务打分（1–5）。`,
    thanks: (n: string, s: number) => `谢谢您的评价！您给 ${n} 打了 ${s} 分。`,
    notYours: (n: string) => `只有提出 ${n} 的人可以评价。`,
    low: (n: string, s: number, who: string) => `:warning: 满意度低：*${n}* 被 ${who} 评为 ${s} 分（满分 5 分）。`,
    comment: '评价留言',
    open: '打开工单',
  },
  en: {
    ask: (n: string) => `*${n}* is closed. How satisfied are you with how it was handled? (1 = very dissatisfied, 5 = very satisfied)`,
    fallback: (n: string) => `${n} is closed: please rate how it was handled (1–5).`,
    thanks: (n: string, s: number) => `Thank you for your rating! You gave ${n} ${s} of 5.`,
    notYours: (n: string) => `Only the person who asked can rate ${n}.`,
    low: (n: string, s: number, who: string) => `:warning: Low satisfaction: *${n}* was rated ${s} of 5 by ${who}.`,
    comment: 'Comment',
    open: 'Open ticket',
  },
};

/** The survey message: the question and five buttons, in the requester's language. */
export function surveyBlocks(number: string, lang: Lang): { text: string; blocks: types.KnownBlock[] } {
  return {
    text: TEXT[lang].fallback(number),
    blocks: [
      { type: 'section', text: verbatimMrkdwn(TEXT[lang].ask(number)) },
      {
        type: 'actions',
        block_id: 'spoc_rate_actions',
        elements: SCORE_WORDS.map((w, i) => ({ type: 'button' as const, text: { type: 'plain_text' as const, text: `${i + 1} ${w[lang]}` }, action_id: `spoc_rate_${i + 1}`, value: number })),
      },
    ],
  };
}

/** `slack.survey`: on close, the employee's thread gets the survey (once: the effect is recorded after the post). */
async function surveyJob(d: SlackDeps, job: Job) {
  if (await d.ctx.effects.get(job.key)) return;
  const detail = await load(d, job);
  if (!d.ctx.survey || detail.events.some((e) => e.type === 'rated')) return void (await d.ctx.effects.record(job.key, { skipped: 'rated already' }));
  const thread = await employeeThread(d, detail);
  const posted = await post(d, thread.channel, surveyBlocks(detail.ticket.number, langOf(detail)), thread.threadTs);
  await d.ctx.survey.sent(detail, { channel: 'slack', by: 'slack', ts: posted.ts });
  await d.ctx.effects.record(job.key, posted);
}

/**
 * `slack.low_score`: a rating at or below `survey.lowScore` is posted to the desk manager's channel (the
 * `survey.notifyTeam` team's), as complaints reach the desk manager, with the comment and the ticket's link.
 */
async function lowScoreJob(d: SlackDeps, job: Job) {
  if (await d.ctx.effects.get(job.key)) return;
  const survey = d.ctx.survey;
  const detail = await load(d, job);
  const score = Number(detail.events.find((e) => e.id === job.eventId)?.data.score);
  const comment = detail.events.find((e) => e.id === job.eventId)?.data.comment;
  const channel = survey ? d.teams[survey.config.notifyTeam]?.slackChannel : undefined;
  if (!survey || !(score <= survey.config.lowScore)) return void (await d.ctx.effects.record(job.key, { skipped: 'not a low score' }));
  if (!channel) {
    d.log.warn({ ticketId: detail.ticket.id, team: survey.config.notifyTeam }, 'low score: the team to notify has no Slack channel');
    return void (await d.ctx.effects.record(job.key, { skipped: 'no channel' }));
  }
  const lang = langOf(detail);
  const { number } = detail.ticket;
  const who = escapeMrkdwn(detail.requester.name ?? detail.requester.email ?? detail.requester.phone ?? detail.requester.id);
  const lines = [TEXT[lang].low(number, score, who), `> ${escapeMrkdwn(detail.ticket.subject)}`];
  if (typeof comment === 'string' && comment) lines.push(`${TEXT[lang].comment}: ${escapeMrkdwn(comment)}`);
  const posted = await post(d, channel, {
    text: `${number}: ${score}/5`,
    blocks: [
      { type: 'section', text: verbatimMrkdwn(lines.join('\n')) },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: TEXT[lang].open }, action_id: 'spoc_link', url: cardUrl(d, number), value: number }] },
    ],
  });
  await d.ctx.effects.record(job.key, posted);
  d.log.info({ ticketId: detail.ticket.id, score }, 'low score sent to the desk manager');
}

export function registerSlackSurvey(app: App, d: SlackDeps, dispatch: DispatchRegistry) {
  const survey = d.ctx.survey;
  if (!survey) return;
  dispatch.register(SLACK_SURVEY_JOB, (job) => surveyJob(d, job));
  for (const sub of surveySubscriptions(survey.config, SLACK_SURVEY_JOB, ['slack'])) dispatch.subscribe(sub);
  // Every rating, whichever channel it came from: the manager hears of low ones where they work.
  dispatch.register(SLACK_LOW_SCORE_JOB, (job) => lowScoreJob(d, job));
  dispatch.subscribe({ jobType: SLACK_LOW_SCORE_JOB, events: ['rated'] });

  app.action<BlockAction<ButtonAction>>(RATE_ACTION, async ({ ack, body, action }) => {
    await ack();
    const score = Number(RATE_ACTION.exec(action.action_id)?.[1]) as Score;
    const number = action.value ?? '';
    const detail = await d.ctx.tickets.get(number);
    const say = async (text: string) => {
      if (body.channel?.id) await d.client.chat.postEphemeral({ channel: body.channel.id, user: body.user.id, text: escapeMrkdwn(text) });
    };
    if (!detail) return say(`${number}?`);
    const lang = langOf(detail);
    if (detail.requester.slackUserId !== body.user.id) return say(TEXT[lang].notYours(number));
    try {
      await survey.rate(number, { id: `slack:${body.user.id}`, role: 'requester' }, { score, channel: 'slack' });
    } catch (err) {
      if (err instanceof SpocError) return say(err.message);
      throw err;
    }
    // The buttons give way to the answer, so nobody presses twice.
    const thanks = TEXT[lang].thanks(number, score);
    if (body.channel?.id && body.message?.ts) await d.client.chat.update({ channel: body.channel.id, ts: body.message.ts, text: thanks, blocks: [{ type: 'section', text: verbatimMrkdwn(escapeMrkdwn(thanks)) }] });
  });
}
