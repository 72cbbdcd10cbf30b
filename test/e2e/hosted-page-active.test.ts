import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { centredClip, chromiumUnavailableReason, launchChromium, locateWith, splitMjpeg } from '../helpers/browser.js';
import { evalDataDir, evalDataSkip } from '../helpers/eval-data.js';
import { type Actor, type CameraEvent, installTestCamera, liveApfol, replayApfol } from '../helpers/test-camera.js';
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

// Issue 10: a new flow defaults to active liveness (a random order of turn left, turn right and blink). The hosted
// page in real Chromium, against the real server: a live person, played from a real webcam recording by a test
// camera that follows the page's instructions the way a person does (test/helpers/test-camera.ts), gets in at the
// first try; the phone replaying them, played the same way, and a still photo never do.

const chromiumSkip = chromiumUnavailableReason();
const dataSkip = evalDataSkip();
const RUNS = 5;

interface Outcome {
  steps: string[];
  /** The answer to the page's validate call. */
  status: number;
  body: { code?: string; message?: string; data?: { token?: string } } | null;
  /** The redirect's URL, when the page went there. */
  redirect: URL | null;
  /** Milliseconds from the first instruction to the redirect (or to the answer, when refused). */
  ms: number;
  /** What the engine measures on each frame the page sent (yaw°, eyes open, liveness). */
  sent: string[];
  problems: string[];
}

