import { z } from 'zod';

/** What a step does: tell the assignee, show the state on the card, move up a tier, tell the desk manager. */
export const SLA_ACTIONS = ['notify', 'card', 'escalate', 'manager'] as const;
export type SlaAction = (typeof SLA_ACTIONS)[number];

const tierTeams = z.strictObject({ L2: z.string().optional(), L3: z.string().optional() });

/** One step of a policy's escalation ladder, at a share of a clock's target (1 = the due time). */
export const slaStepSchema = z.strictObject({
  /** Unique in the policy: each clock records each step once (e.g. `warning`, `breach`, `late`). */
  name: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'expected a step name of lower-case letters, digits, "-" or "_"'),
  /** Share of the span from the ticket's creation to the clock's due time: 0.75 warns, 1 is the breach, 1.5 is half the target late. */
  at: z.number().gt(0).max(10),
  do: z.array(z.enum(SLA_ACTIONS)).min(1),
  /** The clocks this step watches; both when absent. */
  clocks: z.array(z.enum(['respond', 'resolve'])).min(1).default(['respond', 'resolve']),
});
export type SlaStepConfig = z.output<typeof slaStepSchema>;

/** How a policy's `escalate` and `manager` actions reach people. */
export const slaEscalationSchema = z.strictObject({
  /** The team an `escalate` step moves a ticket to in the next tier; the tier's defaultTeam when absent. */
  teams: tierTeams.default({}),
  /** `channel`: the desk-manager team's Slack channel; `dm`: a direct message to each of its members. */
  manager: z.enum(['channel', 'dm']).default('channel'),
});
export type SlaEscalationConfig = z.output<typeof slaEscalationSchema>;

/** Steps for a policy that names none: a warning at its warn share and a breach that escalates and tells the manager. */
export function defaultSteps(warnAt: number): SlaStepConfig[] {
  return [
    { name: 'warning', at: warnAt, do: ['notify', 'card'], clocks: ['respond', 'resolve'] },
    { name: 'breach', at: 1, do: ['notify', 'card', 'escalate', 'manager'], clocks: ['respond', 'resolve'] },
  ];
}

/** Steps are checked once at load: names unique, shares strictly rising. */
export const slaStepsSchema = z
  .array(slaStepSchema)
  .min(1)
  .superRefine((steps, ctx) => {
    steps.forEach((s, i) => {
      if (steps.findIndex((o) => o.name === s.name) !== i) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `step name ${s.name} is used twice` });
      if (i > 0 && s.at <= steps[i - 1]!.at) ctx.addIssue({ code: 'custom', path: [i, 'at'], message: 'steps must be listed by rising share' });
    });
  });
