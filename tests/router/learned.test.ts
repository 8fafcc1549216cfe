import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYamlText } from '../../src/config/yaml.js';
import { examplesFileSchema } from '../../src/router/config-schema.js';
import { createRouter, formatTrace, loadRouterConfig } from '../../src/router/index.js';
import { contactFeatures, trainModel } from '../../src/router/learned.js';
import { MINI_GATEWAY, miniRouter } from './helpers.js';
const WED_10 = new Date('2026-03-04T10:00:00+08:00');

// The rules send everything about printers to the desk as an inquiry; the desk's examples know better.
const RULES = `fallback: { type: inquiry, faultType: incident, faultWords: [broken] }
learning: { examples: examples }
rules:
  - id: printer
    description: printers
    when: { keywords: { any: [printer, 打印机] } }
    set: { category: printer, team: desk }
  - id: complaint
    description: complaints win outright
    when: { keywords: { any: [complaint, 投诉] } }
    set: { type: complaint, team: manager }
    stop: true
`;

const faults = [
  'the printer prints blank pages', 'printer jams on every page', 'printer shows a paper jam', 'the office printer smears toner',
  '打印机卡纸了', '打印机打出来是白纸', '打印机一直卡纸', '打印机打印有黑条',
];
const questions = ['where is the printer on floor 3', 'how do I add the printer to my laptop', '打印机在哪里', '怎么连接打印机'];
const EXAMPLES = `cases:
${faults.map((b) => `  - { channel: email, body: "${b}", expect: { type: incident, team: desktop } }`).join('\n')}
${questions.map((b) => `  - { channel: chat, body: "${b}", expect: { type: inquiry, team: desk } }`).join('\n')}
  - { channel: email, body: "a complaint: the printer jams and nobody came", expect: { type: incident, team: desktop } }
`;

const routerWith = (examples: string | undefined) => miniRouter(RULES, examples === undefined ? [] : [examples]);

const route = (router: ReturnType<typeof routerWith>, body: string) => router.route({ record: { channel: 'email', subject: '', body, meta: {} } }, WED_10);

describe('learning from labelled examples', () => {
  it('corrects the type and team the rules got wrong, and the trace says so with the words that weighed', () => {
    const alone = route(routerWith(undefined), 'the printer jams again');
    expect([alone.type, alone.team]).toEqual(['inquiry', 'desk']);

    const router = routerWith(EXAMPLES);
    expect(router.learned).toMatchObject({ examples: 13 });
    const d = route(router, 'the printer jams again');
    expect([d.type, d.team, d.tier]).toEqual(['incident', 'desktop', 'L2']);
    // The SLA and priority follow the corrected type.
    expect(d.slaPolicy).toBe('incident');
    const learned = d.trace.find((t) => t.rule === '@learned')!;
    expect(learned.set).toEqual({ type: 'incident', team: 'desktop' });
    expect(learned.matched.join(' ')).toMatch(/type incident rather than inquiry \(\d+%\): .*"jams"/);
    expect(d.trace.find((t) => t.rule === 'printer')!.overriddenBy).toEqual({ team: '@learned' });
    expect(d.trace.find((t) => t.rule === '@fallback')!.overriddenBy).toEqual({ type: '@learned' });
    expect(d.reason).toContain('type and team from the examples');
    expect(formatTrace(d)).toContain('@learned');

    // Words the examples never saw (or that lean nowhere) leave the rules' answer, whatever the examples' prior.
    const greeting = route(router, 'hello, just saying hi');
    expect([greeting.type, greeting.team]).toEqual(['inquiry', 'desk']);
    expect(greeting.trace.some((t) => t.rule === '@learned')).toBe(false);

    // Where the examples agree with the rules nothing is added to the trace.
    const question = route(router, '打印机在几楼');
    expect([question.type, question.team]).toEqual(['inquiry', 'desk']);
    expect(question.trace.some((t) => t.rule === '@learned')).toBe(false);
  });

  it('never overrules a rule that stops evaluation', () => {
    const d = route(routerWith(EXAMPLES), 'complaint: the printer jams and nobody came');
    expect([d.type, d.team]).toEqual(['complaint', 'manager']);
    expect(d.trace.some((t) => t.rule === '@learned')).toBe(false);
  });

  it('rejects an example naming an unknown type or team, with its file and line', () => {
    expect(() => routerWith(`cases:\n  - { channel: email, body: x, expect: { type: incident, team: desktop } }\n  - { channel: email, body: y, expect: { type: incident, team: plumbing } }\n`)).toThrow(
      'examples/desk.yaml:3: cases[1].expect.team: unknown team "plumbing"',
    );
    expect(() => parseYamlText('cases:\n  - { channel: fax, body: x, expect: { type: incident, team: desk } }\n', 'examples/desk.yaml', examplesFileSchema)).toThrow(/examples\/desk\.yaml:2: cases\[0\]\.channel/);
  });

  it('routes by the rules alone without examples, and a missing example folder is a config error', () => {
    expect(routerWith(undefined).learned).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'spoc-learn-'));
    try {
      writeFileSync(join(dir, 'gateway.yaml'), readFileSync(MINI_GATEWAY, 'utf8'));
      writeFileSync(join(dir, 'rules.yaml'), RULES);
      expect(() => loadRouterConfig(dir)).toThrow(/rules\.yaml:2: learning\.examples: cannot read the folder .*examples: ENOENT/);
      mkdirSync(join(dir, 'examples'));
      writeFileSync(join(dir, 'examples', 'desk.yaml'), EXAMPLES);
      writeFileSync(join(dir, 'examples', 'notes.txt'), 'not an example file');
      expect(createRouter(loadRouterConfig(dir)).learned).toMatchObject({ examples: 13 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('features: Han characters and pairs, English words and pairs, the rules verdict; a model learns from them', () => {
    const f = contactFeatures('VPN连不上 since Monday', { rules: ['vpn'], type: 'incident', typeFallback: false, team: 'network', teamDefault: true });
    expect([...f]).toEqual(expect.arrayContaining(['#type:incident', '#team:network:default', '#rule:vpn', 'w:vpn', 'w:since', 'w:since monday', '连'.charCodeAt(0), 2 ** 32 + '不'.charCodeAt(0) * 0x10000 + '上'.charCodeAt(0)]));
    // No pair across a change of script.
    expect(f.has('w:vpn since')).toBe(false);
    const view = { rules: [], type: 'y', typeFallback: true, team: 't', teamDefault: true };
    const model = trainModel(
      [
        { features: contactFeatures('printer jams', view), labels: { type: 'x', team: 't' } },
        { features: contactFeatures('the printer streaks', view), labels: { type: 'x', team: 't' } },
        { features: contactFeatures('printer offline', view), labels: { type: 'x', team: 't' } },
        { features: contactFeatures('where is it', view), labels: { type: 'y', team: 't' } },
      ],
      0.1,
    );
    // Words it never saw count for nothing; a word said twice counts once.
    const verdict = model.judge('the printer, the printer, never seen', view).type;
    expect(verdict.label).toBe('x');
    expect(verdict.evidence[0]).toBe('printer');
    expect(verdict.evidence.filter((e) => e === 'printer')).toHaveLength(1);
  });
});

