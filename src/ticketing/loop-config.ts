import { z } from 'zod';
import type { ConfigSource } from '../config/yaml.js';

/**
 * gateway.yaml `loop`: what drives a resolved ticket to its end without an agent.
 *
 * `autoCloseAfter` counts business days on a business calendar (the ticket's own, or `autoCloseCalendar`).
 * The older `autoCloseHours` (wall-clock hours) is still read, so a gateway.yaml written for it keeps its
 * meaning; giving both is a mistake, reported at the line.
 */
export const loopConfigSchema = z
  .strictObject({
    /** Business days a ticket stays resolved, with no objection from the requester, before the system closes it; 0 turns auto-close off. */
    autoCloseAfter: z.number().int().min(0).max(60).optional(),
    /** The calendar whose open days count; absent: the ticket's own (its SLA calendar). */
    autoCloseCalendar: z.string().min(1).optional(),
    /** Deprecated: wall-clock hours instead of business days (kept for configs written before `autoCloseAfter`). */
    autoCloseHours: z.number().min(0).optional(),
    /** A requester confirming the fix ("好了，谢谢", SMS 1, the chat or portal button) closes the ticket at once. */
    closeOnConfirm: z.boolean().default(true),
  })
  .refine((l) => l.autoCloseAfter === undefined || l.autoCloseHours === undefined, {
    message: 'give autoCloseAfter (business days) or the older autoCloseHours, not both',
    path: ['autoCloseHours'],
  })
  .transform(({ autoCloseAfter, autoCloseHours, autoCloseCalendar, closeOnConfirm }) => ({
    autoClose: autoClosePolicy(autoCloseAfter, autoCloseHours, autoCloseCalendar),
    closeOnConfirm,
  }));
export type LoopConfig = z.output<typeof loopConfigSchema>;

/** When a resolved ticket closes by itself. */
export type AutoClosePolicy =
  | { kind: 'off' }
  | { kind: 'businessDays'; days: number; calendar?: string }
  | { kind: 'hours'; hours: number };

export const DEFAULT_AUTO_CLOSE_DAYS = 3;

function autoClosePolicy(days: number | undefined, hours: number | undefined, calendar: string | undefined): AutoClosePolicy {
  if (hours !== undefined) return hours > 0 ? { kind: 'hours', hours } : { kind: 'off' };
  const n = days ?? DEFAULT_AUTO_CLOSE_DAYS;
  return n > 0 ? { kind: 'businessDays', days: n, ...(calendar ? { calendar } : {}) } : { kind: 'off' };
}

/** A named auto-close calendar must be one of gateway.yaml's `calendars`; the error names its line. */
export function checkLoopCalendar(loop: LoopConfig, calendars: ReadonlyMap<string, unknown>, source: Pick<ConfigSource, 'error'>): void {
  const named = loop.autoClose.kind === 'businessDays' ? loop.autoClose.calendar : undefined;
  if (named !== undefined && !calendars.has(named)) {
    throw source.error(['loop', 'autoCloseCalendar'], `unknown calendar "${named}" (known: ${[...calendars.keys()].join(', ')})`);
  }
}
