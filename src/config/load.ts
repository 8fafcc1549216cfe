import { resolve } from 'node:path';
import { createRouter, loadRouterConfig, type Router } from '../router/index.js';
import { gatewaySchema, type GatewayConfig, type SpocConfig } from './schema.js';
import { loadDirectory } from './directory.js';
import { checkLoopCalendar } from '../ticketing/loop-config.js';
import { inlineSource } from './yaml.js';
import { checkSurveyTeam } from '../survey/config.js';

/**
 * Reads and validates config/gateway.yaml, rules.yaml and directory.yaml, and compiles the rules, so a
 * mistake stops the boot (or `spoc check-config`) with the file, the line and the reason.
 */
export function loadConfig(dir: string): { config: SpocConfig; router: Router } {
  const abs = resolve(dir);
  const routerConfig = loadRouterConfig(abs, gatewaySchema);
  const router = createRouter(routerConfig);
  const gateway = routerConfig.gateway as GatewayConfig;
  const source = routerConfig.sources?.gateway ?? inlineSource('config/gateway.yaml');
  checkLoopCalendar(gateway.loop, router.gateway.calendars, source);
  checkSurveyTeam(gateway.survey, gateway.teams, source);
  const directory = loadDirectory(abs);
  return {
    // The router keeps what it compiled; the parsed rules and examples (with their YAML trees) are let go.
    config: { dir: abs, gateway: routerConfig.gateway as GatewayConfig, directory },
    router,
  };
}
