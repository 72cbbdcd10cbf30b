// `npm run screenshots`: pictures of the console's main screens for the README, taken in Debian's Chromium from the
// real server (`facegate serve` in a child process) over a seeded tenant, written to docs/screenshots/ as PNGs.
// The tenant is seeded through the API, in process with a clock set back day by day so the dashboard has two weeks
// of history: real validations of fixture photos (found, not found, no face), some left to expire, webhooks to a
// local receiver. Nothing here runs in the test suite; run it again after changing a screen.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { packageRoot } from '../src/package-root.js';
import { chromiumUnavailableReason, launchChromium } from '../test/helpers/browser.js';
import { face } from '../test/helpers/faces.js';
import { startServerProcess, startWebhookReceiver, stopServerProcess } from '../test/helpers/server-process.js';

const outDir = join(packageRoot, 'docs', 'screenshots');
const DAY_MS = 86_400_000;
const HISTORY_DAYS = 28;

/** A clock the seeding moves by hand: each day's validations are created and tried "on" that day. */
function settableClock(start: Date) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    set: (d: Date) => {
      now = d.getTime();
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

async function seed(
  env: NodeJS.ProcessEnv,
  webhookUrl: string,
): Promise<{ token: string; validationId: string; project: string; flow: string }> {
  const today = new Date();
  const clock = settableClock(new Date(today.getTime() - HISTORY_DAYS * DAY_MS));
  const app = await buildApp(loadConfig(env), { clock, backgroundJobs: false, logger: false });
  await app.warmUp();
  try {
    const { token: issued } = await app.services.clients.create({ name: 'Acme' });
    const call = async (method: 'GET' | 'POST', url: string, body?: unknown, bearer = issued.token) => {
      const r = await app.http.inject({
        method,
        url,
        headers: { authorization: `Bearer ${bearer}` },
        ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      });
      // biome-ignore lint/suspicious/noExplicitAny: the seeding reads a few known fields of the API's answers
      const json = r.json() as any;
      if (r.statusCode !== 200 && !url.endsWith('/validate')) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
      return json;
    };
    const project = (
      await call('POST', '/v2/projects', {
        name: 'Acme Shop',
        privacyUrl: 'https://acme.example/privacy',
        termsAndConditionsUrl: 'https://acme.example/terms',
        branding: { bgColor: '#f4f1ea', borderColor: '#0b4f8a', titleColor: '#0b2f52', txtColor: '#1d232b' },
      })
    ).data._id as string;
    await call('POST', '/v2/projects', { name: 'Acme Staff' });
    const flow = (
      await call('POST', '/v2/project-flows', {
        project,
        type: 'login',
        status: 'active',
        redirectUrl: 'https://shop.acme.example/signed-in',
        webhookUrl,
        name: 'Shop login',
        loginSettings: { livenessMode: 'passive', livenessMinScore: 0.51 },
      })
    ).data._id as string;
    await call('POST', '/v2/project-flows', {
      project,
      type: 'onboarding',
      status: 'active',
      name: 'Shop sign-up',
      redirectUrl: 'https://shop.acme.example/welcome',
      webhookUrl,
    });
    const collection = (await call('GET', `/v2/face-recognition/collections?where_project=${project}`)).data[0]
      .code as string;
    for (const [name, photo] of [
      ['Barack Obama', 'obama-1'],
      ['Angelina Jolie', 'angelina-1'],
    ] as const) {
      await call('POST', '/v2/face-recognition/persons', { name, images: [face(photo)], collections: [collection] });
    }

    // Each day: a few logins of enrolled people, someone not enrolled, a picture without a face, some never tried.
    let validationId = '';
    const attempt = async (identifier: string, photos: string[]) => {
      const created = (
        await call('POST', '/v2/biometric-validations', { project, projectFlow: flow, identifier, type: 'login' })
      ).data;
      for (const photo of photos) {
        clock.advance(20_000);
        await call('POST', '/v2/biometric-validations/validate', { image: face(photo), os: 'DESKTOP' }, created.token);
      }
      return created.biometricValidation._id as string;
    };
    for (let d = HISTORY_DAYS - 1; d >= 0; d--) {
      clock.set(new Date(today.getTime() - d * DAY_MS - 2 * 3_600_000));
      const busy = 1 + ((d * 7) % 4);
      for (let i = 0; i < busy; i++) {
        validationId = await attempt(`customer-${d}-${i}@acme.example`, [i % 2 ? 'angelina-2' : 'obama-2']);
      }
      if (d % 3 === 0) await attempt(`visitor-${d}@acme.example`, ['biden-1', 'biden-1', 'biden-1']);
      if (d % 4 === 1) await attempt(`kiosk-${d}@acme.example`, ['cat-no-face', 'obama-2']);
      if (d % 5 === 2) await attempt(`abandoned-${d}@acme.example`, []);
    }
    return { token: issued.token, validationId, project, flow };
  } finally {
    await app.close();
  }
}

/** Writes a palette PNG (a fraction of the size of Chromium's, same look for flat UI colours). */
async function save(page: Page, name: string, fullPage = false): Promise<void> {
  const png = await page.screenshot({ fullPage });
  await sharp(png)
    .png({ palette: true, quality: 90, effort: 10 })
    .toFile(join(outDir, `${name}.png`));
  console.log(`wrote docs/screenshots/${name}.png`);
}

async function main() {
  const skip = chromiumUnavailableReason();
  if (skip) throw new Error(skip);
  mkdirSync(outDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'facegate-screens-'));
  const receiver = await startWebhookReceiver();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FACEGATE_DATA_DIR: dataDir,
    FACEGATE_JWT_SECRET: randomBytes(32).toString('hex'),
    FACEGATE_TEMPLATE_KEY: randomBytes(32).toString('hex'),
    FACEGATE_LOG_LEVEL: 'warn',
    FACEGATE_RATE_LIMIT_PER_MINUTE: '100000',
    FACEGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  };
  let server: Awaited<ReturnType<typeof startServerProcess>> | undefined;
  const browser = await launchChromium({ camera: 'none' });
  try {
    const { token, validationId, project, flow } = await seed(env, receiver.url);
    server = await startServerProcess(env);
    // The server's sweeps now expire the validations left untried (every 5 s) and deliver the outbox the seeding
    // filled: wait for one sweep, then for the outbox to drain.
    const base = server.base;
    await new Promise((r) => setTimeout(r, 6000));
    for (let i = 0; i < 100; i++) {
      const r = await fetch(`${base}/v2/stats/validations`, { headers: { authorization: `Bearer ${token}` } });
      if (((await r.json()) as { data: { webhookBacklog: number } }).data.webhookBacklog === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    // A few things an integrator's backend does through the API, so the audit log shows more than the seeding.
    const backend = (method: string, path: string) =>
      fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'user-agent': 'acme-backend/1.4 (node)' },
      }).then((r) => r.json() as Promise<{ data: unknown }>);
    const persons = (await backend('GET', '/v2/face-recognition/persons')).data as Array<{ _id: string }>;
    if (persons[0]) await backend('GET', `/v2/face-recognition/persons/${persons[0]._id}`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    const page = await context.newPage();
    // A screen that throws or logs an error is not one to photograph.
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) {
        problems.push(`console: ${m.text()} (${m.location().url})`);
      }
    });
    const open = async (hash: string) => {
      await page.evaluate((h) => {
        location.hash = h;
      }, hash);
      await page.locator('main h1').first().waitFor();
      await page.waitForFunction(() => !document.querySelector('main [role="status"]'));
      await page.waitForTimeout(150);
    };
    await page.goto(`${base}/console`);
    await page.locator('main h1').first().waitFor();
    await save(page, 'sign-in');
    await page.locator('input[name="token"]').fill(token);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('nav').waitFor();
    await open('#/dashboard');
    await save(page, 'dashboard', true);
    await open('#/projects');
    await save(page, 'projects');
    await open(`#/projects/${project}`);
    await save(page, 'project');
    await open(`#/flows/${flow}`);
    await save(page, 'flow');
    await open('#/persons');
    await save(page, 'persons');
    await open('#/validations');
    await save(page, 'validations');
    await open(`#/validations/${validationId}`);
    await save(page, 'validation-detail', true);
    await open('#/audit');
    await save(page, 'audit');
    await open('#/settings');
    await save(page, 'settings');
    await page.locator('#console-language').selectOption('es');
    await open('#/dashboard');
    await save(page, 'dashboard-es');
    await page.setViewportSize({ width: 768, height: 1024 });
    await open('#/validations');
    await save(page, 'validations-tablet-es');
    await context.close();
    if (problems.length) throw new Error(`the console reported problems:\n${problems.join('\n')}`);
  } finally {
    await browser.close();
    if (server) await stopServerProcess(server.child);
    await receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
