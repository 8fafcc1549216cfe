import { z } from 'zod';

const calendarId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'expected a calendar id');

/** One member's own shift and capacity, where they differ from the team's. */
const agentSchema = z.strictObject({
  /** The business calendar this agent works on (gateway.yaml `calendars`). */
  shift: calendarId.optional(),
  /** Open tickets this agent may hold under `least_loaded`. */
  capacity: z.number().int().positive().optional(),
});

/**
 * `teams.<id>.assignment` in gateway.yaml: who of the team gets a new ticket. `claim` leaves it to
 * whoever presses Claim; `round_robin` offers it to the next member in turn; `least_loaded` to the
 * member with the fewest open tickets below their capacity. Off-shift and (with Slack) `away`
 * members are skipped; an offer not accepted within `reservationMinutes` goes to the next member.
 */
export const teamAssignmentSchema = z
  .strictObject({
    policy: z.enum(['claim', 'round_robin', 'least_loaded']).default('claim'),
    reservationMinutes: z.number().positive().max(1440).default(5),
    /** Default open-ticket capacity per member (least_loaded). */
    capacity: z.number().int().positive().default(10),
    /** Default shift of the members: a calendar id; absent = always on shift. */
    shift: calendarId.optional(),
    /** Per-member overrides, keyed by the member's Slack user id. */
    agents: z.record(z.string(), agentSchema).default({}),
  })
  .prefault({});
export type TeamAssignmentConfig = z.output<typeof teamAssignmentSchema>;
export type AssignmentPolicy = TeamAssignmentConfig['policy'];
