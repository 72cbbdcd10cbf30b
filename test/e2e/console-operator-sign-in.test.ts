import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { emptyListQuery } from '../../src/domain/list-query.js';
import { centredClip, chromiumUnavailableReason, launchChromium, locateWith } from '../helpers/browser.js';
import { face } from '../helpers/faces.js';
import { codeIn, startMailServer } from '../helpers/mail-server.js';
import { artifactsDir, pressStart, type Server, startServer } from './hosted-page.fixture.js';

// Issue #17: an operator signs in to the console with the tenant's own product. The tenant's operators' project
// (consoleAccess: true) has a login flow with steps email then liveness that returns to the console. In Debian's
// Chromium with a fake camera, against the real server and engine, with a real SMTP server: the operator asks for
// the code on the console's sign-in screen, types it on the hosted page, shows their face, and lands signed in on
// the console, whose acts are then audited as theirs, and whose Sign out ends the session on the server; another
// enrolled person's face with that email gets nothing.

const chromiumSkip = chromiumUnavailableReason();
const T = { timeout: 180_000 };
const openBrowsers = new Set<Browser>();

async function open(url: string, clip: string) {
  const browser = await launchChromium({ video: clip });
  openBrowsers.add(browser);
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  return {
    page,
    async close() {
      openBrowsers.delete(browser);
      await browser.close();
      assert.deepEqual(problems, [], 'no page errors');
    },
  };
}

const waitForState = (page: Page, state: string, timeout = 60_000) =>
  page.waitForFunction((s) => document.getElementById('main')?.dataset['state'] === s, state, { timeout });
const shot = (page: Page, name: string) => page.screenshot({ path: join(artifactsDir, `operator-${name}.png`) });

