import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/process.js';
import { startSpoc, TEST_KEYS, type RunningSpoc } from '../support/spoc.js';

const run = promisify(execFile);

/** `spoc staff …` as a real process on the same store; answers its output and exit code. */
async function cli(dataDir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(REPO, 'src/main.ts'), 'staff', ...args], {
      cwd: REPO,
      env: { PATH: process.env.PATH, SPOC_DATA_DIR: dataDir, SPOC_CONFIG_DIR: join(REPO, 'config') },
    });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout, err: err.stderr };
  }
}

describe('staff administration: disabling ends sessions; the spoc staff CLI', () => {
  let s: RunningSpoc;
  beforeAll(async () => {
    s = await startSpoc();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('disabling a person through the admin API ends their open sessions at once', async () => {
    const member = (await s.spoc.desk.staff.findActive('han.mei@example.com'))!;
    const { token } = await s.spoc.desk.sessions.create(member, 'link');
    const cookie = { cookie: `spoc_desk=${token}` };
    expect((await fetch(`${s.url}/desk`, { headers: cookie, redirect: 'manual' })).status).toBe(200);
    const off = await s.api('POST', '/api/v1/admin/staff/han.mei@example.com/disable', undefined, { key: TEST_KEYS.admin });
    expect(off.status).toBe(200);
    const after = await fetch(`${s.url}/desk`, { headers: cookie, redirect: 'manual' });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toContain('/desk/sign-in');
    expect(await s.spoc.desk.sessions.find(token)).toBeUndefined();
  });

  it('adds, lists and disables accounts from the command line, and names the problem when it cannot', async () => {
    const added = await cli(s.dataDir, 'add', 'Ops.Lead@corp.example', '--name', 'Ops Lead', '--role', 'manager', '--team', 'service-desk', '--language', 'en');
    expect(added.code).toBe(0);
    expect(added.out).toContain('added ops.lead@corp.example\tmanager\tservice-desk\ten\tadmin\tactive');
    expect((await s.spoc.desk.staff.findActive('ops.lead@corp.example'))?.role).toBe('manager');

    const again = await cli(s.dataDir, 'add', 'ops.lead@corp.example', '--name', 'Ops Lead');
    expect(again.code).toBe(1);
    expect(again.err).toContain('staff_exists: ops.lead@corp.example has a staff account already');
    const badTeam = await cli(s.dataDir, 'add', 'x@corp.example', '--name', 'X', '--team', 'nope');
    expect(badTeam.err).toContain('team: unknown team "nope"');
    const badRole = await cli(s.dataDir, 'add', 'x@corp.example', '--name', 'X', '--role', 'boss');
    expect(badRole.err).toContain("argument 'boss' is invalid");

    const off = await cli(s.dataDir, 'disable', 'ops.lead@corp.example');
    expect(off.out).toContain('their sessions have ended');
    expect(await s.spoc.desk.staff.findActive('ops.lead@corp.example')).toBeUndefined();
    const unknown = await cli(s.dataDir, 'disable', 'nobody@corp.example');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('unknown_staff: no staff account for nobody@corp.example');

    const list = await cli(s.dataDir, 'list');
    expect(list.out.split('\n')[0]).toBe('email\trole\tteam\tlanguage\tsource\tstate\tname');
    expect(list.out).toMatch(/ops\.lead@corp\.example\tmanager\tservice-desk\ten\tadmin\tdisabled /);
    expect(list.out).toContain('alice.wong@example.com\tagent');
  }, 120_000);
});
