import { describe, expect, it } from 'vitest';
import type { RouteInput } from '../../src/router/index.js';
import { newText } from '../../src/router/new-text.js';
import { foreignLanguage } from '../../src/router/language.js';
import { defaultRouter } from './helpers.js';

const WED_10 = new Date('2026-03-04T10:00:00+08:00');
const input = (body: string, channel: RouteInput['record']['channel'] = 'email', subject = ''): RouteInput => ({ record: { channel, subject, body, meta: {} } });
const router = defaultRouter();
const route = (body: string, channel?: RouteInput['record']['channel'], subject?: string) => router.route(input(body, channel, subject), WED_10);
const step = (d: ReturnType<typeof route>, rule: string) => d.trace.find((t) => t.rule === rule);

describe('the service catalogue', () => {
  it('sends a vendor-run system’s outage to the vendor team and names the service in the trace', () => {
    const d = route('外服的薪资平台从早上一直登录不上，提示503。今天下午5点前必须把9月工资文件上传给外服，否则2300人下周发不了工资。', 'sms');
    expect(d).toMatchObject({ type: 'incident', team: 'vendor', service: 'payroll-portal' });
    expect(['P1', 'P2']).toContain(d.priority);
    expect(step(d, '@service')?.matched.join(' ')).toMatch(/payroll-portal: owned by vendor, run by payroll provider/);
  });

  it('sends a database error inside a business application to the DBAs', () => {
    const d = route('所有人在ERP里过账都报数据库错误：ORA-01653: unable to extend table FI.ACDOCA in tablespace PSAPFI');
    expect(d).toMatchObject({ type: 'incident', team: 'dba', service: 'databases' });
  });

  it('does not move a security event away from security', () => {
    const d = route('刚才收到一个企业微信的链接说要重新验证账号 我点进去输了工号和密码 后来觉得不对劲', 'chat');
    expect(d.team).toBe('security');
    expect(['P1', 'P2']).toContain(d.priority);
  });
});

describe('impact and urgency from the text', () => {
  it('raises a calm report of a whole store offline', () => {
    const d = route('不好意思打扰了～苏州观前街店从十分钟前开始全店断网了，6个收银台都显示离线，现在只能收现金，麻烦看一下 谢谢🙏', 'chat');
    expect(d.team).toBe('network');
    expect(['P1', 'P2']).toContain(d.priority);
  });

  it('does not raise one person’s fault for its exclamation marks, and says so', () => {
    const d = route('URGENT!!!! my second monitor keeps flickering, can someone come look 😭😭', 'chat');
    expect(d.team).toBe('desktop');
    expect(['P3', 'P4']).toContain(d.priority);
    expect(d.trace.some((t) => t.rule === '@priority' && /not raised: "urgent"/.test(t.matched.join(' ')))).toBe(true);
  });
});

describe('languages the rules do not know', () => {
  it('recognises Japanese, Korean, Russian, Vietnamese, Spanish and pinyin, and not Chinese or English', () => {
    expect(foreignLanguage('プリンターが使えません。エラーが出ます')).toBe('ja');
    expect(foreignLanguage('오늘 오전 9시부터 사무실 전체 인터넷이 안 됩니다')).toBe('ko');
    expect(foreignLanguage('Никто в офисе не может войти в систему')).toBe('ru');
    expect(foreignLanguage('máy in ở văn phòng không in được, báo lỗi')).toBe('vi');
    expect(foreignLanguage('Hola equipo, necesito acceso a la VPN por favor, gracias')).toBe('es');
    expect(foreignLanguage('ni hao, wo shi xin lai de ke fu, qing bang wo kai tong gong xiang you xiang')).toBe('pinyin');
    expect(foreignLanguage('VPN连不上了，帮忙看一下')).toBeUndefined();
    expect(foreignLanguage('my vpn drops every thirty minutes, can you help me')).toBeUndefined();
  });

  it('routes them to the first line with a note, never to a specialist team', () => {
    const d = route('Ja, hallo, hier ist Thomas Becker, ich bin diese Woche hier und das WLAN funktioniert nicht, bitte', 'voice');
    expect(d.team).toBe('service-desk');
    expect(d.tags).toContain('language:de');
    expect(step(d, '@language')?.matched).toEqual(['written in de']);
  });
});

describe('the new text of a reply or forward', () => {
  it('leaves out quoted history, the legal footer and the signature', () => {
    const body = 'Any news on my ticket?\n\nBest regards,\nAmy\nFinance\n\n-----Original Message-----\nFrom: Amy\nSubject: ERP down\n\nThe ERP is down for the whole finance team!';
    expect(newText(body)).toEqual({ text: 'Any news on my ticket?', removed: ['quoted or forwarded history', 'signature'] });
    const footer = 'Outlook asks for my password every 5 minutes.\n\nThis e-mail and any attachments are confidential and intended solely for the addressee.';
    expect(newText(footer).text).toBe('Outlook asks for my password every 5 minutes.');
  });

  it('keeps a bare forward whole: the forwarded mail is the contact', () => {
    const body = '---------- Forwarded message ---------\nFrom: admin@m365-update.net\nLog in here to keep your password';
    expect(newText(body).text).toBe(body);
  });

  it('routes a follow-up on the new text, not the quoted outage', () => {
    const d = route('Any news on my ticket?\n\n-----Original Message-----\nFrom: Amy\n\nThe ERP is down for the whole finance team!');
    expect(d.type).toBe('inquiry');
    expect(['P3', 'P4']).toContain(d.priority);
    expect(step(d, '@new-text')?.matched).toEqual(['left out: quoted or forwarded history']);
  });
});

describe('the real-traffic batches (config/examples/realtraffic-*.yaml)', () => {
  // Scored by a router that learned from every batch but the desk lead's four: text of a writer it never
  // saw. The floors sit a little below today's figures (README, "Routing accuracy") so a regression shows.
  it('keep their accuracy floors, urgent recall included', async () => {
    const { evaluate, readCases, routerWithout, exampleFiles } = await import('./eval-score.js');
    const files = exampleFiles.filter((f) => /realtraffic-\d+\.yaml$/.test(f));
    expect(files).toHaveLength(4);
    const held = routerWithout(files[0]!);
    const s = evaluate(files.flatMap((f) => readCases(f)), held);
    console.info(`real traffic, leave-the-writer-out: type ${s.type}%, team ${s.team}%, urgent raised ${s.urgentRaised}%, everyday kept ${s.everydayKept}%`);
    expect(s.type).toBeGreaterThanOrEqual(88);
    expect(s.team).toBeGreaterThanOrEqual(88);
    expect(s.urgentRaised!).toBeGreaterThanOrEqual(80);
    expect(s.everydayKept!).toBeGreaterThanOrEqual(93);
  }, 300_000);
});
