import type { RulesFileConfig } from '../../src/router/index.js';

/** A small deterministic PRNG, so every run (and both engines) sees the same rules and contacts. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HAN = '网络系统服务器打印电脑邮件账号权限数据报表接口变更投诉建议安全病毒故障申请安装显示键盘鼠标财务人事生产仓库销售客户订单';
export const DEPARTMENTS = ['Finance', 'HR', 'Sales', 'Manufacturing', 'Logistics', 'IT', 'Executive', 'Legal'];
const FILLER_EN = 'hello team, since this morning I have a problem with my setup and the people around me see the same thing, could you please have a look when you can, thanks a lot';
const FILLER_ZH = '您好，今天早上开始我这边遇到一个问题，旁边的同事也有类似情况，麻烦有空帮忙看一下，谢谢';

/** Keyword i of a rule set: an English token or a three-character Chinese word, unique per i. */
function keyword(i: number): string {
  if (i % 3 !== 2) return `kw${i}z`;
  const n = HAN.length;
  return `${HAN[i % n]}${HAN[Math.floor(i / n) % n]}${HAN[Math.floor(i / (n * n)) % n]}`;
}

export interface BenchRule {
  id: string;
  keywords: string[];
  department?: string;
}

/** `count` rules of three keywords each (two English, one Chinese); every other rule also needs a department. */
export function generateRules(count: number): BenchRule[] {
  const rand = rng(count);
  return Array.from({ length: count }, (_, r) => ({
    id: `r${r}`,
    keywords: [keyword(3 * r), keyword(3 * r + 1), keyword(3 * r + 2)],
    ...(r % 2 === 1 ? { department: DEPARTMENTS[Math.floor(rand() * DEPARTMENTS.length)] } : {}),
  }));
}

export interface BenchContact {
  text: string;
  department: string;
}

/** Contacts of realistic length that mention two or three keywords of the rule set, in either language. */
export function generateContacts(rules: BenchRule[], count: number): BenchContact[] {
  const rand = rng(7);
  return Array.from({ length: count }, () => {
    const picks = Array.from({ length: 2 + Math.floor(rand() * 2) }, () => {
      const rule = rules[Math.floor(rand() * rules.length)]!;
      return rule.keywords[Math.floor(rand() * 3)]!;
    });
    const filler = rand() < 0.5 ? FILLER_EN : FILLER_ZH;
    return { text: `${filler} ${picks.join(' ')} ${filler}`, department: DEPARTMENTS[Math.floor(rand() * DEPARTMENTS.length)]! };
  });
}

/** The rule set as spoc's rules.yaml (already parsed): tags only, so every matching rule shows in the trace. */
export function toSpocRules(rules: BenchRule[]): RulesFileConfig {
  return {
    fallback: { type: 'inquiry', faultType: 'incident', faultWords: [] },
    rules: rules.map((r) => ({
      id: r.id,
      description: '',
      when: { keywords: { any: r.keywords }, ...(r.department ? { requester: { department: [r.department] } } : {}) },
      set: { tags: [r.id] },
      stop: false,
    })),
  };
}
