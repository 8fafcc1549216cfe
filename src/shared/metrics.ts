import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app instance, so tests that boot several apps in one process do not collide. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    contacts: new Counter({ name: 'spoc_contacts_total', help: 'Contacts accepted, by channel and outcome', labelNames: ['channel', 'outcome'] as const, registers: [registry] }),
    tickets: new Counter({ name: 'spoc_tickets_created_total', help: 'Tickets created, by type, priority and tier', labelNames: ['type', 'priority', 'tier'] as const, registers: [registry] }),
    routed: new Counter({
      name: 'spoc_routing_total',
      help: "Contacts routed ahead on the routing thread (where: ahead) or in their transaction (where: transaction: the thread was not ready, or the requester's profile was not the one it assumed)",
      labelNames: ['where'] as const,
      registers: [registry],
    }),
    intakeSeconds: new Histogram({
      name: 'spoc_intake_duration_seconds',
      help: 'From a contact reaching intake to its ticket being committed',
      labelNames: ['channel'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    /** Filled at scrape time from the outbox, so it is right whichever process runs the jobs. */
    gauge: (name: string, help: string, labelNames: string[], collect: (g: Gauge) => Promise<void>) =>
      new Gauge({ name, help, labelNames, registers: [registry], async collect() { await collect(this); } }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
