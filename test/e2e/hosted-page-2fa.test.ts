import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { centredClip, chromiumUnavailableReason, launchChromium, locateWith } from '../helpers/browser.js';
import { face } from '../helpers/faces.js';
import { codeIn, startMailServer } from '../helpers/mail-server.js';
import { artifactsDir, pressStart, REDIRECT, type Server, startServer } from './hosted-page.fixture.js';

// Issue #16: the hosted page walks the person through a flow's steps (an email code before the face, the
// authenticator's code after it, a magic link, the link of sendViaEmail), in Debian's Chromium with a fake camera,
// against the real server and engine, with a real SMTP server in this process from which the test reads the codes.

const chromiumSkip = chromiumUnavailableReason();
const T = { timeout: 150_000 };

/** RFC 6238 (SHA-1, 30 s, 6 digits) from the otpauth URI's base32 secret: the person's authenticator app. */
function totpOf(otpauthUri: string, at = Date.now()): string {
  const secret = new URL(otpauthUri).searchParams.get('secret') ?? '';
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => Number.parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const openBrowsers = new Set<Browser>();

async function open(url: string, clip: string): Promise<{ page: Page; problems: string[]; close(): Promise<void> }> {
  const browser = await launchChromium({ video: clip });
  openBrowsers.add(browser);
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // Chromium logs every refused fetch; the refusals these tests provoke are the API's expected answers.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  await page.route(`${REDIRECT}**`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>app</title><p>ok</p>' }),
  );
  await page.goto(url);
  return {
    page,
    problems,
    async close() {
      openBrowsers.delete(browser);
      await browser.close();
      assert.deepEqual(problems, [], 'no page errors');
    },
  };
}

const stateOf = (page: Page) => page.evaluate(() => document.getElementById('main')?.dataset['state']);
const focused = (page: Page) => page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName);
const waitForState = (page: Page, state: string, timeout = 45_000) =>
  page.waitForFunction((s) => document.getElementById('main')?.dataset['state'] === s, state, { timeout });
const shot = (page: Page, name: string) => page.screenshot({ path: join(artifactsDir, `2fa-${name}.png`) });

/** Waits for the redirect to the flow's URL and answers the app-login token in it. */
async function redirectToken(page: Page): Promise<string> {
  const request = page.waitForRequest((r) => r.url().startsWith(REDIRECT), { timeout: 60_000 });
  const url = new URL((await request).url());
  assert.equal(url.searchParams.get('type'), 'login');
  return url.searchParams.get('token') ?? '';
}

