import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkConfig } from '../../src/cli/check-config.js';
import { routeExplain } from '../../src/cli/route.js';
import { loadDirectory } from '../../src/config/directory.js';
import { readYamlFile } from '../../src/config/yaml.js';
import { createRouter, formatRuleTestReport, loadRouterConfig, ruleTestsFileSchema, runRuleTests } from '../../src/router/index.js';
import { CONFIG_DIR, defaultDirectory, defaultRouter } from './helpers.js';

const load = (dir: string) => ({ router: createRouter(loadRouterConfig(dir)), directory: loadDirectory(dir) });
const temps: string[] = [];
function configCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spoc-config-'));
  temps.push(dir);
  cpSync(CONFIG_DIR, dir, { recursive: true });
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('config/rules.test.yaml', () => {
  it('every shipped case passes against the shipped rules', () => {
    const { value, source } = readYamlFile(join(CONFIG_DIR, 'rules.test.yaml'), ruleTestsFileSchema);
    const directory = defaultDirectory();
    const report = runRuleTests(defaultRouter(), value, { source, resolveRequester: (from, channel) => directory.profile(from.includes('@') ? { email: from } : { phone: from }, channel) });
    expect(report.failed.map((f) => f.name)).toEqual([]);
    expect(report.passed).toBeGreaterThanOrEqual(40);
  });

  it('a failing case reports each differing field with its line', () => {
    const router = defaultRouter();
    const report = runRuleTests(router, {
      cases: [{ name: 'vpn', channel: 'email', subject: '', body: 'VPN keeps dropping', meta: {}, expect: { team: 'desktop', tier: 'L2', tags: ['x'] } }],
    });
    expect(report.passed).toBe(0);
    expect(report.failed[0]!.differences).toEqual([
      { field: 'team', expected: 'desktop', actual: 'network' },
      { field: 'tags', expected: ['x'], actual: [] },
    ]);
    const text = formatRuleTestReport(report, 'config/rules.test.yaml');
    expect(text).toContain('config/rules.test.yaml: case "vpn" failed');
    expect(text).toContain('    team: expected "desktop", got "network"');
    expect(text).toContain('0/1 rule tests passed');
  });
});

describe('spoc check-config', () => {
  it('passes on the shipped configuration', () => {
    const result = checkConfig(CONFIG_DIR, load);
    expect(result.ok).toBe(true);
    expect(result.output).toMatch(/(\d+)\/\1 rule tests passed/);
    expect(result.output).toMatch(/rules, learning from \d+ labelled examples/);
  });

  it('fails with file:line: reason on a broken rule', () => {
    const dir = configCopy();
    const path = join(dir, 'rules.yaml');
    const text = readFileSync(path, 'utf8').replace('set: { type: service_request, category: account, team: service-desk }', 'set: { type: service_request, category: account, team: helpdesk }');
    writeFileSync(path, text);
    const line = text.split('\n').findIndex((l) => l.includes('team: helpdesk')) + 1;
    const result = checkConfig(dir, load);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}: rules\\[\\d+\\]\\.set\\.team: unknown team "helpdesk"`));
  });

  it('fails with a readable difference when a rule change breaks a case', () => {
    const dir = configCopy();
    const path = join(dir, 'rules.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('set: { type: incident, category: vpn, team: network }', 'set: { type: incident, category: remote-access, team: network }'));
    const result = checkConfig(dir, load);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/rules\.test\.yaml:\d+: case "VPN fault" failed\n {4}category: expected "vpn", got "remote-access"\n {4}because: /);
  });

  it('says so when the examples overrule a rule change, and routes by the rules alone without learning', () => {
    const dir = configCopy();
    const path = join(dir, 'rules.yaml');
    const moved = readFileSync(path, 'utf8').replace('set: { type: incident, category: vpn, team: network }', 'set: { type: incident, category: vpn, team: desktop }');
    writeFileSync(path, moved);
    const result = checkConfig(dir, load);
    // Every VPN example says network: they still win, and check-config says which cases they decided.
    expect(result.output).toMatch(/rules\.test\.yaml:\d+: case "VPN fault": the examples overruled the rules: team "network" \(the rules say "desktop"\)/);
    expect(result.output).toMatch(/rule tests passed; on \d+ the examples overruled the rules/);
    writeFileSync(path, moved.replace(/^learning:\n(  .*\n)+/m, ''));
    // and without the service catalogue, which also knows the VPN is the network team's
    rmSync(join(dir, 'services.yaml'));
    const alone = checkConfig(dir, load);
    expect(alone.ok).toBe(false);
    expect(alone.output).toMatch(/case "VPN fault" failed\n {4}team: expected "network", got "desktop"/);
  });
});

describe('spoc route --explain', () => {
  const deps = { router: defaultRouter(), directory: defaultDirectory() };
  it('prints the decision, the requester and the trace', () => {
    const text = routeExplain(deps, { text: '我的电脑开不了机', channel: 'voice', from: '+8613800138003' }, new Date('2026-03-04T10:00:00+08:00'));
    expect(text).toContain('requester 李强 (Executive, VIP)');
    expect(text).toContain('assigned  L2 desktop');
    expect(text).toContain('@priority — VIP requester');
  });

  it('prints JSON with --json', () => {
    const decision = JSON.parse(routeExplain(deps, { text: 'VPN down for all users', json: true }, new Date('2026-03-04T10:00:00+08:00')));
    expect(decision).toMatchObject({ type: 'incident', team: 'network', priority: 'P1', requester: null });
    expect(decision.trace.length).toBeGreaterThan(0);
  });

  it('rejects an unknown channel', () => {
    expect(() => routeExplain(deps, { text: 'x', channel: 'fax' })).toThrow(/unknown channel "fax"/);
  });
});

describe('directory', () => {
  it('finds people by email, phone or Slack id', () => {
    const directory = defaultDirectory();
    expect(directory.profile({ email: 'JAMES.MILLER@example.com' }, 'email')).toMatchObject({ name: 'James Miller', vip: true, department: 'Executive' });
    // Typed into the portal or the chat, nothing proves it is him: no VIP priority.
    expect(directory.profile({ email: 'james.miller@example.com' }, 'web')).toMatchObject({ name: 'James Miller', vip: false });
    expect(directory.find({ phone: '+8613800138001' })?.name).toBe('张伟');
    expect(directory.find({ slackUserId: 'U01PRIYAN' })?.language).toBe('en');
    expect(directory.profile({ email: 'nobody@example.com' }, 'email')).toBeUndefined();
    expect(directory.people.filter((p) => p.vip).length).toBeGreaterThanOrEqual(2);
  });
});