describe('console: an operator signs in with the email code and their face', { skip: chromiumSkip }, () => {
  let s: Server;
  let mail: Awaited<ReturnType<typeof startMailServer>>;
  let project: string;
  let barack: string;
  const flows: string[] = [];
  const clips: Record<string, string> = {};

  before(async () => {
    mail = await startMailServer();
    s = await startServer({
      FACEGATE_SMTP_URL: mail.url,
      FACEGATE_MAIL_FROM: 'Acme <login@acme.test>',
      FACEGATE_RATE_LIMIT_PER_MINUTE: '600',
    });
    const p = await s.call('POST', '/v2/projects', { name: 'Acme operators', consoleAccess: true });
    assert.equal(p.status, 200, JSON.stringify(p.body));
    project = p.body.data._id;
    // Two such flows, so that each test's code is the first to its address in its flow (a resend waits 60 s).
    for (let i = 0; i < 2; i++) {
      const flow = await s.call('POST', '/v2/project-flows', {
        project,
        type: 'login',
        status: 'active',
        redirectUrl: `${s.base}/console?project=${project}`,
        loginSettings: { livenessMode: 'passive', livenessMinScore: 0.51, email: true, steps: ['email', 'liveness'] },
      });
      assert.equal(flow.status, 200, JSON.stringify(flow.body));
      flows.push(flow.body.data._id);
    }
    const collection = await s.app.store.collections.findOne(s.clientId, { project });
    if (!collection) throw new Error('no default collection');
    const enrol = async (name: string, email: string, photo: string) => {
      const r = await s.call('POST', '/v2/face-recognition/persons', {
        name,
        email,
        images: [face(photo)],
        collections: [collection._id],
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.data._id as string;
    };
    barack = await enrol('Barack Obama', 'barack@acme.test', 'obama-1');
    await enrol('Joe Biden', 'joe@acme.test', 'biden-1');
    for (const photo of ['obama-2', 'biden-1']) {
      clips[photo] = await centredClip(join(s.dir, `${photo}.y4m`), `${photo}.jpg`, locateWith(s.app.services.engine));
    }
  });
  after(async () => {
    await s?.close();
    await mail?.close();
  });
  afterEach(async () => {
    await Promise.all([...openBrowsers].map((b) => b.close().catch(() => undefined)));
    openBrowsers.clear();
  });

  /** From the console's sign-in screen to the hosted page's face step, with the code mailed to `email`. */
  async function codeStep(page: Page, email: string) {
    await page.waitForSelector('#email-sign-in-title');
    const field = page.getByLabel('Project id');
    assert.equal(await field.inputValue(), project, 'the console address carries the project');
    await page.getByRole('button', { name: 'Continue with email' }).click();
    await page.waitForURL((u) => u.pathname === `/sign-in/${project}`);
    const named = new URL(page.url()).searchParams.get('projectFlow');
    assert.ok(named && flows.includes(named), 'the hosted page of a flow that returns to the console');
    await waitForState(page, 'code');
    const before = mail.received.length;
    await page.fill('#email', email);
    await page.click('#send-code');
    await page.waitForFunction(() => !(document.getElementById('code-form') as HTMLFormElement).hidden);
    await page.fill('#code', codeIn(await mail.mailTo(email, before)));
    await page.click('#verify-code');
    await pressStart(page);
  }

  test('code, then face: back on the console signed in as that person, and audited as them', T, async () => {
    const o = await open(`${s.base}/console?project=${project}`, clips['obama-2'] ?? '');
    await codeStep(o.page, 'barack@acme.test');
    await o.page.waitForURL((u) => u.pathname === '/console', { timeout: 60_000 });
    await o.page.getByText('Signed in as Barack Obama').waitFor({ timeout: 30_000 });
    assert.doesNotMatch(o.page.url(), /token=/, 'the app-login token left the address bar');
    assert.equal(await o.page.evaluate(() => history.length > 0 && location.search.includes('token')), false);
    const kept = await o.page.evaluate(() => sessionStorage.getItem('facegate.console.token') ?? '');
    assert.equal(JSON.parse(Buffer.from(kept.split('.')[1] ?? '', 'base64url').toString()).typ, 'consoleSession');

    await o.page.getByRole('link', { name: 'Dashboard' }).click();
    await o.page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await shot(o.page, 'dashboard');
    await o.page.getByRole('link', { name: 'Persons' }).click();
    await o.page.getByRole('heading', { level: 1, name: 'Persons' }).waitFor();
    await o.page.getByText('Barack Obama').first().waitFor();

    const audit = await s.call('GET', '/v2/audit-logs?where_actorType=operator&perPage=100');
    assert.equal(audit.status, 200, JSON.stringify(audit.body));
    assert.ok(audit.body.data.length > 0, 'the persons page the operator read is in the audit log');
    for (const e of audit.body.data) assert.deepEqual(e.actor, { type: 'operator', id: barack, name: 'Barack Obama' });

    // Renewing the API token is for whoever holds it: the settings screen says so instead of offering it.
    await o.page.getByRole('link', { name: 'Settings' }).click();
    await o.page.locator('#operator-token-note').waitFor();
    assert.equal(await o.page.locator('#renew-api-token').count(), 0);

    const before = await s.call('GET', '/v2/projects', undefined, kept);
    assert.equal(before.status, 200, 'a copy of the session token works until Sign out');
    await o.page.getByRole('button', { name: 'Sign out' }).click();
    await o.page.waitForSelector('#email-sign-in-title');
    assert.equal(await o.page.evaluate(() => sessionStorage.getItem('facegate.console.token')), null);
    // Signing out ended the session on the server: the copy is refused too, and the sign-out is audited.
    const after = await s.call('GET', '/v2/projects', undefined, kept);
    assert.equal(after.status, 403, JSON.stringify(after.body));
    assert.equal(after.body.message, 'token_revoked');
    const outs = await s.call('GET', '/v2/audit-logs?where_action=console.signOut');
    assert.deepEqual(
      outs.body.data.map((e: { actor: unknown }) => e.actor),
      [{ type: 'operator', id: barack, name: 'Barack Obama' }],
    );
    await o.close();
  });

  test('consoleAccess turned off meanwhile: back on the sign-in screen, told why', T, async () => {
    const off = await s.call('PUT', `/v2/projects/${project}`, { consoleAccess: false });
    assert.equal(off.status, 200, JSON.stringify(off.body));
    try {
      const o = await open(`${s.base}/console?project=${project}`, clips['biden-1'] ?? '');
      await codeStep(o.page, 'joe@acme.test');
      await o.page.waitForURL((u) => u.pathname === '/console', { timeout: 60_000 });
      await o.page.getByText('This project does not sign operators in to the console').waitFor({ timeout: 30_000 });
      assert.equal(await o.page.evaluate(() => location.hash), '#/sign-in');
      assert.doesNotMatch(o.page.url(), /token=/);
      assert.equal(await o.page.evaluate(() => sessionStorage.getItem('facegate.console.token')), null);
      await o.close();
    } finally {
      await s.call('PUT', `/v2/projects/${project}`, { consoleAccess: true });
    }
  });

  test('Sign out with the server out of reach: signed out in the tab all the same, and told so', T, async () => {
    const o = await open(`${s.base}/console?project=${project}&projectFlow=${flows[1]}`, clips['biden-1'] ?? '');
    await codeStep(o.page, 'joe@acme.test');
    await o.page.waitForURL((u) => u.pathname === '/console', { timeout: 60_000 });
    await o.page.getByText('Signed in as Joe Biden').waitFor({ timeout: 30_000 });
    const kept = await o.page.evaluate(() => sessionStorage.getItem('facegate.console.token') ?? '');
    await o.page.route('**/v2/auth/console-session', (route) => route.abort('connectionfailed'));
    await o.page.getByRole('button', { name: 'Sign out' }).click();
    await o.page.waitForSelector('#email-sign-in-title');
    assert.equal(await o.page.evaluate(() => sessionStorage.getItem('facegate.console.token')), null);
    await o.page.getByText('Signed out in this tab, but the server could not be told').waitFor();
    // As the notice says: the server never heard of it, so the session itself lives on until it expires.
    assert.equal((await s.call('GET', '/v2/projects', undefined, kept)).status, 200);
    await o.close();
  });

  test('another enrolled person’s face with that email: refused, never signed in', T, async () => {
    const validatedFaces = async () =>
      (await s.app.store.appLogins.list(s.clientId, emptyListQuery({ perPage: 100 }))).items.filter(
        (l) => l.type === 'faceLiveness' && l.status === 'validated',
      ).length;
    const before = await validatedFaces();
    const o = await open(`${s.base}/console?project=${project}&projectFlow=${flows[1]}`, clips['biden-1'] ?? '');
    await codeStep(o.page, 'barack@acme.test');
    await waitForState(o.page, 'failure');
    assert.equal(await o.page.evaluate(() => document.getElementById('main')?.dataset['reason']), 'person_not_found');
    await shot(o.page, 'stranger');
    assert.equal(new URL(o.page.url()).pathname, `/sign-in/${project}`, 'no way back to the console');
    assert.equal(await validatedFaces(), before, 'no face login came of it');
    await o.close();
  });
});
