import { join } from 'node:path';
import type { z } from 'zod';
import { readYamlFile } from '../config/yaml.js';
import { routerGatewaySchema, rulesFileSchema } from './config-schema.js';
import type { RouterConfig } from './route.js';

/**
 * Reads `<configDir>/gateway.yaml` and `<configDir>/rules.yaml` (the router's only I/O). Pass the full
 * gateway schema (routerGatewaySchema extended with channels and intake) to validate the whole file at once.
 */
export function loadRouterConfig(configDir: string, gatewaySchema: z.ZodType<z.output<typeof routerGatewaySchema>> = routerGatewaySchema): RouterConfig {
  const gateway = readYamlFile(join(configDir, 'gateway.yaml'), gatewaySchema);
  const rules = readYamlFile(join(configDir, 'rules.yaml'), rulesFileSchema);
  return { gateway: gateway.value, rules: rules.value, sources: { gateway: gateway.source, rules: rules.source } };
}