describe('hosted page: code and authenticator steps', { skip: chromiumSkip }, () => {
  let s: Server;
  let mail: Awaited<ReturnType<typeof startMailServer>>;
  let clip: string;
  /** The SMS gateway's messages, as a provider bridge would receive them. */
  const texts: { to: string; text: string }[] = [];
  const gateway = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      texts.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });

  /** A project whose only login flow has these settings; its default collection holds Obama with his email. */
  async function project(name: string, loginSettings: Record<string, unknown>) {
    const p = await s.call('POST', '/v2/projects', { name });
    assert.equal(p.status, 200, JSON.stringify(p.body));
    const projectId: string = p.body.data._id;
    const flow = await s.call('POST', '/v2/project-flows', {
      project: projectId,
      type: 'login',
      status: 'active',
      redirectUrl: REDIRECT,
      loginSettings: { livenessMode: 'passive', livenessMinScore: 0.51, ...loginSettings },
    });
    assert.equal(flow.status, 200, JSON.stringify(flow.body));
    const collection = await s.app.store.collections.findOne(s.clientId, { project: projectId });
    if (!collection) throw new Error('no default collection');
    const enrolled = await s.call('POST', '/v2/face-recognition/persons', {
      name: 'Barack Obama',
      email: 'barack@acme.test',
      phone: '+573001234567',
      images: [face('obama-1')],
      collections: [collection._id],
    });
    assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
    const person: string = enrolled.body.data._id;
    return { projectId, flowId: flow.body.data._id as string, person };
  }

  before(async () => {
    mail = await startMailServer();
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', () => resolve()));
    const address = gateway.address();
    s = await startServer({
      FACEGATE_SMS_WEBHOOK_URL: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/sms`,
      FACEGATE_SMS_WEBHOOK_SECRET: 'a-gateway-secret-of-at-least-32-characters',
      FACEGATE_SMTP_URL: mail.url,
      FACEGATE_MAIL_FROM: 'Acme <login@acme.test>',
      FACEGATE_RATE_LIMIT_PER_MINUTE: '600',
    });
    clip = await centredClip(join(s.dir, 'obama-2.y4m'), 'obama-2.jpg', locateWith(s.app.services.engine));
  });
  after(async () => {
    await s?.close();
    await mail?.close();
    await new Promise((r) => gateway.close(r));
  });
  afterEach(async () => {
    await Promise.all([...openBrowsers].map((b) => b.close().catch(() => undefined)));
    openBrowsers.clear();
  });

  test('an email code, then the face: signed in as the person the code named', T, async () => {
    const p = await project('Code then face', { email: true, steps: ['email', 'liveness'] });
    // Whatever a page does, the server grants no face alone in this flow.
    const body = { project: p.projectId, projectFlow: p.flowId, type: 'login', identifier: 'barack' };
    for (const bearer of [undefined, '']) {
      const bare = await s.call('POST', '/v2/biometric-validations', body, bearer);
      assert.equal(bare.status, 412, JSON.stringify(bare.body));
      assert.equal(bare.body.code, 'code_required');
    }

    const o = await open(`${s.base}/sign-in/${p.projectId}?type=liveness`, clip);
    await waitForState(o.page, 'code');
    assert.equal(await o.page.textContent('#code-title'), 'First, a code by email');
    assert.equal(await focused(o.page), 'code-title', 'focus on the step heading');
    const before = mail.received.length;
    await o.page.fill('#email', 'Barack@acme.test');
    await o.page.click('#send-code');
    await o.page.waitForFunction(() => !(document.getElementById('code-form') as HTMLFormElement).hidden);
    assert.equal(await focused(o.page), 'code', 'focus on the code field');
    assert.match((await o.page.textContent('#status')) ?? '', /We sent a code to Barack@acme\.test/);
    const code = codeIn(await mail.mailTo('barack@acme.test', before));
    await shot(o.page, 'code-sent');
    await o.page.fill('#code', code);
    await o.page.click('#verify-code');
    await waitForState(o.page, 'get-ready');
    assert.equal(await o.page.textContent('#status'), 'Code confirmed. Now your face.');
    await pressStart(o.page);
    const token = await redirectToken(o.page);
    const login = await s.call('POST', '/v2/auth/project-login', undefined, token);
    assert.equal(login.status, 200, JSON.stringify(login.body));
    assert.equal(login.body.data.person._id, p.person);
    assert.equal(login.body.data.appLogin.type, 'faceLiveness');
    assert.ok(login.body.data.appLogin.emailValidation, 'the login records the code it followed');
    await o.close();
  });

  test(
    'the face, then the authenticator code (requires2FA): wrong code said inline, right code signs in',
    T,
    async () => {
      const p = await project('Face then authenticator', {});
      const enrolled = await s.call('POST', `/v2/face-recognition/persons/${p.person}/authenticator`);
      assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
      const created = await s.call('POST', '/v2/biometric-validations', {
        project: p.projectId,
        projectFlow: p.flowId,
        identifier: 'barack',
        type: 'login',
        requires2FA: true,
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const o = await open(`${s.base}/sign-in/${p.projectId}?type=liveness#token=${created.body.data.token}`, clip);
      await pressStart(o.page);
      await waitForState(o.page, 'authenticator', 60_000);
      assert.equal(await focused(o.page), 'totp-title');
      assert.equal(await o.page.textContent('#totp-title'), 'Last, the code from your authenticator app');
      const field = o.page.locator('#totp');
      assert.equal(await field.getAttribute('inputmode'), 'numeric');
      assert.equal(await field.getAttribute('autocomplete'), 'one-time-code');
      const pending = await s.call('GET', `/v2/biometric-validations/${created.body.data.biometricValidation._id}`);
      assert.equal(pending.body.data.status, 'pending', 'nothing is granted after the face alone');

      const right = totpOf(enrolled.body.data.otpauthUri);
      await field.fill(right === '000000' ? '111111' : '000000');
      await o.page.click('#verify-totp');
      await o.page.waitForFunction(() => document.getElementById('totp-error')?.textContent);
      assert.equal(
        await o.page.textContent('#totp-error'),
        'That code is not right. Enter the code your app shows now.',
      );
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      assert.equal(await focused(o.page), 'totp');
      await shot(o.page, 'authenticator-wrong');

      await field.fill(totpOf(enrolled.body.data.otpauthUri));
      await o.page.click('#verify-totp');
      const token = await redirectToken(o.page);
      const login = await s.call('POST', '/v2/auth/project-login', undefined, token);
      assert.equal(login.status, 200, JSON.stringify(login.body));
      assert.equal(login.body.data.person._id, p.person);
      const done = await s.call('GET', `/v2/biometric-validations/${created.body.data.biometricValidation._id}`);
      assert.equal(done.body.data.status, 'completed');
      await o.close();
    },
  );

  test('a magic link lands on the page, completes the code, and the face follows', T, async () => {
    const p = await project('Magic link', { email: true, steps: ['email', 'liveness'] });
    const before = mail.received.length;
    const sent = await s.call('POST', '/v2/email-validations', {
      email: 'barack@acme.test',
      project: p.projectId,
      projectFlow: p.flowId,
      type: 'login',
      validationMethod: 'magicLink',
    });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const m = await mail.mailTo('barack@acme.test', before);
    const link = m.text
      .match(/https?:\/\/\S+\/sign-in\/[0-9a-f]{24}\?[^\s"<]+/)?.[0]
      ?.replace(/&amp;/g, '&')
      // The server's FACEGATE_PUBLIC_URL names the configured port; this one listens on a free one.
      .replace(/^https?:\/\/[^/]+/, s.base);
    assert.ok(link, m.text);
    const o = await open(link, clip);
    await waitForState(o.page, 'get-ready');
    assert.doesNotMatch(await o.page.evaluate(() => location.href), /otp=/, 'the code leaves the address bar');
    await pressStart(o.page);
    const token = await redirectToken(o.page);
    const login = await s.call('POST', '/v2/auth/project-login', undefined, token);
    assert.equal(login.status, 200, JSON.stringify(login.body));
    assert.equal(login.body.data.person._id, p.person);
    await o.close();

    // The same link a second time: spent, and the page says so with a way to ask for a new code.
    const again = await open(link, clip);
    await waitForState(again.page, 'failure');
    assert.equal(await again.page.textContent('#result-title'), 'This sign-in link no longer works');
    assert.equal(await again.page.textContent('#primary'), 'Send code');
    await again.close();
  });

  test('sendViaEmail: the mailed link opens the integrator’s own validation', T, async () => {
    const p = await project('Mailed link', {});
    const before = mail.received.length;
    const created = await s.call('POST', '/v2/biometric-validations', {
      project: p.projectId,
      projectFlow: p.flowId,
      identifier: 'user-7',
      type: 'login',
      sendViaEmail: true,
      email: 'barack@acme.test',
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const m = await mail.mailTo('barack@acme.test', before);
    const link = m.text
      .match(/https?:\/\/\S+\/sign-in\/[0-9a-f]{24}\?[^\s"<]+/)?.[0]
      ?.replace(/&amp;/g, '&')
      // The server's FACEGATE_PUBLIC_URL names the configured port; this one listens on a free one.
      .replace(/^https?:\/\/[^/]+/, s.base);
    assert.ok(link?.includes('#token='), m.text);
    const o = await open(link ?? '', clip);
    await pressStart(o.page);
    const token = await redirectToken(o.page);
    const login = await s.call('POST', '/v2/auth/project-login', undefined, token);
    assert.equal(login.status, 200, JSON.stringify(login.body));
    assert.equal(login.body.data.appLogin.identifier, 'user-7');
    assert.equal(login.body.data.appLogin.biometricValidation, created.body.data.biometricValidation._id);
    await o.close();
  });

  test('keyboard only, in Spanish: the code step from the address to the face', T, async () => {
    const p = await project('Teclado', { email: true, steps: ['email', 'liveness'] });
    const o = await open(`${s.base}/sign-in/${p.projectId}?type=liveness&language=es`, clip);
    await waitForState(o.page, 'code');
    assert.equal(await o.page.textContent('#code-title'), 'Primero, un código por correo');
    assert.equal(await o.page.textContent('label[for="email"]'), 'Correo electrónico');
    assert.equal(await o.page.textContent('#send-code'), 'Enviar código');
    assert.equal(await focused(o.page), 'code-title');
    await o.page.keyboard.press('Tab');
    assert.equal(await focused(o.page), 'email');
    // A bad address is said next to the field, in Spanish, and the field is marked.
    await o.page.keyboard.type('barack');
    await o.page.keyboard.press('Enter');
    await o.page.waitForFunction(() => document.getElementById('address-error')?.textContent);
    assert.equal(await o.page.textContent('#address-error'), 'Escribe un correo electrónico, como ana@ejemplo.com.');
    assert.equal(await o.page.getAttribute('#email', 'aria-invalid'), 'true');
    assert.equal(await o.page.getAttribute('#address-error', 'aria-live'), 'assertive');
    await o.page.keyboard.type('@acme.test');
    const before = mail.received.length;
    await o.page.keyboard.press('Enter');
    await o.page.waitForFunction(() => document.activeElement?.id === 'code');
    const mailed = await mail.mailTo('barack@acme.test', before);
    assert.match(mailed.text, /código de verificación es \d{6}/, 'the mail in the page’s language');
    assert.equal(await o.page.getAttribute('#code', 'inputmode'), 'numeric');
    assert.equal(await o.page.getAttribute('#code', 'autocomplete'), 'one-time-code');
    assert.match((await o.page.textContent('#status')) ?? '', /^Enviamos un código a barack@acme\.test/);
    assert.equal(await o.page.getAttribute('#status', 'aria-live'), 'polite');
    assert.match((await o.page.textContent('#resend')) ?? '', /^Enviar un código nuevo en \d+ s$/);
    assert.equal(await o.page.getAttribute('#resend', 'aria-disabled'), 'true');
    const code = codeIn(mailed);
    await o.page.keyboard.type(code === '000000' ? '111111' : '000000');
    await o.page.keyboard.press('Enter');
    await o.page.waitForFunction(() => document.getElementById('code-error')?.textContent);
    assert.equal(await o.page.textContent('#code-error'), 'Ese código no es correcto. Revísalo e inténtalo de nuevo.');
    assert.equal(await focused(o.page), 'code');
    await shot(o.page, 'code-wrong-es');
    await o.page.fill('#code', '');
    await o.page.keyboard.type(code);
    await o.page.keyboard.press('Enter');
    await waitForState(o.page, 'get-ready');
    assert.equal(await focused(o.page), 'primary', 'focus on Start');
    assert.equal(await o.page.textContent('#primary'), 'Comenzar');
    await o.page.keyboard.press('Enter');
    assert.notEqual(await stateOf(o.page), 'code');
    const token = await redirectToken(o.page);
    assert.equal((await s.call('POST', '/v2/auth/project-login', undefined, token)).status, 200);
    await o.close();
  });

  test('a phone code, then the authenticator, no face: the passwordless flow never opens the camera', T, async () => {
    const p = await project('Passwordless', {
      email: false,
      phone: true,
      phoneGateway: 'sms',
      steps: ['phone', 'authenticator'],
    });
    const enrolled = await s.call('POST', `/v2/face-recognition/persons/${p.person}/authenticator`);
    const o = await open(`${s.base}/sign-in/${p.projectId}?type=liveness`, clip);
    const urls: string[] = [];
    o.page.on('request', (r) => urls.push(r.url()));
    await waitForState(o.page, 'code');
    assert.equal(await o.page.textContent('#code-title'), 'First, a code by text message');
    await o.page.fill('#country', '+57');
    await o.page.fill('#phone', '300 123 4567');
    const before = texts.length;
    await o.page.click('#send-code');
    await o.page.waitForFunction(() => document.activeElement?.id === 'code');
    const text = texts.slice(before).find((m) => m.to === '+573001234567')?.text ?? '';
    const code = text.match(/code is (\d{6})/)?.[1];
    assert.ok(code, text);
    await o.page.fill('#code', code);
    await o.page.click('#verify-code');
    await waitForState(o.page, 'authenticator');
    assert.equal(await focused(o.page), 'totp-title');
    assert.equal(
      await o.page.evaluate(() => document.getElementById('main')?.dataset['camera']),
      undefined,
      'the camera never started',
    );
    await o.page.fill('#totp', totpOf(enrolled.body.data.otpauthUri));
    await o.page.click('#verify-totp');
    const token = await redirectToken(o.page);
    const login = await s.call('POST', '/v2/auth/project-login', undefined, token);
    assert.equal(login.status, 200, JSON.stringify(login.body));
    assert.equal(login.body.data.appLogin.type, 'phone');
    assert.equal(login.body.data.person._id, p.person, 'the phone matched to the enrolled person');
    assert.ok(!urls.some((u) => u.includes('/v2/biometric-validations')), 'no face validation was ever created');
    await o.close();
  });
});
