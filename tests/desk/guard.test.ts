import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskConfigSchema } from '../../src/desk/config.js';
import { createDesk, requireStaff, staffActor, type Desk } from '../../src/desk/index.js';
import { installErrorHandler } from '../../src/http/errors.js';
import { createStore, type Store } from '../../src/ticketing/index.js';

describe('staff sessions and the requireStaff guard', () => {
  let dir: string;
  let store: Store;
  let desk: Desk;
  let app: FastifyInstance;
  let clock = new Date('2026-12-01T08:00:00Z');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spoc-desk-'));
    store = await createStore({ kind: 'sqlite', file: join(dir, 'spoc.db') });
    desk = createDesk({ store, config: deskConfigSchema.parse({ sessionHours: 1 }), publicBaseUrl: 'http://localhost', now: () => clock });
    app = Fastify();
    installErrorHandler(app);
    await app.register(cookie);
    await app.register(formbody);
    app.get('/desk/report', { preHandler: requireStaff(desk.auth, 'manager') }, async (req) => ({ who: staffActor(req.staffSession!) }));
    app.post('/desk/act', { preHandler: requireStaff(desk.auth) }, async (req) => ({ by: req.staffSession!.staff.email }));
    await desk.staff.upsert({ email: 'Mei@Example.com', name: '梅', role: 'manager', language: 'zh' }, 'admin');
    await desk.staff.upsert({ email: 'al@example.com', name: 'Al', role: 'agent' }, 'admin');
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const signIn = async (email: string) => {
    const staff = (await desk.staff.findActive(email))!;
    return desk.sessions.create(staff, 'link');
  };

  it('sends a browser that is not signed in to sign in, and back here after', async () => {
    const res = await app.inject({ method: 'GET', url: '/desk/report?team=network' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/desk/sign-in?next=%2Fdesk%2Freport%3Fteam%3Dnetwork');
    expect((await app.inject({ method: 'POST', url: '/desk/act' })).statusCode).toBe(401);
  });

  it('admits the role asked for and names the person as the actor', async () => {
    const { token } = await signIn('mei@example.com');
    const res = await app.inject({ method: 'GET', url: '/desk/report', cookies: { spoc_desk: token } });
    expect(res.statusCode).toBe(200);
    expect(res.json().who).toEqual({ id: 'staff:mei@example.com', name: '梅', role: 'manager' });
    const agent = await signIn('al@example.com');
    const weaker = await app.inject({ method: 'GET', url: '/desk/report', cookies: { spoc_desk: agent.token } });
    expect(weaker.statusCode).toBe(403);
    expect(weaker.json().error.code).toBe('forbidden');
  });

  it('refuses a state-changing request without the session CSRF token', async () => {
    const { token, session } = await signIn('al@example.com');
    const without = await app.inject({ method: 'POST', url: '/desk/act', cookies: { spoc_desk: token }, payload: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('csrf_failed');
    const other = await signIn('al@example.com');
    const wrong = await app.inject({ method: 'POST', url: '/desk/act', cookies: { spoc_desk: token }, payload: `_csrf=${other.session.csrf}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(wrong.statusCode).toBe(403);
    const ok = await app.inject({ method: 'POST', url: '/desk/act', cookies: { spoc_desk: token }, payload: `_csrf=${session.csrf}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().by).toBe('al@example.com');
  });

  it('ends sessions when they expire, on logout and when the account is disabled', async () => {
    const expiring = await signIn('al@example.com');
    const loggedOut = await signIn('al@example.com');
    const disabled = await signIn('mei@example.com');
    await desk.sessions.destroy(loggedOut.token);
    expect(await desk.sessions.find(loggedOut.token)).toBeUndefined();
    await desk.staff.disable('mei@example.com');
    expect(await desk.sessions.find(disabled.token)).toBeUndefined();
    expect(await desk.sessions.find(expiring.token)).toBeDefined();
    clock = new Date(clock.getTime() + 3_600_001);
    expect(await desk.sessions.find(expiring.token)).toBeUndefined();
    const res = await app.inject({ method: 'GET', url: '/desk/report', cookies: { spoc_desk: expiring.token } });
    expect(res.statusCode).toBe(303);
  });

  it('uses a sign-in link once, and not after it expires', async () => {
    const al = (await desk.staff.findActive('al@example.com'))!;
    const token = await desk.links.issue(al, '/desk');
    expect(await desk.links.consume(token)).toEqual({ staffId: al.id, next: '/desk' });
    expect(await desk.links.consume(token)).toBeUndefined();
    const late = await desk.links.issue(al, '/desk');
    clock = new Date(clock.getTime() + 15 * 60_000 + 1);
    expect(await desk.links.consume(late)).toBeUndefined();
  });
});
