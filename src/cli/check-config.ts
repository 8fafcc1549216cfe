import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Directory } from '../config/directory.js';
import { ConfigError, readYamlFile } from '../config/yaml.js';
import { formatRuleTestReport, ruleTestsFileSchema, runRuleTests, type Router } from '../router/index.js';
import { identityOf } from './route.js';

export interface CheckConfigResult {
  ok: boolean;
  output: string;
}

/**
 * `spoc check-config`: loads and validates the configuration (through `load`, which throws ConfigError
 * with file and line), then runs rules.test.yaml and reports each failing case as a difference.
 */
export function checkConfig(configDir: string, load: (dir: string) => { router: Router; directory: Directory }, now = new Date()): CheckConfigResult {
  try {
    const { router, directory } = load(configDir);
    const learning = router.learned ? `, learning from ${router.learned.examples} labelled examples` : '';
    const lines = [`${configDir}: gateway.yaml, rules.yaml (${router.rules.rules.length} rules${learning}) and directory.yaml (${directory.people.length} people) are valid`];
    const testsPath = join(configDir, 'rules.test.yaml');
    if (!existsSync(testsPath)) return { ok: true, output: [...lines, 'no rules.test.yaml: no rule tests run'].join('\n') };
    const { value, source } = readYamlFile(testsPath, ruleTestsFileSchema);
    const report = runRuleTests(router, value, { resolveRequester: (from, channel) => directory.profile(identityOf(from), channel), source, now });
    lines.push(formatRuleTestReport(report, testsPath));
    return { ok: report.failed.length === 0, output: lines.join('\n') };
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, output: err.message };
    throw err;
  }
}