describe('hosted sign-in page, default (active) liveness', { skip: chromiumSkip || dataSkip }, () => {
  let s: Server;
  let flow: ProjectSetup;
  let person: string;
  let browser: Browser;
  const video = (name: string) => readFileSync(join(evalDataDir, 'video', `${name}.mjpeg`));
  const live = video('live_apfol_640x480_30fps');
  const replay = video('replay_attack_apfol_640x480_30fps');

  before(async () => {
    s = await startServer();
    // No livenessMode: the flow gets the server's default. The threshold is Verifik's default (0.6).
    flow = await createProject(s, { name: 'Apfol Default', livenessMinScore: 0.6 });
    const frames = splitMjpeg(live);
    // Two frontal, open-eyed frames of the same recording (0.3 s and 0.5 s).
    person = await enrol(s, flow.collectionId, 'Apfol', [frames[9] as Buffer, frames[15] as Buffer]);
    browser = await launchChromium({ camera: 'fake' });
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  const signIn = () => `${s.base}/sign-in/${flow.projectId}?type=liveness`;

  /** Per frame sent: `yaw/eyes/liveness`, or the engine's refusal, for a report a person can read. */
  async function measure(frames: string[]): Promise<string[]> {
    return Promise.all(
      frames.map(async (f) => {
        try {
          const a = await s.app.services.engine.analyse(Buffer.from(f, 'base64'), {
            pose: true,
            liveness: true,
            qualityGates: false,
          });
          return `${a.pose?.yaw.toFixed(0)}/${a.pose?.eyesOpen.toFixed(2)}/${a.liveness?.toFixed(2)}`;
        } catch (err) {
          return (err as { code?: string }).code ?? String(err);
        }
      }),
    );
  }

  /** One person, one page, one attempt: from opening the page to its first validation's outcome. */
  async function attempt(
    actor: Actor | null,
    clip: Buffer | string,
    name: string,
    options: { press?: boolean } = {},
  ): Promise<Outcome> {
    const own = actor ? browser : await launchChromium({ video: clip as string });
    const context = await own.newContext({ viewport: { width: 1280, height: 800 } });
    const page: Page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(m.text());
    });
    const events: CameraEvent[] = [];
    if (actor) await installTestCamera(page, clip as Buffer, actor, events);
    await page.route(`${REDIRECT}**`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>app</title><p>ok</p>' }),
    );
    let firstStepAt = 0;
    try {
      const challenge = page.waitForResponse((r) => r.url().endsWith('/v2/biometric-validations/challenge'));
      const validated = page.waitForResponse((r) => r.url().endsWith('/v2/biometric-validations/validate'), {
        timeout: 90_000,
      });
      await page.goto(signIn());
      await pressStart(page);
      if (options.press) {
        // Held far from the camera, the phone never satisfies the guidance: the attacker presses the button.
        await page.waitForFunction(() => document.getElementById('main')?.dataset['state'] === 'camera');
        await page.click('#primary');
      }
      const steps = ((await (await challenge).json()) as { data: { mode: string; steps: string[] } }).data;
      assert.equal(steps.mode, 'active', 'issue #10: a flow created without livenessMode uses active liveness');
      if (!actor) {
        await page.waitForFunction(() => document.getElementById('cue')?.dataset['step'], undefined, {
          timeout: 45_000,
        });
        firstStepAt = Date.now();
      }
      const response = await validated;
      const sentFrames = (JSON.parse(response.request().postData() ?? '{}') as { frames?: string[] }).frames ?? [];
      const body = (await response.json().catch(() => null)) as Outcome['body'];
      firstStepAt ||= events.find((e) => e.step)?.at ?? 0;
      let redirect: URL | null = null;
      let end = Date.now();
      if (response.status() === 200) {
        const request = await page.waitForRequest((r) => r.url().startsWith(REDIRECT), { timeout: 30_000 });
        end = Date.now();
        redirect = new URL(request.url());
      } else {
        await page.waitForFunction(() => document.getElementById('main')?.dataset['state'] === 'failure');
        await page.screenshot({ path: join(artifactsDir, `${name}.png`) });
        // A refused attempt is never followed by a redirect.
        await page.waitForTimeout(1000);
        assert.ok(!page.url().startsWith(REDIRECT));
      }
      return {
        steps: steps.steps,
        status: response.status(),
        body,
        redirect,
        ms: end - firstStepAt,
        sent: response.status() === 200 ? [] : await measure(sentFrames),
        problems,
      };
    } finally {
      await context.close();
      if (!actor) await own.close();
    }
  }

  const describeOutcome = (o: Outcome) =>
    `${o.steps.join(',')}: ${o.status} ${o.body?.code ?? ''} ${o.body?.message ?? ''} after ${o.ms} ms` +
    (o.sent.length ? `; frames sent (yaw/eyes/liveness): ${o.sent.join(' ')}` : '');

  test(`a live person passes at the first try and is logged in as the enrolled person (${RUNS} runs)`, {
    timeout: RUNS * 120_000,
  }, async (t) => {
    const outcomes: Outcome[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const o = await attempt(liveApfol, live, `active-live-refused-${run}`);
      outcomes.push(o);
      t.diagnostic(`run ${run}: ${describeOutcome(o)}`);
      assert.deepEqual(o.problems, [], 'no page errors');
      if (!o.redirect) continue;
      assert.equal(o.redirect.origin + o.redirect.pathname, REDIRECT);
      assert.equal(o.redirect.searchParams.get('type'), 'login');
      const login = await s.call(
        'POST',
        '/v2/auth/project-login',
        undefined,
        o.redirect.searchParams.get('token') ?? '',
      );
      assert.equal(login.status, 200, JSON.stringify(login.body));
      assert.equal(login.body.data.person._id, person);
    }
    const passed = outcomes.filter((o) => o.redirect).length;
    const times = outcomes.filter((o) => o.redirect).map((o) => o.ms);
    t.diagnostic(`passed ${passed}/${RUNS}; challenge start to redirect: ${times.join(', ')} ms`);
    assert.ok(passed >= RUNS - 1, `passed ${passed} of ${RUNS}`);
  });

  test('the phone replaying them, following the instructions the same way, is never logged in', {
    timeout: 240_000,
  }, async (t) => {
    for (let run = 1; run <= 2; run++) {
      const o = await attempt(replayApfol, replay, `active-replay-refused-${run}`, { press: true });
      t.diagnostic(`replay ${run}: ${describeOutcome(o)}`);
      assert.equal(o.redirect, null);
      assert.notEqual(o.status, 200);
      assert.ok(
        ['liveness_failed', 'challenge_failed'].some((c) => JSON.stringify(o.body).includes(c)),
        JSON.stringify(o.body),
      );
    }
  });

  test('a still photo of an enrolled person is refused', { timeout: 120_000 }, async (t) => {
    await enrol(s, flow.collectionId, 'Barack Obama', 'obama-1');
    const clip = await centredClip(join(s.dir, 'obama-2.y4m'), 'obama-2.jpg', locateWith(s.app.services.engine));
    const o = await attempt(null, clip, 'active-still-photo-refused');
    t.diagnostic(`still photo: ${describeOutcome(o)}`);
    assert.equal(o.redirect, null);
    assert.notEqual(o.status, 200);
    assert.ok(
      ['liveness_failed', 'challenge_failed'].some((c) => JSON.stringify(o.body).includes(c)),
      JSON.stringify(o.body),
    );
  });
});
