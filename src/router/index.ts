/** The router's public API: compile configuration once, route contacts, do SLA arithmetic, explain. */
export { createRouter, type Router, type RouterConfig } from './route.js';
export { loadRouterConfig } from './load.js';
export { addBusinessMinutes, businessMinutesBetween, type BusinessCalendar } from './calendar.js';
export { formatTrace } from './explain.js';
export { requesterProfile } from './profile.js';
export {
  runRuleTests,
  formatRuleTestReport,
  ruleTestsFileSchema,
  type RuleTestsFile,
  type RuleTestReport,
  type RuleTestFailure,
} from './rule-tests.js';
export { routerGatewaySchema, rulesFileSchema, type RouterGatewayConfig, type RulesFileConfig } from './config-schema.js';
export type { RouteInput, RouteDecision, TraceEntry, RequesterProfile, Level, Priority, Tier } from './types.js';
