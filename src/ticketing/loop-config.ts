import { z } from 'zod';

/** gateway.yaml `loop`: what drives a resolved ticket to its end without an agent. */
export const loopConfigSchema = z.strictObject({
  /** Hours a ticket stays resolved (and not reopened) before the system closes it; 0 turns auto-close off. */
  autoCloseHours: z.number().min(0).default(72),
});
export type LoopConfig = z.output<typeof loopConfigSchema>;
