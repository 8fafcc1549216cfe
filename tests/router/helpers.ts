import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadDirectory } from '../../src/config/directory.js';
import { parseYamlText, readYamlFile } from '../../src/config/yaml.js';
import { createRouter, loadRouterConfig, routerGatewaySchema, rulesFileSchema } from '../../src/router/index.js';

/** The repository's config directory: tests run the shipped defaults. */
export const CONFIG_DIR = fileURLToPath(new URL('../../config', import.meta.url));

export function defaultRouter() {
  return createRouter(loadRouterConfig(CONFIG_DIR));
}

export function defaultDirectory() {
  return loadDirectory(CONFIG_DIR);
}

const MINI_GATEWAY = fileURLToPath(new URL('./fixtures/mini-gateway.yaml', import.meta.url));

/** A router over the small test gateway and the given rules.yaml text, with positions for error lines. */
export function miniRouter(rulesYaml: string) {
  const gateway = readYamlFile(MINI_GATEWAY, routerGatewaySchema, 'gateway.yaml');
  const rules = parseYamlText(rulesYaml, 'rules.yaml', rulesFileSchema);
  return createRouter({ gateway: gateway.value, rules: rules.value, sources: { gateway: gateway.source, rules: rules.source } });
}

/** Parses the mini gateway text after `edit`, for gateway error tests. */
export function miniGatewayText(): string {
  return readFileSync(MINI_GATEWAY, 'utf8');
}
