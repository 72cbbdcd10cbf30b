import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { openServices } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { packageRoot } from '../../src/package-root.js';
import { centredClip, chromiumUnavailableReason, fixturePhoto, launchChromium } from '../helpers/browser.js';
import {
  type ServerProcess,
  startServerProcess,
  startWebhookReceiver,
  stopServerProcess,
} from '../helpers/server-process.js';
import { pressStart } from './hosted-page.fixture.js';

// Issue #17: the console walked through as an operator would, in Debian's Chromium against the real server
// (`facegate serve` in a child process, real engine, SQLite) and a webhook receiver on 127.0.0.1. The operator
// signs in with the API token, creates a project and a login flow with a webhook URL, enrols two people by upload;
// one of them logs in through the hosted page (fake camera playing a fixture photo); the operator finds that
// validation in the list and its detail, redelivers its webhook (the receiver gets it twice, same delivery id),
// deletes the other person and finds the audit entry, then rotates the webhook secret and renews the API token and
// signs in again with the new one. Every screen of this lane is checked with axe-core (no serious or critical
// violation), in English and Spanish, and driven from the keyboard where it matters.

const chromiumSkip = chromiumUnavailableReason();
const T = { timeout: 300_000 };
const REDIRECT = 'https://app.acme.test/callback';
const artifacts = join(packageRoot, 'test-artifacts', 'console');
const axeSource = readFileSync(join(packageRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** Serious and critical axe-core violations of the page as it is now (WCAG 2.1 A and AA rules). */
async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (an injected <script> it would).
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = (await page.evaluate(() =>
    (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: unknown[] }> } }).axe
      .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
      .then((r) => r.violations),
  )) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('console walkthrough (#17)', { skip: chromiumSkip }, () => {
  const dirs: string[] = [];
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let server: ServerProcess;
  let token: string;
  let browser: Browser;
  let clip: string;

  /** The API as an integrator calls it, with the current token. */
  const call = async (method: string, path: string, body?: unknown, bearer = token) => {
    const res = await fetch(`${server.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  };

  before(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'facegate-console-'));
    dirs.push(dataDir);
    mkdirSync(artifacts, { recursive: true });
    receiver = await startWebhookReceiver();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      FACEGATE_DATA_DIR: dataDir,
      FACEGATE_JWT_SECRET: randomBytes(32).toString('hex'),
      FACEGATE_TEMPLATE_KEY: randomBytes(32).toString('hex'),
      FACEGATE_LOG_LEVEL: 'warn',
      FACEGATE_RATE_LIMIT_PER_MINUTE: '10000',
      FACEGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    };
    const { services, close } = await openServices(loadConfig(env));
    token = (await services.clients.create({ name: 'acme' })).token.token;
    await close();
    server = await startServerProcess(env);
    // The fake camera plays a fixture photo of the person who logs in, framed as the page's guidance asks; the
    // face is located by the server's own detector.
    const locate = async (bytes: Uint8Array) => {
      const r = await call('POST', '/v2/face-recognition/detect', { image: Buffer.from(bytes).toString('base64') });
      const meta = await sharp(bytes).metadata();
      const box = r.body?.data?.[0]?.box;
      if (!box) throw new Error(`no face in the fixture: ${JSON.stringify(r.body)}`);
      return { width: meta.width ?? 0, height: meta.height ?? 0, box };
    };
    clip = await centredClip(join(dataDir, 'obama-2.y4m'), 'obama-2.jpg', locate);
    browser = await launchChromium({ video: clip });
  });
  after(async () => {
    await browser?.close().catch(() => undefined);
    if (server) await stopServerProcess(server.child);
    await receiver?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('an operator sets up a login, sees it happen, redelivers its webhook, audits a deletion', T, async (t) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    const shot = (name: string) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
    const heading = () => page.locator('main h1').first();
    const goto = async (hash: string, title: RegExp) => {
      await page.evaluate((h) => {
        location.hash = h;
      }, hash);
      await heading().filter({ hasText: title }).waitFor();
      await page.waitForFunction(() => !document.querySelector('main [role="status"]'));
    };
    const checkAxe = async (where: string) => {
      const found = await axeViolations(page);
      assert.deepEqual(found, [], `axe on ${where}`);
    };

    // Sign in with the API token.
    await page.goto(`${server.base}/console`);
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('nav').waitFor();

    // Set up: a project, a passive login flow with the receiver as its webhook, two people enrolled by upload.
    const setup = await setUpThroughConsole(page, { webhookUrl: receiver.url, redirectUrl: REDIRECT });
    t.diagnostic(`project ${setup.projectId}`);
    const persons = (await call('GET', '/v2/face-recognition/persons?perPage=10')).body.data as Array<{
      _id: string;
      name: string;
    }>;
    const obama = persons.find((p) => p.name === 'Barack Obama');
    const angelina = persons.find((p) => p.name === 'Angelina Jolie');
    assert.ok(obama && angelina, JSON.stringify(persons));

    // Obama logs in through the hosted page: another tab of the same browser, whose fake camera plays him.
    const signIn = await context.newPage();
    await signIn.route(`${REDIRECT}**`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>app</title><p>ok</p>' }),
    );
    const redirected = signIn.waitForRequest((r) => r.url().startsWith(REDIRECT), { timeout: 60_000 });
    await signIn.goto(`${server.base}/sign-in/${setup.projectId}?type=liveness`);
    await pressStart(signIn);
    const target = new URL((await redirected).url());
    assert.equal(target.searchParams.get('type'), 'login');
    await signIn.close();
    // The page's validation announced itself when created and when validated; the second is the one to redeliver.
    const validatedHook = () => receiver.received.filter((r) => r.event === 'biometric_validation_validated');
    await waitFor(() => validatedHook().length >= 1, 15_000, 'the validated webhook');
    const first = validatedHook()[0]!;
    const validationId = JSON.parse(first.body).object._id as string;
    const receivedBefore = receiver.received.length;

    // The validation is in the list (filtered by status, from the keyboard) and opens on its detail.
    await goto('#/validations', /^Validations$/);
    const row = page.locator(`tr[data-id="${validationId}"]`);
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Validated/);
    await page.getByLabel('Status').selectOption('validated');
    await page.getByRole('button', { name: 'Apply filters' }).press('Enter');
    await page.waitForURL(/#\/validations\?status=validated$/);
    await row.waitFor();
    await checkAxe('the validations list');
    await shot('validations');
    await row.getByRole('link').focus();
    await page.keyboard.press('Enter');
    await heading()
      .filter({ hasText: /^Validation: / })
      .waitFor();
    const timeline = (await page.locator('#timeline').textContent()) ?? '';
    assert.match(timeline, /1 of 3 attempts made/);
    assert.match(timeline, /Liveness \d\.\d\d \(minimum 0\.\d\d\): passed/);
    assert.match(timeline, /Match \d\.\d\d \(minimum 0\.\d\d\): passed/);
    assert.match(timeline, /App login issued .* for Barack Obama/);
    assert.match(timeline, /Webhook biometric_validation_validated: delivered/);
    const delivery = page.locator(`tr[data-delivery="${first.deliveryId}"]`);
    assert.match((await delivery.textContent()) ?? '', /HTTP 204/);
    await checkAxe('a validation');
    await shot('validation-detail');

    // Redeliver, keyboard only: Tab to the button, Enter, Tab from Cancel (the safe default) to Redeliver, Enter.
    const redeliver = delivery.getByRole('button', { name: 'Redeliver biometric_validation_validated' });
    for (let i = 0; i < 60 && !(await redeliver.evaluate((b) => b === document.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    assert.ok(await redeliver.evaluate((b) => b === document.activeElement), 'the Redeliver button takes the focus');
    // Enter twice answers the question with its default, Cancel: nothing is sent.
    await page.keyboard.press('Enter');
    await page.locator('dialog[open]').waitFor();
    await page.keyboard.press('Enter');
    await page.locator('dialog[open]').waitFor({ state: 'detached' });
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(receiver.received.length, receivedBefore, 'a cancelled redelivery sends nothing');
    assert.ok(await redeliver.evaluate((b) => b === document.activeElement), 'the focus is back on Redeliver');
    await page.keyboard.press('Enter');
    await page.locator('dialog[open]').waitFor();
    assert.match((await page.locator('dialog[open]').textContent()) ?? '', new RegExp(receiver.url));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await waitFor(() => validatedHook().length >= 2, 15_000, 'the redelivered webhook');
    const second = validatedHook()[1]!;
    assert.equal(second.deliveryId, first.deliveryId, 'the same delivery id, so a receiver can dedupe');
    assert.equal(second.body, first.body);
    assert.equal(receiver.received.length, receivedBefore + 1, 'only that webhook was sent again');
    await page.locator(`tr[data-delivery="${first.deliveryId}"][data-status="delivered"]`).waitFor();

    // Deleting a person (the persons screen), then the audit log shows who did it.
    await deletePersonThroughConsole(page, angelina._id);
    assert.equal((await call('GET', `/v2/face-recognition/persons/${angelina._id}`)).status, 404);
    await goto('#/audit', /^Audit log$/);
    await page.getByLabel('Action').fill('person.delete');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/#\/audit\?action=person\.delete$/);
    const entry = page.locator('#audit-entries tbody tr');
    await entry.first().waitFor();
    assert.equal(await entry.count(), 1);
    const entryText = (await entry.textContent()) ?? '';
    assert.match(entryText, /person\.delete/);
    assert.match(entryText, new RegExp(angelina._id));
    assert.match(entryText, /API token/);
    await checkAxe('the audit log');
    await shot('audit');

    // The dashboard counts that login.
    await goto('#/dashboard', /^Dashboard$/);
    assert.equal(await page.locator('#card-succeeded .figure').textContent(), '1');
    assert.match((await page.locator('#card-backlog .figure').textContent()) ?? '', /^0$/);
    await checkAxe('the dashboard');
    await shot('dashboard');

    // Spanish: the same screens, their own words, still accessible.
    await page.locator('#console-language').selectOption('es');
    await heading()
      .filter({ hasText: /^Panel$/ })
      .waitFor();
    await page.waitForFunction(() => !document.querySelector('main [role="status"]'));
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'es');
    assert.match((await page.locator('main').textContent()) ?? '', /Validaciones por día, según el resultado/);
    await checkAxe('the dashboard in Spanish');
    await goto(`#/validations/${validationId}`, /^Validación: /);
    const timelineEs = (await page.locator('#timeline').textContent()) ?? '';
    assert.match(timelineEs, /1 de 3 intentos hechos/);
    assert.match(timelineEs, /Prueba de vida \d\.\d\d \(mínimo 0\.\d\d\): superado/);
    assert.match(timelineEs, /Webhook biometric_validation_validated: entregado/);
    await checkAxe('a validation in Spanish');
    await goto('#/audit', /^Registro de auditoría$/);
    await goto('#/settings', /^Ajustes$/);
    await checkAxe('the settings in Spanish');
    await page.locator('#console-language').selectOption('en');
    await heading()
      .filter({ hasText: /^Settings$/ })
      .waitFor();

    // A tablet: nothing on these screens is wider than the window.
    await page.setViewportSize({ width: 768, height: 1024 });
    for (const [hash, title] of [
      ['#/dashboard', /^Dashboard$/],
      ['#/validations', /^Validations$/],
      [`#/validations/${validationId}`, /^Validation: /],
      ['#/audit', /^Audit log$/],
      ['#/settings', /^Settings$/],
    ] as const) {
      await goto(hash, title);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${hash} is ${overflow} px wider than a 768 px tablet`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });

    // Settings: the new webhook secret is shown once and is the one the server signs with.
    await goto('#/settings', /^Settings$/);
    await checkAxe('the settings');
    await page.getByRole('button', { name: 'Rotate webhook secret' }).click();
    await page.locator('dialog[open]').getByRole('button', { name: 'Rotate webhook secret' }).click();
    const secret = await page.locator('#new-webhook-secret').inputValue();
    assert.equal((await call('GET', '/v2/clients/webhook-secret')).body.data.webhookSecret, secret);

    // Renewing the token revokes the one in use: the console shows the new one and asks to sign in with it.
    await page.getByRole('button', { name: 'Renew and revoke the API token' }).click();
    await page.locator('dialog[open]').getByRole('button', { name: 'Renew and revoke the API token' }).click();
    const renewed = await page.locator('#new-api-token').inputValue();
    assert.notEqual(renewed, token);
    const oldTry = await call('GET', '/v2/projects');
    assert.deepEqual([oldTry.status, oldTry.body?.message], [403, 'token_revoked'], 'the old token is revoked');
    await shot('settings-renewed');
    await checkAxe('the settings after renewing');
    await page.getByRole('button', { name: 'Sign in with the new token' }).click();
    await page.getByLabel('API token').fill(renewed);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('nav').waitFor();
    token = renewed;
    assert.equal((await call('GET', '/v2/projects')).status, 200);
    const audit = (await call('GET', '/v2/audit-logs?perPage=50')).body.data as Array<{ action: string }>;
    for (const action of ['webhookSecret.rotate', 'token.renew', 'webhookDelivery.redeliver', 'person.delete']) {
      assert.ok(
        audit.some((e) => e.action === action),
        `${action} audited`,
      );
    }

    assert.deepEqual(problems, [], 'no console errors');
    await context.close();
  });
});

async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The hash route the console is on, once it matches. */
async function waitForHash(page: Page, pattern: RegExp): Promise<RegExpMatchArray> {
  await page.waitForFunction((source) => new RegExp(source).test(location.hash), pattern.source);
  return (await page.evaluate(() => location.hash)).match(pattern)!;
}

/**
 * The console-core screens, driven as the operator does: a project, a passive login flow (a fixture photo played to
 * the camera cannot follow an active challenge) with the webhook and redirect URLs, and two people enrolled by
 * uploading their photos into the project's default collection.
 */
async function setUpThroughConsole(
  page: Page,
  o: { webhookUrl: string; redirectUrl: string },
): Promise<{ projectId: string }> {
  await page.evaluate(() => {
    location.hash = '#/projects/new';
  });
  await page.getByLabel('Name', { exact: true }).first().fill('Acme Shop');
  await page.getByRole('button', { name: 'Create' }).click();
  const projectId = (await waitForHash(page, /^#\/projects\/([0-9a-f]{24})$/))[1]!;

  await page.getByRole('link', { name: 'New flow' }).click();
  await waitForHash(page, /^#\/flows\/new/);
  const form = page.locator('main form');
  await form.getByLabel('Type', { exact: true }).selectOption('login');
  await form.getByLabel('Name', { exact: true }).fill('Shop login');
  await form.getByLabel('Redirect URL').fill(o.redirectUrl);
  await form.getByLabel('Webhook URL').fill(o.webhookUrl);
  const login = form.getByRole('group', { name: 'Login settings' });
  await login.getByLabel('Liveness mode').selectOption('passive');
  await login.getByLabel('Liveness threshold').fill('0.51');
  await form.getByRole('button', { name: 'Create' }).click();
  await waitForHash(page, /^#\/flows\/[0-9a-f]{24}$/);

  await enrolThroughConsole(page, projectId);
  return { projectId };
}

/** Two people, each enrolled from an uploaded photo into the project's default collection (the persons screen). */
async function enrolThroughConsole(page: Page, projectId: string): Promise<void> {
  for (const [name, photo] of [
    ['Barack Obama', 'obama-1.jpg'],
    ['Angelina Jolie', 'angelina-1.jpg'],
  ] as const) {
    await page.evaluate(() => {
      location.hash = '#/persons';
    });
    const form = page.getByRole('form', { name: 'Enrol a person' });
    await form.waitFor();
    await form.getByLabel('Full name').fill(name);
    const collection = form.getByLabel('Collection');
    const code = await collection.evaluate(
      (select, id) => [...(select as HTMLSelectElement).options].find((o) => o.text.includes(id))?.value ?? '',
      projectId,
    );
    assert.ok(code, "the project's default collection is offered");
    await collection.selectOption(code);
    await form.getByLabel('Photos (1 to 3)').setInputFiles(fixturePhoto(photo));
    await form.getByRole('button', { name: 'Enrol' }).click();
    // Enrolled, the list shows them (the screen renders again with the new person).
    await page.locator('main table').getByText(name, { exact: true }).waitFor({ timeout: 30_000 });
  }
}

/** The person's own screen, Delete person, and yes to the question. */
async function deletePersonThroughConsole(page: Page, personId: string): Promise<void> {
  await page.evaluate((id) => {
    location.hash = `#/persons/${id}`;
  }, personId);
  await page.getByRole('button', { name: 'Delete person' }).click();
  await page.locator('dialog[open]').getByRole('button', { name: 'Delete' }).click();
  await waitForHash(page, /^#\/persons$/);
}
