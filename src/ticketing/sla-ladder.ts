import { defaultSteps } from '../router/sla-steps.js';
import type { SlaPolicyConfig } from '../router/config-schema.js';
import type { SlaLadder } from './sla-plan.js';
import { DEFAULT_WARN_SHARE } from './sla-watch.js';

/** A policy's ladder from gateway.yaml: its own steps, or a warning at `warnAt` and an escalating breach. */
export function slaLadder(policy: SlaPolicyConfig | undefined): SlaLadder {
  return {
    steps: policy?.steps ?? defaultSteps(policy?.warnAt ?? DEFAULT_WARN_SHARE),
    escalation: policy?.escalation ?? { teams: {}, manager: 'channel' },
  };
}
