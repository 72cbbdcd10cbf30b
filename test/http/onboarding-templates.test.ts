import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ChallengeStep } from '../../src/domain/active-challenge.js';
import { packageRoot } from '../../src/package-root.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { evalDataSkip } from '../helpers/eval-data.js';
import { seededRandom } from '../helpers/liveness-attacks.js';
import { clipAtCadence, genuineFrames, liveClipPath, passiveTimes, readClip } from '../helpers/liveness-clips.js';
import { sqliteKind } from '../helpers/stores.js';

// Issue #11: a person who onboards on the hosted page is enrolled with several templates from their burst (the
// match rule blends a person's best template with their second best), not with the one frame that stands for it.
// The real engine, the dev set's live recording, a real SQLite store; the templates are read back from the store,
// since the API shows persons' thumbnails, never their templates.

const devSet = evalDataSkip();
const b64 = (frames: Buffer[]) => frames.map((f) => f.toString('base64'));
const fixture = (name: string) =>
  readFileSync(join(packageRoot, 'test', 'fixtures', 'faces', `${name}.jpg`)).toString('base64');

describe('onboarding enrols several templates from its burst (#11)', { skip: devSet }, () => {
  let t: TestApp;
  let now = Date.now();
  const clock = { now: () => new Date(now) };
  let acme: { id: string; token: string };
  let live: Buffer[];

  /** A project with a passive login flow and an onboarding flow in `mode`, its collection holding two others. */
  const setUp = async (mode: 'passive' | 'active') => {
    const project = (
      await t.request('POST', '/v2/projects', { token: acme.token, body: { name: `Shop ${mode}` } })
    ).json().data._id;
    const flow = async (type: string, livenessMode: string) => {
      const res = await t.request('POST', '/v2/project-flows', {
        token: acme.token,
        body: { project, type, redirectUrl: 'https://shop.test/done', loginSettings: { livenessMode } },
      });
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      return res.json().data._id as string;
    };
    const collection = (
      await t.request('GET', `/v2/face-recognition/collections?where_project=${project}`, { token: acme.token })
    ).json().data[0].code;
    for (const [name, photo] of [
      ['Barack Obama', 'obama-1'],
      ['Joe Biden', 'biden-1'],
    ] as const) {
      const res = await t.request('POST', '/v2/face-recognition/persons', {
        token: acme.token,
        body: { name, images: [fixture(photo)], collections: [collection] },
      });
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    }
    return { project, onboarding: await flow('onboarding', mode), login: await flow('login', 'passive') };
  };

  /** Creates a validation with the API token and sends it `build(steps)` as frames, once the page could have. */
  const attempt = async (
    project: string,
    projectFlow: string,
    type: 'login' | 'onboarding',
    identifier: string,
    build: (steps: ChallengeStep[]) => Promise<Buffer[]>,
  ) => {
    const created = await t.request('POST', '/v2/biometric-validations', {
      token: acme.token,
      body: { project, projectFlow, identifier, type },
    });
    assert.equal(created.statusCode, 200, created.body.slice(0, 300));
    const { token } = created.json().data;
    const challenge = await t.request('GET', '/v2/biometric-validations/challenge', { token });
    const frames = await build(challenge.json().data.steps as ChallengeStep[]);
    now += 8000;
    return t.request('POST', '/v2/biometric-validations/validate', {
      token,
      body: { frames: b64(frames), os: 'DESKTOP' },
    });
  };

  const templatesOf = async (personId: string) =>
    (await t.app.store.faceData.templatesOf(acme.id, [personId])).map((r) => r.template);

  /** Which of `frames` each stored template was made from (the engine is deterministic). */
  const sourcesOf = async (templates: Float32Array[], frames: Buffer[]) => {
    const analysed = await Promise.all(
      frames.map((f) => t.app.services.engine.analyse(f, { pose: true, qualityGates: false })),
    );
    return templates.map((tpl) => {
      const i = analysed.findIndex((a) => t.app.services.engine.similarity(a.template, tpl) > 0.9999);
      assert.ok(i >= 0, 'every template comes from one of the frames sent');
      return { index: i, yaw: analysed[i]!.pose!.yaw, eyesOpen: analysed[i]!.pose!.eyesOpen };
    });
  };

  /** A passive login burst from a stretch of the recording the onboarding did not send (frontal frames 0-21). */
  const loginBurst = () =>
    clipAtCadence(
      live,
      Array.from({ length: 8 }, (_, i) => i * 100),
      0,
    );

  before(async () => {
    t = await startTestApp(sqliteKind, {
      clock,
      env: { FACEGATE_ENGINE_WORKERS: '2', FACEGATE_RATE_LIMIT_PER_MINUTE: '100000' },
    });
    acme = await t.newClient('acme');
    live = readClip(liveClipPath());
  });
  after(() => t?.close());

  test('a passive burst enrols 2-3 distinct templates and one thumbnail; a later burst logs the person in', async () => {
    const { project, onboarding, login } = await setUp('passive');
    // The page's 8-frame burst over 1.4 s (frames 150-192): the head drifts from frontal to turned, so the
    // detector's yaw leaves 4 of the 8 within the frontal tolerance.
    const frames = await clipAtCadence(live, passiveTimes, 5000);
    const res = await attempt(project, onboarding, 'onboarding', 'apfol@shop.test', async () => frames);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    const personId = res.json().data.person as string;

    const templates = await templatesOf(personId);
    assert.ok(templates.length >= 2 && templates.length <= 3, `${templates.length} templates`);
    const sources = await sourcesOf(templates, frames);
    assert.equal(new Set(sources.map((s) => s.index)).size, templates.length, 'no frame enrolled twice');
    const person = (await t.request('GET', `/v2/face-recognition/persons/${personId}`, { token: acme.token })).json()
      .data;
    assert.equal(person.thumbnails.length, 1, 'one thumbnail, as before');

    const again = await attempt(project, login, 'login', 'apfol@shop.test', loginBurst);
    assert.equal(again.statusCode, 200, again.body.slice(0, 300));
    assert.equal(again.json().data.person, personId);
    // The duplicate check is unchanged: the same person cannot onboard twice under another identifier.
    const twice = await attempt(project, onboarding, 'onboarding', 'apfol-2@shop.test', loginBurst);
    assert.equal(twice.statusCode, 409, twice.body.slice(0, 300));
    assert.equal(twice.json().code, 'duplicated_person');
  });

  test('an active challenge enrols 2-3 templates, only from frontal, open-eyed frames; a later burst logs in', async () => {
    const { project, onboarding, login } = await setUp('active');
    let frames: Buffer[] = [];
    const res = await attempt(project, onboarding, 'onboarding', 'apfol@shop.test', async (steps) => {
      frames = await genuineFrames(live, steps, seededRandom(7));
      return frames;
    });
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    const personId = res.json().data.person as string;

    const templates = await templatesOf(personId);
    assert.ok(templates.length >= 2 && templates.length <= 3, `${templates.length} templates`);
    const sources = await sourcesOf(templates, frames);
    // The challenge's thresholds for a frontal face with open eyes (src/domain/active-challenge.ts): 12°, 0.6.
    for (const s of sources) {
      assert.ok(Math.abs(s.yaw) <= 12 && s.eyesOpen >= 0.6, `frame ${s.index}: yaw ${s.yaw}, eyes ${s.eyesOpen}`);
    }

    const again = await attempt(project, login, 'login', 'apfol@shop.test', loginBurst);
    assert.equal(again.statusCode, 200, again.body.slice(0, 300));
    assert.equal(again.json().data.person, personId);
  });

  test('a person enrolled through the API with several photos keeps a template and a thumbnail for each', async () => {
    const { project } = await setUp('passive');
    const collection = (
      await t.request('GET', `/v2/face-recognition/collections?where_project=${project}`, { token: acme.token })
    ).json().data[0].code;
    const res = await t.request('POST', '/v2/face-recognition/persons', {
      token: acme.token,
      body: {
        name: 'Angelina Jolie',
        images: [fixture('angelina-1'), fixture('angelina-2')],
        collections: [collection],
      },
    });
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.equal(res.json().data.thumbnails.length, 2);
    assert.equal((await templatesOf(res.json().data._id)).length, 2);
  });
});
