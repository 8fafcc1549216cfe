import { z } from 'zod';
import { CHANNELS } from '../intake/record.js';
import { teamAssignmentSchema } from './team-assignment-schema.js';
import { slaEscalationSchema, slaStepsSchema } from './sla-steps.js';

export const level = z.enum(['high', 'medium', 'low']);
export const priority = z.enum(['P1', 'P2', 'P3', 'P4']);
export const tier = z.enum(['L1', 'L2', 'L3']);
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'expected an id of letters, digits, "-", "_" or "."');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
/** `09:00-17:00`; `24:00` closes a period at midnight so a day can be open to its very end. */
const period = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected a period HH:MM-HH:MM');
const minutes = z.number().int().nonnegative();
const e164 = z.string().regex(/^\+[1-9]\d{4,14}$/, 'expected an E.164 number like +8613800000000');

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const weekday = z.enum(WEEKDAYS);
const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

/** Opening hours: `days` + `hours` for the common case, `week` for different periods per day (it wins). */
export const calendarSchema = z.strictObject({
  description: z.string().optional(),
  /** IANA zone; the desk's zone when absent. */
  timezone: z.string().optional(),
  days: z.array(weekday).optional(),
  hours: z.array(period).optional(),
  week: z.partialRecord(weekday, z.array(period)).optional(),
  /** Closed on the desk's holidays and open on its make-up workdays (China's adjusted weekends). */
  observeHolidays: z.boolean().default(true),
  holidays: z.array(date).default([]),
  workdays: z.array(date).default([]),
});
export type CalendarConfig = z.output<typeof calendarSchema>;

const slaTarget = z.strictObject({ respond: minutes.optional(), resolve: minutes.optional(), calendar: id.optional() });
export const slaPolicySchema = z.strictObject({
  description: z.string().optional(),
  calendar: id,
  respond: minutes,
  resolve: minutes,
  /** Share of each clock's target at which it warns (0.75: a 1 h target warns 45 min in, a 1 min target at 45 s). */
  warnAt: z.number().gt(0).lt(1).default(0.75),
  /** What stops the respond clock: an agent claiming the ticket (the default), or only the first public reply. */
  respondStops: z.enum(['claim', 'reply']).default('claim'),
  /** The escalation ladder (src/router/sla-steps.ts); absent: a warning at `warnAt` and a breach that escalates. */
  steps: slaStepsSchema.optional(),
  escalation: slaEscalationSchema.prefault({}),
  /** Per-priority overrides (incidents: P1 10 min / 1 h on 7x24 …). */
  byPriority: z.partialRecord(priority, slaTarget).optional(),
});
export type SlaPolicyConfig = z.output<typeof slaPolicySchema>;

export const ticketTypeSchema = z.strictObject({
  id,
  name: z.strictObject({ zh: z.string(), en: z.string() }),
  /** Ticket-number prefix: INC-000042. */
  prefix: z.string().regex(/^[A-Z]{3}$/, 'expected three capital letters'),
  /** The type's service hours. */
  calendar: id,
  /** The SLA policy used unless a rule sets another. */
  sla: id,
  /** Team when no rule names one (complaints go to the desk manager). */
  team: id.optional(),
  impact: level.default('low'),
  urgency: level.default('medium'),
});
export type TicketTypeConfig = z.output<typeof ticketTypeSchema>;

const matrixRow = z.strictObject({ high: priority, medium: priority, low: priority });
const wordRaise = z.strictObject({
  /** The concept the words stand for ("scope", "work stopped", "time pressure"): named in the trace. */
  signal: z.string().min(1).optional(),
  words: z.array(z.string().min(1)).default([]),
  /** Phrases that cancel the raise ("shut down" is not "down"). */
  unless: z.array(z.string().min(1)).default([]),
  impact: level.optional(),
  urgency: level.optional(),
  /** Only for these types; every type when absent. */
  types: z.array(id).optional(),
  /**
   * Words the writer uses to call it urgent ("URGENT!!!", 紧急): they raise only a contact whose impact is
   * already at least this (many people, a site, a line), so exclamation marks do not raise one person's fault.
   */
  onlyWithImpact: level.optional(),
  /** Regular expressions that count as the words do (case-insensitive), e.g. a head count: "2300人", "six trucks". */
  patterns: z.array(z.string().min(1)).default([]),
}).refine((g) => g.words.length > 0 || g.patterns.length > 0, { message: 'a raise needs words or patterns' });
export const priorityConfigSchema = z.strictObject({
  /** impact → urgency → priority. */
  matrix: z.strictObject({ high: matrixRow, medium: matrixRow, low: matrixRow }),
  vip: z.strictObject({ steps: z.number().int().min(0).max(3).default(1), atMost: priority.default('P2') }).default({ steps: 1, atMost: 'P2' }),
  words: z.array(wordRaise).default([]),
  /** Alert `meta.severity` (lower-cased) → the priority it guarantees at least. */
  severity: z.record(z.string(), priority).default({}),
  /** Several requesters reporting a fault of one service within `windowMinutes` raise its urgency (src/router/volume.ts). */
  volume: z.strictObject({ windowMinutes: z.number().int().min(1).max(120), contacts: z.number().int().min(2) }).optional(),
});

