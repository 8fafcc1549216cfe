import { z } from 'zod';

/**
 * gateway.yaml `reports`: the desk's targets (drawn as lines on the dashboard's charts) and the
 * reports' defaults. The reference documents set the first four.
 */
export const reportsConfigSchema = z.strictObject({
  targets: z
    .strictObject({
      /** Mean time to first response, minutes. */
      respondMinutes: z.number().positive().default(15),
      phoneAnswerRatePercent: z.number().min(0).max(100).default(98),
      satisfactionPercent: z.number().min(0).max(100).default(90),
      availabilityPercent: z.number().min(0).max(100).default(99),
      /** Respond and resolve attainment. */
      slaAttainmentPercent: z.number().min(0).max(100).default(90),
      firstContactPercent: z.number().min(0).max(100).default(70),
    })
    .prefault({}),
  /** Recurring problems: a requester with more tickets than this in the range is listed. */
  recurringMinTickets: z.number().int().min(1).default(3),
  /** How often the dashboard reloads its figures. */
  refreshSeconds: z.number().int().min(10).default(60),
  /** How long the Prometheus gauges reuse their last computation. */
  metricsCacheSeconds: z.number().int().min(1).default(30),
});
export type ReportsConfig = z.output<typeof reportsConfigSchema>;
export type ReportTargets = ReportsConfig['targets'];
