import { describe, expect, it } from 'vitest';
import { ConfigError, parseYamlText } from '../../src/config/yaml.js';
import { createRouter, routerGatewaySchema, rulesFileSchema } from '../../src/router/index.js';
import { miniGatewayText, miniRouter } from './helpers.js';

/** The ConfigError a rules file raises, or a failure if it compiles. */
function errorOf(rulesYaml: string): ConfigError {
  try {
    miniRouter(rulesYaml);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected the rules to be rejected');
}

const ok = `rules:
  - id: vpn
    when: { keywords: { any: [vpn] } }
    set: { team: network }
`;

describe('rule compiler: bad rule files are rejected with file, line and reason', () => {
  it('accepts a good file', () => {
    expect(miniRouter(ok).rules.rules).toHaveLength(1);
  });

  it('a keyword list written as a string', () => {
    const err = errorOf(`rules:
  - id: vpn
    when:
      keywords:
        any: vpn
    set: { team: network }
`);
    expect(err.message).toBe('rules.yaml:5: rules[0].when.keywords.any: expected array, received string');
    expect(err).toMatchObject({ code: 'config_invalid', file: 'rules.yaml', line: 5 });
  });

  it('an unknown key points at the key', () => {
    const err = errorOf(`${ok}  - id: second
    wen: { channel: email }
    set: { team: desk }
`);
    expect(err.message).toBe('rules.yaml:6: rules[1].wen: unknown key "wen"');
  });

  it('a bad regular expression', () => {
    const err = errorOf(`rules:
  - id: re
    when:
      regex: "INC-(\\\\d+"
    set: { team: desk }
`);
    expect(err.line).toBe(4);
    expect(err.reason).toMatch(/^rules\[0\]\.when\.regex: bad regular expression/);
  });

  it('an unknown team, type, SLA policy or calendar', () => {
    expect(errorOf(`${ok}  - id: t
    set: { team: helpdesk }
`).message).toMatch(/^rules\.yaml:6: rules\[1\]\.set\.team: unknown team "helpdesk" \(known: desk, manager/);
    expect(errorOf(`${ok}  - id: t
    set:
      type: problem
`).message).toMatch(/^rules\.yaml:7: rules\[1\]\.set\.type: unknown type "problem"/);
    expect(errorOf(`${ok}  - id: t
    set: { slaPolicy: gold }
`).message).toBe('rules.yaml:6: rules[1].set.slaPolicy: unknown SLA policy "gold"');
    expect(errorOf(`${ok}  - id: t
    when:
      time: { inside: 9x5 }
    set: { team: desk }
`).message).toBe('rules.yaml:7: rules[1].when.time.inside: unknown calendar "9x5"');
  });

  it('a duplicate id points at the second one', () => {
    expect(errorOf(`${ok}  - id: vpn
    set: { team: desk }
`).message).toBe('rules.yaml:5: rules[1].id: duplicate rule id "vpn" (first at rules[0])');
  });

  it('a team and tier that disagree', () => {
    expect(errorOf(`${ok}  - id: t
    set: { team: network, tier: L3 }
`).message).toBe('rules.yaml:6: rules[1].set.tier: team "network" is L2, not L3');
  });

  it('a keyword that is empty once normalised, and broken YAML', () => {
    expect(errorOf(`rules:
  - id: t
    when: { keywords: { any: [vpn, "  "] } }
`).message).toBe('rules.yaml:3: rules[0].when.keywords.any[1]: keyword "  " is empty once normalised');
    expect(errorOf(`rules:
  - id: t
    when: { keywords: { any: [vpn }
`).line).toBe(3);
  });

  it("a team's assignment shift must be a calendar, named with its line", () => {
    const text = miniGatewayText().replace('network: { tier: L2, name: Network }', 'network: { tier: L2, name: Network, assignment: { policy: round_robin, shift: nights } }');
    const gateway = parseYamlText(text, 'gateway.yaml', routerGatewaySchema);
    const rules = parseYamlText(ok, 'rules.yaml', rulesFileSchema);
    const line = text.split('\n').findIndex((l) => l.includes('nights')) + 1;
    expect(() => createRouter({ gateway: gateway.value, rules: rules.value, sources: { gateway: gateway.source, rules: rules.source } })).toThrow(
      `gateway.yaml:${line}: teams.network.assignment.shift: unknown calendar "nights" (known: 7x24, 5x8)`,
    );
  });

  it('gateway references are checked too', () => {
    const text = miniGatewayText().replace('prefix: ASK, calendar: 5x8', 'prefix: ASK, calendar: 6x8');
    const gateway = parseYamlText(text, 'gateway.yaml', routerGatewaySchema);
    const rules = parseYamlText(ok, 'rules.yaml', rulesFileSchema);
    const line = text.split('\n').findIndex((l) => l.includes('6x8')) + 1;
    expect(() => createRouter({ gateway: gateway.value, rules: rules.value, sources: { gateway: gateway.source, rules: rules.source } })).toThrow(
      `gateway.yaml:${line}: types[1].calendar: unknown calendar "6x8" (known: 7x24, 5x8)`,
    );
  });

  it('indexes rules by their keywords, and rules without keywords run for every contact', () => {
    const router = miniRouter(`rules:
  - { id: a, when: { keywords: { any: [vpn, wifi] } }, set: { team: network } }
  - { id: b, when: { keywords: { all: [erp, down] } }, set: { team: apps } }
  - { id: c, when: { channel: email }, set: { team: desk } }
  - { id: d, when: { keywords: { none: [thanks] } }, set: { tags: [x] } }
`);
    expect(router.rules.unconditional).toEqual([2, 3]);
    expect([...router.rules.byKeyword.values()].flat().sort()).toEqual([0, 0, 1]);
  });
});
