import { workerData } from 'node:worker_threads';
import { serveThreadRequests } from '../shared/thread-pool.js';
import { loadRouterConfig } from './load.js';
import { createRouter } from './route.js';
import type { RouteDecision, RouteInput } from './types.js';

/** What route-ahead starts this thread with: the folder spoc's own router was loaded from. */
export interface RouteThreadData {
  configDir: string;
}

const router = createRouter(loadRouterConfig((workerData as RouteThreadData).configDir));
serveThreadRequests<RouteInput, RouteDecision>((input) => router.route(input));
