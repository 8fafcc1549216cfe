import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadDirectory } from '../../src/config/directory.js';
import { parseYamlText, readYamlFile } from '../../src/config/yaml.js';
import { createRouter, loadRouterConfig, routerGatewaySchema, rulesFileSchema } from '../../src/router/index.js';
import { examplesFileSchema } from '../../src/router/config-schema.js';

/** The repository's config directory: tests run the shipped defaults. */
export const CONFIG_DIR = fileURLToPath(new URL('../../config', import.meta.url));

export function defaultRouter() {
  return createRouter(loadRouterConfig(CONFIG_DIR));
}

export function defaultDirectory() {
  return loadDirectory(CONFIG_DIR);
}

/** The small test gateway's path, for tests that write a config directory of their own. */
export const MINI_GATEWAY = fileURLToPath(new URL('./fixtures/mini-gateway.yaml', import.meta.url));

/**
 * A router over the small test gateway and the given rules.yaml text, with positions for error lines, and
 * the given example files' texts (`examples/desk.yaml` …) for the learned layer.
 */
export function miniRouter(rulesYaml: string, examples: readonly string[] = []) {
  const gateway = readYamlFile(MINI_GATEWAY, routerGatewaySchema, 'gateway.yaml');
  const rules = parseYamlText(rulesYaml, 'rules.yaml', rulesFileSchema);
  return createRouter({
    gateway: gateway.value,
    rules: rules.value,
    sources: { gateway: gateway.source, rules: rules.source },
    examples: examples.map((text, i) => parseYamlText(text, `examples/desk${i ? `-${i}` : ''}.yaml`, examplesFileSchema)),
  });
}

/** Parses the mini gateway text after `edit`, for gateway error tests. */
export function miniGatewayText(): string {
  return readFileSync(MINI_GATEWAY, 'utf8');
}
