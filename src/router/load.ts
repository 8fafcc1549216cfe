import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { readYamlFile, type ConfigSource } from '../config/yaml.js';
import { examplesFileSchema, routerGatewaySchema, rulesFileSchema } from './config-schema.js';
import { servicesFileSchema } from './services.js';
import type { RouterConfig } from './route.js';

/**
 * Reads `<configDir>/gateway.yaml`, `<configDir>/rules.yaml`, the service catalogue `services.yaml` if there is one, and the example files its `learning` names
 * (the router's only I/O). Pass the full
 * gateway schema (routerGatewaySchema extended with channels and intake) to validate the whole file at once.
 */
export function loadRouterConfig(configDir: string, gatewaySchema: z.ZodType<z.output<typeof routerGatewaySchema>> = routerGatewaySchema): RouterConfig {
  const gateway = readYamlFile(join(configDir, 'gateway.yaml'), gatewaySchema);
  const rules = readYamlFile(join(configDir, 'rules.yaml'), rulesFileSchema);
  const folder = rules.value.learning?.examples;
  const examples = folder === undefined ? [] : listYaml(join(configDir, folder), rules.source).map((f) => readYamlFile(join(configDir, folder, f), examplesFileSchema));
  const servicesFile = join(configDir, 'services.yaml');
  const services = existsSync(servicesFile) ? readYamlFile(servicesFile, servicesFileSchema) : undefined;
  return { gateway: gateway.value, rules: rules.value, sources: { gateway: gateway.source, rules: rules.source }, examples, ...(services ? { services } : {}) };
}

function listYaml(dir: string, rules: ConfigSource): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  } catch (err) {
    throw rules.error(['learning', 'examples'], `cannot read the folder ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
