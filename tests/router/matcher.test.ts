import { describe, expect, it } from 'vitest';
import { buildMatcher, normalizeText, parseKeyword } from '../../src/router/matcher.js';

function matcher(words: string[]) {
  const m = buildMatcher(words.map(parseKeyword));
  return (text: string) => [...m.scan(normalizeText(text))].map((id) => words[id]).sort();
}

describe('keyword automaton', () => {
  it('matches English on word boundaries: "down" is not in "download"', () => {
    const find = matcher(['down', 'vpn']);
    expect(find('The download failed')).toEqual([]);
    expect(find('Server is DOWN!')).toEqual(['down']);
    expect(find('vpn-down since 9am')).toEqual(['down', 'vpn']);
  });

  it('matches Chinese as substrings, also glued to Latin text', () => {
    const find = matcher(['宕机', 'vpn', '连不上']);
    expect(find('生产系统宕机了')).toEqual(['宕机']);
    expect(find('VPN连不上')).toEqual(['vpn', '连不上']);
  });

  it('lifts the boundary on a side marked with *', () => {
    const find = matcher(['printer*', '*ware']);
    expect(find('both printers are offline')).toEqual(['printer*']);
    expect(find('found malware')).toEqual(['*ware']);
  });

  it('finds overlapping and nested keywords in one pass', () => {
    const find = matcher(['he', 'she', 'hers', '全部无法', '无法', '部无']);
    expect(find('ushers')).toEqual([]);
    // "he" sits inside "she" and "hers" but never on a word boundary.
    expect(find('she said hers')).toEqual(['hers', 'she']);
    expect(find('全部无法登录')).toEqual(['全部无法', '部无', '无法'].sort());
  });

  it('normalises case, full-width characters and whitespace', () => {
    const find = matcher(['all users', 'erp']);
    expect(find('ＥＲＰ is down for ALL\n   users')).toEqual(['all users', 'erp']);
  });

  it('folds Traditional Chinese to Simplified in the text and the keywords alike', () => {
    const find = matcher(['密码', '網路', '打印机']);
    expect(find('密碼忘記了')).toEqual(['密码']);
    expect(find('网路不通，打印機也連不上')).toEqual(['打印机', '網路']);
    expect(normalizeText('電腦當機')).toBe('电脑当机');
  });

  it('tries a boundary again after a failed candidate: "downdown down"', () => {
    const find = matcher(['down']);
    expect(find('downdown down')).toEqual(['down']);
  });
});
