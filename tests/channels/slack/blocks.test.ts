import { describe, expect, it } from 'vitest';
import { ACTION, homeView, resolutionPrompt, ticketCard, type CardInput } from '../../../src/channels/slack/blocks.js';
import type { Ticket } from '../../../src/ticketing/types.js';

const ticket: Ticket = {
  id: 't1', number: 'INC-000042', type: 'incident', category: 'network.vpn', impact: 'medium', urgency: 'high', priority: 'P2',
  tier: 'L2', team: 'network', status: 'new', subject: 'VPN <drops> & reconnects', channel: 'email', requesterId: 'r1',
  slaPolicy: 'incident', calendar: '7x24', respondBy: '2025-11-21T08:15:00.000Z', resolveBy: '2025-11-21T12:00:00.000Z',
  tags: [], reason: 'rule vpn: keywords any "vpn"', createdAt: '2025-11-21T08:00:00.000Z', updatedAt: '2025-11-21T08:00:00.000Z',
};
const input: CardInput = {
  ticket,
  requester: { id: 'r1', name: 'Li Lei', email: 'li.lei@example.com', vip: false },
  summary: 'Since this morning',
  timezone: 'Asia/Shanghai',
  url: 'https://desk.example.com/api/v1/tickets/INC-000042',
  teamName: 'Network',
};
const json = (v: unknown) => JSON.stringify(v);
const actionIds = (blocks: ReturnType<typeof ticketCard>) =>
  blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => ('action_id' in e ? e.action_id : undefined)) : []));

describe('ticketCard', () => {
  it('shows number, type, priority, requester, origin, subject, summary, due times in the desk zone and the reason', () => {
    const text = json(ticketCard(input));
    for (const part of ['INC-000042 · P2 · incident', 'Li Lei', '*From*\\nemail', 'VPN &lt;drops&gt; &amp; reconnects', 'Since this morning', '2025-11-21 16:15 GMT+8', '2025-11-21 20:00 GMT+8', 'Routed: rule vpn', 'Network (L2)']) {
      expect(text).toContain(part);
    }
    // A fault report can be declared a major incident (a parent, tagged major-incident, cannot).
    expect(actionIds(ticketCard(input))).toEqual([ACTION.claim, ACTION.reply, ACTION.escalate, ACTION.reassign, ACTION.resolve, ACTION.declare, ACTION.link]);
    expect(actionIds(ticketCard({ ...input, ticket: { ...input.ticket, tags: ['major-incident'] } }))).not.toContain(ACTION.declare);
    expect(text).toContain(input.url);
  });

  it('drops Claim once someone owns it and shows them', () => {
    const blocks = ticketCard({ ...input, ticket: { ...ticket, status: 'in_progress', assignee: 'slack:U0AGENT' } });
    expect(actionIds(blocks)).not.toContain(ACTION.claim);
    expect(json(blocks)).toContain('<@U0AGENT>');
  });

  it('shows an automatic offer with its deadline (still claimable), and says so when nobody is available', () => {
    const offered = ticketCard({ ...input, ticket: { ...ticket, status: 'assigned', assignee: 'slack:U0AGENT' }, assignment: { offeredUntil: '2025-11-21T08:20:00.000Z' } });
    expect(json(offered)).toContain('<@U0AGENT> (offered, until 2025-11-21 16:20 GMT+8)');
    expect(actionIds(offered)).toContain(ACTION.claim);
    const nobody = json(ticketCard({ ...input, ticket: { ...ticket, status: 'new' }, assignment: { nobody: 'round_robin: nobody available (U1 <away>)' } }));
    expect(nobody).toContain('nobody available: waiting with the team');
    expect(nobody).toContain('U1 &lt;away&gt;');
  });

  it('leaves only the link on a closed ticket', () => {
    expect(actionIds(ticketCard({ ...input, ticket: { ...ticket, status: 'closed' } }))).toEqual([ACTION.link]);
  });
});

describe('employee messages', () => {
  it('asks to confirm or reopen with the ticket number on both buttons', () => {
    const { blocks, text } = resolutionPrompt(ticket, 'Reinstalled the VPN client');
    expect(text).toContain('INC-000042');
    expect(json(blocks)).toContain('Reinstalled the VPN client');
    const buttons = blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
    expect(buttons.map((b) => ('action_id' in b ? [b.action_id, 'value' in b ? b.value : undefined] : []))).toEqual([
      [ACTION.confirm, 'INC-000042'],
      [ACTION.reopen, 'INC-000042'],
    ]);
  });

  it('home shows the agent section only to agents', () => {
    expect(json(homeView({ requested: [ticket], timezone: 'UTC' }))).not.toContain('Your open tickets');
    const agent = json(homeView({ assigned: [ticket], requested: [], timezone: 'UTC' }));
    expect(agent).toContain('Your open tickets');
    expect(agent).toContain('*INC-000042* P2');
  });
});
