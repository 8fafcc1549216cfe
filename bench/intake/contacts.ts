/**
 * Realistic `POST /api/v1/contacts` bodies, half Chinese and half English: people from
 * config/directory.yaml and people the desk does not know yet (who become requesters on first contact),
 * the kinds of trouble a service desk hears about, 300–900 bytes each. Deterministic, so runs compare.
 */
const KNOWN = [
  { email: 'zhang.wei@example.com', name: '张伟', zh: true },
  { email: 'wang.fang@example.com', name: '王芳', zh: true },
  { email: 'li.qiang@example.com', name: '李强', zh: true },
  { email: 'liu.yang@example.com', name: '刘洋', zh: true },
  { email: 'chen.jing@example.com', name: '陈静', zh: true },
  { email: 'emily.carter@example.com', name: 'Emily Carter', zh: false },
  { email: 'james.miller@example.com', name: 'James Miller', zh: false },
  { email: 'priya.nair@example.com', name: 'Priya Nair', zh: false },
  { email: 'tom.becker@example.com', name: 'Tom Becker', zh: false },
];

const ZH: Array<[string, string]> = [
  ['VPN 连不上', '从今天早上开始在家里连不上公司 VPN，客户端一直提示“认证失败”，密码刚改过，也重启过电脑。下午两点有客户会议需要访问共享盘上的合同，请尽快帮忙看一下。'],
  ['打印机卡纸', '三楼财务部靠窗的那台打印机又卡纸了，面板显示错误代码 E-203，已经按说明打开后盖取出纸张，但还是无法打印。月底结账的报表都在排队，麻烦派人过来处理。'],
  ['邮箱满了收不到邮件', 'Outlook 提示邮箱容量已满，外部客户说发给我的邮件被退回。我已经删除了一些旧邮件，但容量没有变化。能否帮我扩容或者告诉我如何归档？'],
  ['申请新员工电脑和账号', '人事部下周一有两位新同事入职，需要准备笔记本电脑、域账号、邮箱和 ERP 只读权限。工位在 5 楼 B 区，请提前一天准备好，谢谢。'],
  ['系统很慢', 'ERP 系统从上午十点开始非常慢，打开一张采购订单要一分多钟，同事们都遇到同样的问题，影响了整个采购部的工作。'],
  ['密码重置', '我的域账号被锁定了，可能是手机上的旧密码一直在尝试登录。请帮我解锁并重置密码，我现在在上海总部 12 楼。'],
];

const EN: Array<[string, string]> = [
  ['Laptop will not boot after update', 'My laptop installed updates overnight and now it is stuck on the spinning circle after the logo. I tried a hard restart twice. I have a board presentation at 3pm and all my slides are on the local drive, please help as soon as possible.'],
  ['Cannot access shared drive', 'Since this morning the finance shared drive (\\\\fs01\\finance) says access denied. My colleagues in the same team can open it. I have not changed anything on my side. Could you check my group membership?'],
  ['Request: software installation', 'Please install Microsoft Visio Professional on my workstation. My manager approved it last week, cost centre 4410. I need it for the network diagrams for the new office in Singapore.'],
  ['Wi-Fi keeps dropping in meeting room 4B', 'The wireless connection in meeting room 4B drops every few minutes for everyone in the room. Video calls freeze and reconnect. It has been like this since Monday. Other rooms on the floor are fine.'],
  ['Phone not receiving MFA codes', 'I got a new phone and the authenticator app no longer receives sign-in prompts, so I cannot log in to email or the HR portal. Could you reset my MFA registration? I can come to the desk on floor 2.'],
  ['Monitor flickering', 'The second monitor on my desk flickers and sometimes goes black for a second. I swapped the cable with a colleague and it still happens, so I think the monitor itself is failing.'],
];

/** `count` distinct contact bodies, as JSON strings ready to send. */
export function makeContacts(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const zh = i % 2 === 0;
    const [subject, text] = (zh ? ZH : EN)[(i >> 1) % 6]!;
    // One contact in three comes from someone the directory does not know yet.
    const known = KNOWN.filter((k) => k.zh === zh);
    const requester =
      i % 3 === 2
        ? { name: zh ? `访客${i % 97}` : `Visitor ${i % 97}`, email: `visitor${i % 97}@partner.example`, department: zh ? '供应链' : 'Supply Chain' }
        : { name: known[i % known.length]!.name, email: known[i % known.length]!.email };
    const detail = zh ? `\n\n工单参考：第 ${i} 次报告，电脑资产编号 PC-${10000 + i}。` : `\n\nReference: report ${i}, asset tag PC-${10000 + i}.`;
    out.push(JSON.stringify({ requester, subject: `${subject} (${i})`, body: text + detail, channel: 'api' }));
  }
  return out;
}
