import { SpocError } from '../shared/errors.js';
import type { DispatchRegistry, JobHandler, JobOptions, Subscription } from './types.js';

export const DEFAULT_JOB_OPTIONS: Required<JobOptions> = { attempts: 8, backoffMs: 1000 };

/** A handler with its options filled in from the defaults. */
export interface RegisteredJob {
  handler: JobHandler;
  options: Required<JobOptions>;
}

/**
 * The registry as the runners and the store see it: runners look handlers up by job type, the store
 * reads the subscriptions to know which outbox jobs an event creates.
 */
export interface HandlerRegistry extends DispatchRegistry {
  get(jobType: string): RegisteredJob | undefined;
  /** The live list: the store may hold it before channels subscribe, and sees later subscriptions. */
  subscriptions(): readonly Subscription[];
}

export function createDispatchRegistry(): HandlerRegistry {
  const jobs = new Map<string, RegisteredJob>();
  const subs: Subscription[] = [];
  return {
    register(jobType, handler, opts = {}) {
      if (jobs.has(jobType)) throw new SpocError('job_type_registered', `job type ${jobType} is registered twice`, 500);
      jobs.set(jobType, { handler, options: { ...DEFAULT_JOB_OPTIONS, ...opts } });
    },
    subscribe(sub) {
      subs.push({ ...sub, events: [...sub.events], ...(sub.channels ? { channels: [...sub.channels] } : {}) });
    },
    get: (jobType) => jobs.get(jobType),
    subscriptions: () => subs,
  };
}
