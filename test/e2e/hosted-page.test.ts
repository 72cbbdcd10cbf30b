import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { type Browser, type BrowserContextOptions, devices, type Page, type Request } from 'playwright-core';
import {
  centredClip,
  chromiumUnavailableReason,
  clipFromMjpeg,
  launchChromium,
  locateWith,
  stillClip,
} from '../helpers/browser.js';
import { evalDataDir, evalDataSkip } from '../helpers/eval-data.js';
import {
  artifactsDir,
  createProject,
  enrol,
  type ProjectSetup,
  pressStart,
  REDIRECT,
  type Server,
  startServer,
} from './hosted-page.fixture.js';

// Issue 6: the hosted sign-in page, in Debian's Chromium with a fake camera fed by clips built from fixture photos,
// against the real server (real engine, SQLite). Screenshots of every end state go to test-artifacts/hosted-page/.

const chromiumSkip = chromiumUnavailableReason();
/** Fresh runs of the live recording (issue #12's first-try figures); FACEGATE_LIVE_RUNS to change. */
const LIVE_RUNS = Number(process.env['FACEGATE_LIVE_RUNS'] ?? 10);
/** A hung browser fails its test instead of the whole run. */
const T = { timeout: 120_000 };

interface Opened {
  browser: Browser;
  page: Page;
  /** Console errors and page errors, apart from the API's expected refusals. */
  problems: string[];
  requests: Request[];
  close(): Promise<void>;
}

/** API answers the page expects to get and handles (Chromium logs every non-2xx fetch as a console error). */
const expectedRefusal = /\/v2\/biometric-validations\/(validate|preview)$/;

/** Browsers still open; closed after each test even when it failed, so a failure cannot hang the run. */
const openBrowsers = new Set<Browser>();

async function open(
  url: string,
  options: {
    clip?: string | undefined;
    camera?: 'fake' | 'none' | 'ask';
    context?: BrowserContextOptions;
    /** Stay on the get-ready screen instead of pressing Start. */
    stay?: boolean;
  } = {},
): Promise<Opened> {
  const browser = await launchChromium({
    ...(options.clip ? { video: options.clip } : {}),
    camera: options.camera ?? 'fake',
  });
  openBrowsers.add(browser);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options.context });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: Request[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (/Failed to load resource/.test(m.text()) && expectedRefusal.test(m.location().url)) return;
    problems.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => requests.push(r));
  await page.goto(url);
  if (!options.stay) await pressStart(page);
  return {
    browser,
    page,
    problems,
    requests,
    async close() {
      openBrowsers.delete(browser);
      await browser.close();
      assert.deepEqual(problems, [], 'no console errors');
    },
  };
}

/** Why the page stopped (`data-reason` of <main>): a server code or `camera_<problem>`. */
const reasonOf = (page: Page) => page.evaluate(() => document.getElementById('main')?.dataset['reason']);

async function waitForState(page: Page, state: string, timeout = 45_000): Promise<void> {
  await page.waitForFunction((s) => document.getElementById('main')?.dataset['state'] === s, state, { timeout });
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(artifactsDir, `${name}.png`) });

/**
 * Waits for the success state, photographs it (the page shows it briefly before leaving), then for the navigation to
 * the flow's redirect URL (answered here, as the integrator's app would); returns that URL.
 */
async function expectRedirect(page: Page, screenshot: string): Promise<URL> {
  await page.route(`${REDIRECT}**`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>app</title><p>ok</p>' }),
  );
  const request = page.waitForRequest((r) => r.url().startsWith(REDIRECT), { timeout: 45_000 });
  await waitForState(page, 'success');
  await shot(page, screenshot);
  const url = new URL((await request).url());
  await page.waitForURL(`${REDIRECT}**`);
  return url;
}

