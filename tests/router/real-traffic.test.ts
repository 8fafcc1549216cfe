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

describe('calmly worded outages and vague security events (issue 18)', () => {
  const urgent = (d: ReturnType<typeof route>) => ['P1', 'P2'].includes(d.priority);

  it('raises scope stated as facts, in either script, and names the signal in the trace', () => {
    const floor = route('呃，喂，我是三楼的，嗯，晚上十点多了。整个三楼网络全断了，有线无线都没有，八十多个人都在等着', 'voice');
    expect(urgent(floor)).toBe(true);
    expect(floor.trace.filter((t) => t.rule === '@priority').map((t) => t.description)).toEqual(['head count raises impact', 'work stopped raises urgency']);
    expect(urgent(route('不急哈，就是萧山支行整個網點都斷網了，櫃面全都連不上，客戶已經在排隊', 'chat'))).toBe(true);
    expect(urgent(route('Since the update Word crashes on every PC in the Shanghai office. About 200 lawyers can\'t draft anything.'))).toBe(true);
  });

  it('raises a deadline today and an alert’s own severity, not a test database', () => {
    expect(urgent(route('监管报送系统登录报「许可证校验失败」，今天17:00前必须报送，逾期会被通报。'))).toBe(true);
    expect(urgent(route('target=emrprd01 severity=CRITICAL\nORA-00060: deadlock detected\nblocked_sessions=312', 'api', '[OEM] EMRPRD deadlock'))).toBe(true);
    expect(urgent(route('测试库服务器磁盘满了，开发环境写入失败，麻烦DBA清一下归档日志'))).toBe(false);
  });

  it('raises MFA prompts still coming and money paid to a changed account, as security', () => {
    const mfa = route('my authenticator keeps buzzing with sign-in requests, like 30 in the last quarter hour, still coming. I keep pressing deny', 'slack');
    expect(mfa.team).toBe('security');
    expect(urgent(mfa)).toBe(true);
    const bec = route('昨天我们按客户邮件里的新银行账户支付了126万元，今天客户说从来没有改过账户。');
    expect(urgent(bec)).toBe(true);
  });

  it('does not take exasperation about a mass outage for a complaint', () => {
    const d = route('所有宿舍楼的门禁刷一卡通都刷不开，一共六栋楼，学生都堵在楼下进不去，一卡通公司电话没人接', 'voice');
    expect(d.type).toBe('incident');
    expect(urgent(d)).toBe(true);
  });

  it('raises an outage of a critical service to P1 and says the criticality did it', () => {
    const d = route('ERP宕机了，我这边过不了账');
    expect(d.priority).toBe('P1');
    expect(d.trace.find((t) => t.description === 'the criticality of the service that stopped')).toMatchObject({ matched: ['erp: criticality high'], set: { impact: 'high' } });
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
    expect(s.urgentRaised!).toBeGreaterThanOrEqual(88);
    expect(s.everydayKept!).toBeGreaterThanOrEqual(93);
  }, 300_000);
});