export const teamSchema = z.strictObject({
  tier,
  name: z.string(),
  slackChannel: z.string().optional(),
  members: z.array(z.string()).default([]),
  webhook: z.strictObject({ url: z.string().url(), secretEnv: z.string().optional() }).optional(),
  onCall: z.array(e164).default([]),
  /** How a new ticket finds its agent (src/assignment). */
  assignment: teamAssignmentSchema,
});
export type TeamConfig = z.output<typeof teamSchema>;

const tierSchema = z.strictObject({ name: z.string(), defaultTeam: id });

/**
 * The router's part of gateway.yaml. The top level is a plain (non-strict) object so the full gateway
 * schema can `.extend()` it with `channels:` and `intake:` and the router can still read a file that has them.
 */
export const routerGatewaySchema = z.object({
  desk: z.strictObject({
    name: z.string().default('IT Service Desk'),
    timezone: z.string().default('Asia/Shanghai'),
    language: z.enum(['zh', 'en']).default('zh'),
    holidays: z.array(date).default([]),
    workdays: z.array(date).default([]),
  }),
  calendars: z.record(id, calendarSchema),
  types: z.array(ticketTypeSchema).min(1),
  priority: priorityConfigSchema,
  sla: z.record(id, slaPolicySchema),
  tiers: z.strictObject({ L1: tierSchema, L2: tierSchema, L3: tierSchema }),
  teams: z.record(id, teamSchema),
});
export type RouterGatewayConfig = z.output<typeof routerGatewaySchema>;

const words = z.array(z.string().min(1)).min(1);
const keywordGroup = z
  .strictObject({ any: words.optional(), all: words.optional(), none: words.optional() })
  .refine((g) => g.any || g.all || g.none, 'expected any, all or none');
export const ruleSchema = z.strictObject({
  id,
  description: z.string().default(''),
  when: z
    .strictObject({
      channel: oneOrMany(z.enum(CHANNELS)).optional(),
      /** One group, or a list of groups that must all hold (e.g. a request word and a hardware word). */
      keywords: z.union([keywordGroup, z.array(keywordGroup).min(1)]).optional(),
      regex: oneOrMany(z.string().min(1)).optional(),
      requester: z
        .strictObject({
          department: oneOrMany(z.string()).optional(),
          vip: z.boolean().optional(),
          location: oneOrMany(z.string()).optional(),
          language: z.enum(['zh', 'en']).optional(),
        })
        .optional(),
      /** Channel metadata: `mailbox`, `ivr_choice`, `severity`, `label.<name>`; `"*"` means present. */
      meta: z.record(z.string(), oneOrMany(z.string())).optional(),
      time: z.strictObject({ inside: id.optional(), outside: id.optional() }).optional(),
    })
    .default({}),
  set: z
    .strictObject({
      type: id.optional(),
      category: z.string().optional(),
      service: z.string().optional(),
      impact: level.optional(),
      urgency: level.optional(),
      tier: tier.optional(),
      team: id.optional(),
      slaPolicy: id.optional(),
      tags: z.array(z.string()).optional(),
    })
    .default({}),
  stop: z.boolean().default(false),
});
export type RuleConfig = z.output<typeof ruleSchema>;

export const rulesFileSchema = z.strictObject({
  /** When no rule sets a type: `type`, or `faultType` when one of `faultWords` appears. */
  fallback: z
    .strictObject({ type: id.default('inquiry'), faultType: id.default('incident'), faultWords: z.array(z.string().min(1)).default([]) })
    .default({ type: 'inquiry', faultType: 'incident', faultWords: [] }),
  rules: z.array(ruleSchema),
  /**
   * Labelled contacts that correct the rules where they disagree (src/router/learned.ts): `examples` is a
   * folder under the config directory whose *.yaml files list `cases`. Absent: the rules decide alone.
   */
  learning: z.strictObject({ examples: z.string().min(1), smoothing: z.number().positive().max(10).default(0.2) }).optional(),
});
export type RulesFileConfig = z.output<typeof rulesFileSchema>;

/** One labelled contact: what came in, and the type and team a good agent would give it. */
export const exampleSchema = z.strictObject({
  channel: z.enum(CHANNELS),
  /** Who wrote (kept for reading the example; the learned layer looks only at the text). */
  from: z.string().optional(),
  subject: z.string().default(''),
  body: z.string().min(1),
  meta: z.record(z.string(), z.string()).default({}),
  expect: z.strictObject({ type: id, team: id, urgent: z.boolean().optional() }),
});
export const examplesFileSchema = z.strictObject({ cases: z.array(exampleSchema) });
export type ExamplesFileConfig = z.output<typeof examplesFileSchema>;