describe('hosted sign-in page', () => {
  let s: Server;
  let acme: ProjectSetup;
  let active: ProjectSetup;
  let obama: string;

  before(async () => {
    s = await startServer();
    // Passive liveness named explicitly: these tests are about the still-photo burst, whatever the default is.
    acme = await createProject(s, { name: 'Acme', livenessMode: 'passive', onboarding: true });
    active = await createProject(s, { name: 'Acme Active', livenessMode: 'active' });
    obama = await enrol(s, acme.collectionId, 'Barack Obama', 'obama-1');
    await enrol(s, active.collectionId, 'Barack Obama', 'obama-1');
  });
  after(() => s?.close());
  afterEach(async () => {
    await Promise.all([...openBrowsers].map((b) => b.close().catch(() => undefined)));
    openBrowsers.clear();
  });

  const signIn = (p: ProjectSetup, query = 'type=liveness') => `${s.base}/sign-in/${p.projectId}?${query}`;

  describe('serving', () => {
    test('the page has a strict CSP, is never cached, and its assets are immutable and versioned', T, async () => {
      const res = await fetch(signIn(acme), { headers: { 'accept-language': 'es-CO,es;q=0.9' } });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /style-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe/);
      const html = await res.text();
      assert.match(html, /<html lang="es">/);
      assert.match(html, /Inicia sesión con tu rostro/);
      const entry = /<script type="module" src="([^"]+)"/.exec(html)?.[1] ?? '';
      assert.match(entry, /^\/assets\/sign-in\/[0-9a-f]{16}\/main\.js$/);
      const asset = await fetch(`${s.base}${entry}`);
      assert.equal(asset.status, 200);
      assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.match(asset.headers.get('content-type') ?? '', /^text\/javascript/);
      const stale = await fetch(`${s.base}${entry.replace(/[0-9a-f]{16}/, '0000000000000000')}`);
      assert.equal(stale.status, 404);
      const test = await fetch(`${s.base}${entry.replace('main.js', 'guidance.test.js')}`);
      assert.equal(test.status, 404);
    });

    test("the page's own script stays under 300 KB gzipped", T, async (t) => {
      const html = await (await fetch(signIn(acme))).text();
      const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/sign-in\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
      assert.ok(scripts.length >= 2);
      let raw = 0;
      let gzipped = 0;
      for (const path of scripts) {
        const body = Buffer.from(await (await fetch(`${s.base}${path}`)).arrayBuffer());
        raw += body.length;
        gzipped += gzipSync(body, { level: 9 }).length;
      }
      const css = /href="(\/assets\/sign-in\/[^"]+\.css)"/.exec(html)?.[1] ?? '';
      const cssBody = Buffer.from(await (await fetch(`${s.base}${css}`)).arrayBuffer());
      t.diagnostic(
        `page weight: ${scripts.length} modules, ${raw} B raw, ${gzipped} B gzipped; ` +
          `CSS ${cssBody.length} B raw, ${gzipSync(cssBody, { level: 9 }).length} B gzipped; ` +
          `HTML ${Buffer.byteLength(html)} B`,
      );
      assert.ok(gzipped <= 300 * 1024, `${gzipped} B`);
    });

    test('an unknown project or a flow that is not active gets the "not available" page', T, async () => {
      for (const url of [
        `${s.base}/sign-in/0123456789abcdef01234567?type=liveness`,
        `${s.base}/sign-in/not-an-id`,
        signIn(active, 'type=onboarding'),
      ]) {
        const res = await fetch(url);
        assert.equal(res.status, 404, url);
        const html = await res.text();
        assert.match(html, /This sign-in is not available/);
        assert.doesNotMatch(html, /<script/);
      }
    });
  });

  describe('in Chromium', { skip: chromiumSkip }, () => {
    const clips: Record<string, string> = {};
    before(async () => {
      // Faces framed as the guidance asks (centred, close enough); the cat has no face to centre.
      const locate = locateWith(s.app.services.engine);
      for (const photo of ['obama-2', 'biden-1', 'angelina-1']) {
        clips[photo] = await centredClip(join(s.dir, `${photo}.y4m`), `${photo}.jpg`, locate);
      }
      clips['cat-no-face'] = await stillClip(join(s.dir, 'cat.y4m'), 'cat-no-face.jpg');
    });

    test('an enrolled person logs in: redirect with a token that project-login accepts once', T, async () => {
      const o = await open(signIn(acme), { clip: clips['obama-2'] });
      await waitForState(o.page, 'camera');
      await o.page.waitForFunction(() => document.getElementById('stage')?.classList.contains('ready'));
      await shot(o.page, 'login-camera-ready');
      const target = await expectRedirect(o.page, 'login-success');
      assert.equal(target.origin + target.pathname, REDIRECT);
      assert.equal(target.searchParams.get('type'), 'login');
      const token = target.searchParams.get('token') ?? '';
      const login = await s.call('POST', '/v2/auth/project-login', undefined, token);
      assert.equal(login.status, 200, JSON.stringify(login.body));
      assert.equal(login.body.data.person._id, obama);
      assert.equal(login.body.data.tokenType, 'bearer');
      assert.equal((await s.call('POST', '/v2/auth/project-login', undefined, token)).status, 403);
      // The page created its own validation: one create, one challenge, guidance previews, one validate.
      const creates = o.requests.filter((r) => r.method() === 'POST' && r.url().endsWith('/v2/biometric-validations'));
      assert.equal(creates.length, 1);
      assert.equal(JSON.parse(creates[0]?.postData() ?? '{}').type, 'login');
      const validate = o.requests.find((r) => r.url().endsWith('/validate'));
      const sent = JSON.parse(validate?.postData() ?? '{}');
      assert.equal(sent.os, 'DESKTOP');
      // Passive liveness: a burst of frames, judged on its median; `image` repeats the first for one-photo servers.
      // Issue #12: the 8 sharpest still frames of the capture window.
      assert.equal(sent.frames.length, 8);
      assert.equal(sent.image, sent.frames[0]);
      await o.close();
    });

    test('an unknown face gets the "not found" state, with a retry', T, async () => {
      const o = await open(signIn(acme), { clip: clips['biden-1'] });
      await waitForState(o.page, 'failure');
      assert.equal(await reasonOf(o.page), 'person_not_found');
      assert.equal(await o.page.textContent('#result-title'), 'We did not find you');
      assert.equal(await o.page.textContent('#primary'), 'Try again');
      assert.equal(await o.page.evaluate(() => document.activeElement?.id), 'result-title');
      await shot(o.page, 'login-not-found');
      await o.close();
    });

    test('a still photo in active mode cannot follow the challenge: the liveness state', T, async () => {
      const o = await open(signIn(active), { clip: clips['obama-2'] });
      await waitForState(o.page, 'challenge');
      const steps = await o.page.evaluate(async () => {
        const cue = document.getElementById('cue');
        return cue?.textContent ?? '';
      });
      assert.match(steps, /Turn your head|Blink/);
      await o.page.waitForTimeout(600);
      await shot(o.page, 'active-challenge');
      await waitForState(o.page, 'failure');
      const reason = await reasonOf(o.page);
      assert.ok(reason === 'challenge_failed' || reason === 'liveness_failed', String(reason));
      const validate = o.requests.find((r) => r.url().endsWith('/validate'));
      const body = JSON.parse(validate?.postData() ?? '{}');
      const challenge = o.requests.find((r) => r.url().endsWith('/challenge'));
      const answer = (await (await challenge?.response())?.json()) as {
        data: { steps: string[]; framesPerStep: number };
      };
      assert.equal(body.frames.length, answer.data.steps.length * answer.data.framesPerStep);
      await shot(o.page, 'active-refused');
      await o.close();
    });

    test('onboarding enrols a new face (on a phone), then refuses the same face a second time', T, async () => {
      const phone = devices['Pixel 7'];
      const first = await open(signIn(acme, 'type=onboarding'), { clip: clips['angelina-1'], context: phone });
      assert.equal(await first.page.textContent('h1'), 'Register your face');
      const target = await expectRedirect(first.page, 'onboarding-success');
      assert.equal(target.searchParams.get('type'), 'onboarding');
      const validate = first.requests.find((r) => r.url().endsWith('/validate'));
      assert.equal(JSON.parse(validate?.postData() ?? '{}').os, 'ANDROID');
      await first.close();
      const login = await s.call('POST', '/v2/auth/project-login', undefined, target.searchParams.get('token') ?? '');
      assert.equal(login.status, 200);
      const person = login.body.data.person;
      assert.deepEqual(person.collections, [acme.collectionId]);

      const second = await open(signIn(acme, 'type=onboarding'), { clip: clips['angelina-1'], context: phone });
      await waitForState(second.page, 'failure');
      assert.equal(await reasonOf(second.page), 'duplicated_person');
      assert.equal(await second.page.textContent('#result-title'), 'This face is already registered');
      // Issue #12: one instruction, and no "Try again", which could not succeed.
      assert.equal(await second.page.textContent('#result-text'), 'You are already registered: sign in instead.');
      assert.equal(await second.page.isVisible('#primary'), false);
      await shot(second.page, 'onboarding-duplicate');
      await second.close();
    });

    test("an integrator's own validation in the URL fragment is used, and its identifier kept", T, async () => {
      const created = await s.call('POST', '/v2/biometric-validations', {
        project: acme.projectId,
        projectFlow: acme.loginFlowId,
        identifier: 'user-42',
        type: 'login',
        language: 'es',
      });
      assert.equal(created.status, 200);
      const o = await open(`${signIn(acme)}&language=es#token=${created.body.data.token}`, { clip: clips['obama-2'] });
      assert.equal(await o.page.evaluate(() => location.hash), '', 'the token leaves the address bar at once');
      assert.equal(await o.page.textContent('h1'), 'Inicia sesión con tu rostro');
      const target = await expectRedirect(o.page, 'handed-session-success');
      const creates = o.requests.filter((r) => r.method() === 'POST' && r.url().endsWith('/v2/biometric-validations'));
      assert.equal(creates.length, 0);
      assert.ok(o.requests.every((r) => !r.url().includes(created.body.data.token)));
      const login = await s.call('POST', '/v2/auth/project-login', undefined, target.searchParams.get('token') ?? '');
      assert.equal(login.body.data.appLogin.identifier, 'user-42');
      assert.equal(login.body.data.appLogin.biometricValidation, created.body.data.biometricValidation._id);
      await o.close();
    });

    test('keyboard only: language, capture, the failure reason, retry', T, async () => {
      const o = await open(signIn(acme), { clip: clips['cat-no-face'], stay: true });
      await waitForState(o.page, 'get-ready');
      const focused = () => o.page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName);
      await o.page.keyboard.press('Tab');
      assert.equal(await focused(), 'lang');
      await o.page.keyboard.press('Enter');
      assert.equal(await o.page.evaluate(() => document.documentElement.lang), 'es');
      assert.equal(await o.page.textContent('h1'), 'Inicia sesión con tu rostro');
      await o.page.keyboard.press('Enter');
      assert.equal(await o.page.textContent('h1'), 'Sign in with your face');
      await o.page.keyboard.press('Tab');
      assert.equal(await focused(), 'primary');
      // Issue #12: the get-ready screen says what will happen and what is kept; the camera starts on Start.
      assert.equal(await o.page.textContent('#primary'), 'Start');
      assert.match((await o.page.textContent('#get-ready')) ?? '', /hold still.*keep only the result/s);
      assert.equal(await o.page.evaluate(() => document.getElementById('main')?.dataset['camera']), undefined);
      await o.page.keyboard.press('Enter');
      await waitForState(o.page, 'camera');
      assert.equal(await focused(), 'primary');
      assert.equal(await o.page.textContent('#primary'), 'Take photo');
      await o.page.keyboard.press('Enter');
      await waitForState(o.page, 'failure');
      assert.equal(await focused(), 'result-title', 'focus moves to the outcome');
      assert.equal(await o.page.textContent('#result-title'), 'We could not see a face');
      await shot(o.page, 'keyboard-no-face');
      await o.page.keyboard.press('Tab');
      assert.equal(await focused(), 'primary');
      assert.equal(await o.page.textContent('#primary'), 'Try again');
      await o.page.keyboard.press('Enter');
      await waitForState(o.page, 'camera');
      assert.equal(await focused(), 'primary');
      assert.equal(await o.page.textContent('#primary'), 'Take photo');
      // Every control has an accessible name and the outline of focus is visible.
      const unnamed = await o.page.evaluate(() =>
        Array.from(document.querySelectorAll('button, a, video'))
          .filter((e) => !(e as HTMLElement).hidden && !(e.getAttribute('aria-label') || e.textContent?.trim()))
          .map((e) => e.outerHTML),
      );
      assert.deepEqual(unnamed, []);
      const outline = await o.page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
      assert.equal(outline, 'solid');
      await o.close();
    });

    test('camera permission denied: says how to allow it, with a retry', T, async () => {
      const o = await open(signIn(acme), { camera: 'ask' });
      await waitForState(o.page, 'camera-error');
      assert.equal(await reasonOf(o.page), 'camera_denied');
      assert.equal(await o.page.textContent('#result-title'), 'Camera access is blocked');
      assert.match((await o.page.textContent('#result-text')) ?? '', /site settings/);
      assert.equal(await o.page.textContent('#primary'), 'Try again');
      await shot(o.page, 'camera-denied');
      await o.close();
    });

    test('no camera: says what to do', T, async () => {
      const o = await open(signIn(acme, 'type=liveness&language=es'), { camera: 'none' });
      await waitForState(o.page, 'camera-error');
      assert.equal(await reasonOf(o.page), 'camera_none');
      assert.equal(await o.page.textContent('#result-title'), 'No se encontró ninguna cámara');
      assert.equal(await o.page.textContent('#primary'), 'Intentar de nuevo');
      await shot(o.page, 'camera-none');
      await o.close();
    });

    // A real webcam recording (dim, backlit) of a live person and of a phone replaying them, from the shared
    // evaluation set: the flow at Verifik's default liveness threshold, as a genuine user and an attacker meet it.
    describe('real camera recordings', { skip: evalDataSkip() }, () => {
      let apfol: ProjectSetup;
      const video = (name: string) => readFileSync(join(evalDataDir, 'video', `${name}.mjpeg`));
      before(async () => {
        apfol = await createProject(s, { name: 'Apfol', livenessMode: 'passive', livenessMinScore: 0.6 });
        const enrolment = readFileSync(join(evalDataDir, 'spoof', 'real', 'apfol_real2_t00.50.jpg'));
        await enrol(s, apfol.collectionId, 'Apfol', enrolment);
        clips['apfol-live'] = await clipFromMjpeg(join(s.dir, 'apfol-live.y4m'), video('live_apfol_640x480_30fps'));
        clips['apfol-replay'] = await clipFromMjpeg(
          join(s.dir, 'apfol-replay.y4m'),
          video('replay_attack_apfol_640x480_30fps'),
        );
      });

      /**
       * Issue #12: fresh runs (a new browser each, so the recording starts over) of a person who presses Start and
       * then does what the page says; up to three attempts. Figures for the README, not timed assertions.
       */
      test(`the live person gets in at the first try, in a few seconds (${LIVE_RUNS} fresh runs)`, {
        timeout: LIVE_RUNS * 120_000,
      }, async (t) => {
        const runs: { attempts: number | null; ms: number; reasons: string[] }[] = [];
        for (let run = 1; run <= LIVE_RUNS; run++) {
          const browser = await launchChromium({ video: clips['apfol-live'] ?? '' });
          openBrowsers.add(browser);
          const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
          await page.route(`${REDIRECT}**`, (route) =>
            route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>app</title>' }),
          );
          const redirected = page.waitForRequest((r) => r.url().startsWith(REDIRECT), { timeout: 100_000 });
          redirected.catch(() => undefined);
          const opened = Date.now();
          await page.goto(signIn(apfol));
          await pressStart(page);
          const reasons: string[] = [];
          let attempts: number | null = null;
          let marks = '';
          for (let attempt = 1; attempt <= 3 && attempts === null; attempt++) {
            await page.waitForFunction(
              () => ['success', 'failure'].includes(document.getElementById('main')?.dataset['state'] ?? ''),
              undefined,
              { timeout: 45_000 },
            );
            if ((await page.evaluate(() => document.getElementById('main')?.dataset['state'])) === 'success') {
              attempts = attempt;
              // The page's own timeline (ms from navigation), read before it leaves.
              marks = await page.evaluate(() =>
                performance
                  .getEntriesByType('mark')
                  .filter((m) => m.name.startsWith('facegate:'))
                  .map((m) => `${m.name.slice(9)} ${m.startTime.toFixed(0)}`)
                  .join(', '),
              );
            } else {
              reasons.push(String(await reasonOf(page)));
              // The page never shows a score, whatever the outcome.
              assert.doesNotMatch((await page.textContent('main')) ?? '', /\d\.\d\d|score|puntuaci/i);
              if (attempt < 3) await page.click('#primary');
            }
          }
          if (attempts) await redirected;
          const ms = attempts ? Date.now() - opened : Number.NaN;

          runs.push({ attempts, ms, reasons });
          t.diagnostic(
            `run ${run}: ${attempts ? `in at attempt ${attempts} after ${ms} ms` : 'not in'}${reasons.length ? `; refused: ${reasons.join(', ')}` : ''} (${marks})`,
          );
          openBrowsers.delete(browser);
          await browser.close();
        }
        const first = runs.filter((r) => r.attempts === 1).length;
        const withinThree = runs.filter((r) => r.attempts !== null).length;
        const times = runs
          .filter((r) => r.attempts)
          .map((r) => r.ms)
          .sort((a, b) => a - b);
        const median = times.length ? (times[(times.length - 1) >> 1]! + times[times.length >> 1]!) / 2 : Number.NaN;
        t.diagnostic(
          `live clip, passive: first attempt ${first}/${LIVE_RUNS}, within three ${withinThree}/${LIVE_RUNS}; ` +
            `opening the url to the redirect: median ${median} ms (${times.join(', ')})`,
        );
        // Targets of issue #12 are figures in the README; the test guards only that the person gets in at all.
        assert.ok(withinThree >= LIVE_RUNS - 1, `within three attempts: ${withinThree} of ${LIVE_RUNS}`);
      });

      test('the phone replaying them is refused as not live, try after try', T, async () => {
        const o = await open(signIn(apfol), { clip: clips['apfol-replay'] });
        for (let attempt = 1; attempt <= 2; attempt++) {
          // The phone's face is small in the frame, so the guidance would wait: the attacker presses "Take photo".
          await waitForState(o.page, 'camera');
          await o.page.click('#primary');
          await waitForState(o.page, 'failure');
          assert.equal(await reasonOf(o.page), 'liveness_failed', `attempt ${attempt}`);
          if (attempt === 1) {
            await shot(o.page, 'real-camera-replay-refused');
            await o.page.click('#primary');
          }
        }
        await o.close();
      });
    });

    test('time to camera: the preview plays within 1.5 s of opening the page (median of 5)', T, async (t) => {
      const browser = await launchChromium({ video: clips['obama-2'] ?? '' });
      const context = await browser.newContext();
      const times: number[] = [];
      try {
        for (let i = 0; i < 6; i++) {
          const page = await context.newPage();
          await page.goto(signIn(acme));
          await pressStart(page);
          await page.waitForFunction(() => document.getElementById('main')?.dataset['camera'] === 'playing');
          times.push(
            await page.evaluate(() => performance.getEntriesByName('facegate:camera-playing')[0]?.startTime ?? -1),
          );
          await page.close();
        }
      } finally {
        await browser.close();
      }
      const [cold = 0, ...warm] = times;
      const median = [...warm].sort((a, b) => a - b)[Math.floor(warm.length / 2)] ?? 0;
      t.diagnostic(
        `time to camera: first load ${cold.toFixed(0)} ms; then ${warm.map((x) => x.toFixed(0)).join(', ')} ms (median ${median.toFixed(0)} ms)`,
      );
      assert.ok(cold < 1500 && median < 1500, JSON.stringify(times));
    });
  });
});
