import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ChallengeStep } from '../../src/domain/active-challenge.js';
import { packageRoot } from '../../src/package-root.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { evalDataSkip } from '../helpers/eval-data.js';
import {
  attackIdentity,
  type DetectLandmarks,
  fromDetect,
  identityPhoto,
  paintedEyes,
  pastedEyes,
  photoFrame,
  type StepImages,
  seededRandom,
  stepComposite,
  stillVideo,
  tiltedPrint,
  turnedPair,
} from '../helpers/liveness-attacks.js';
import {
  captureTimes,
  clipAtCadence,
  genuineFrames,
  liveClipPath,
  liveEnrolmentFrames,
  passiveTimes,
  readClip,
  replayClipPath,
} from '../helpers/liveness-clips.js';
import { sqliteKind } from '../helpers/stores.js';

// Regression for issue #10: an attacker passed liveness with still photos. Every attack goes the way an anonymous
// attacker's script would: a validation created without an API token (as the hosted page does), the challenge
// fetched with the session token, frames built from downloaded photos, landmarks from the attacker's own account's
// `detect`, frames sent once the page could have captured them. The real engine decides, at default settings.

const devSet = evalDataSkip();
const withDevSet = { skip: devSet } as const;
const fixture = (name: string) => readFileSync(join(packageRoot, 'test', 'fixtures', 'faces', `${name}.jpg`));
const b64 = (frames: Buffer[]) => frames.map((f) => f.toString('base64'));

describe('liveness attacks with still photos and clips are refused (issue #10)', () => {
  let t: TestApp;
  let now = Date.now();
  const clock = { now: () => new Date(now) };
  let acme: { id: string; token: string };
  let attacker: { id: string; token: string };
  let project: string;
  const flows: Record<'passive' | 'active' | 'default', string> = { passive: '', active: '', default: '' };
  let collection: string;
  const persons: Record<string, string> = {};
  let n = 0;

  const enrol = async (name: string, images: Buffer[]) => {
    const res = await t.request('POST', '/v2/face-recognition/persons', {
      token: acme.token,
      body: { name, images: b64(images), collections: [collection] },
    });
    assert.equal(res.statusCode, 200, `enrolment of ${name}: ${res.body.slice(0, 300)}`);
    persons[name] = res.json().data._id;
  };

  /** The landmarks of a frame, from the attacker's own tenant (any Facegate account can call detect). */
  const landmarksOf = async (frame: Buffer) => {
    const res = await t.request('POST', '/v2/face-recognition/detect', {
      token: attacker.token,
      body: { image: frame.toString('base64') },
    });
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    return fromDetect(res.json().data[0].landmarks as DetectLandmarks);
  };

  type Payload = { image: Buffer } | { frames: Buffer[] };
  /** One anonymous attempt: create, fetch the challenge, build the payload for its steps, wait, validate. */
  const attempt = async (flow: keyof typeof flows, build: (steps: ChallengeStep[]) => Promise<Payload>) => {
    const created = await t.request('POST', '/v2/biometric-validations', {
      body: { project, projectFlow: flows[flow], identifier: `attempt-${++n}`, type: 'login' },
    });
    assert.equal(created.statusCode, 200, created.body.slice(0, 300));
    const { token, biometricValidation } = created.json().data;
    const challenge = await t.request('GET', '/v2/biometric-validations/challenge', { token });
    assert.equal(challenge.statusCode, 200, challenge.body.slice(0, 300));
    const steps = challenge.json().data.steps as ChallengeStep[];
    const payload = await build(steps);
    now += 8000; // the page needs ~6.3 s to capture an active challenge, plus the instructions
    const body =
      'image' in payload
        ? { image: payload.image.toString('base64'), os: 'DESKTOP' }
        : { frames: b64(payload.frames), os: 'DESKTOP' };
    const res = await t.request('POST', '/v2/biometric-validations/validate', { token, body });
    const stored = (
      await t.request('GET', `/v2/biometric-validations/${biometricValidation._id}`, { token: acme.token })
    ).json().data;
    return { res, stored, steps };
  };

  const assertRefused = async (r: Awaited<ReturnType<typeof attempt>>, what: string) => {
    assert.notEqual(r.res.statusCode, 200, `${what} got in (${r.steps.join(', ')}): ${r.res.body.slice(0, 200)}`);
    assert.equal(r.res.json().data?.appLogin, undefined);
    assert.ok(!['validated', 'completed'].includes(r.stored.status), `${what}: ${r.stored.status}`);
    const logins = (await t.request('GET', '/v2/app-logins', { token: acme.token })).json();
    assert.ok(
      !logins.data.some((l: { biometricValidation: string }) => l.biometricValidation === r.stored._id),
      `${what}: an app login exists`,
    );
  };

  before(async () => {
    t = await startTestApp(sqliteKind, {
      clock,
      env: { FACEGATE_ENGINE_WORKERS: '2', FACEGATE_RATE_LIMIT_PER_MINUTE: '100000' },
    });
    acme = await t.newClient('acme');
    attacker = await t.newClient('attacker');
    project = (await t.request('POST', '/v2/projects', { token: acme.token, body: { name: 'Shop' } })).json().data._id;
    const flow = async (loginSettings?: Record<string, unknown>) => {
      const res = await t.request('POST', '/v2/project-flows', {
        token: acme.token,
        body: {
          project,
          type: 'login',
          redirectUrl: 'https://shop.test/done',
          ...(loginSettings ? { loginSettings } : {}),
        },
      });
      assert.equal(res.statusCode, 200, `project flow: ${res.body.slice(0, 300)}`);
      return res.json().data._id as string;
    };
    flows.default = await flow();
    flows.passive = await flow({ livenessMode: 'passive' });
    flows.active = await flow({ livenessMode: 'active' });
    collection = (
      await t.request('GET', `/v2/face-recognition/collections?where_project=${project}`, { token: acme.token })
    ).json().data[0].code;
    await enrol('Barack Obama', [fixture('obama-2')]);
    if (!devSet) {
      await enrol(attackIdentity.name, attackIdentity.enrol.map(identityPhoto));
      await enrol('Live subject', await liveEnrolmentFrames(readClip(liveClipPath())));
    }
  });
  after(() => t?.close());

  // --- Without the dev set: fixture photos. ---

  test('active mode refuses a still photo sent as video (jittered, re-encoded)', async () => {
    const r = await attempt('active', async () => ({
      frames: await stillVideo(fixture('obama-1'), 15, seededRandom(1)),
    }));
    await assertRefused(r, 'still photo video');
  });

  test('active mode refuses fixture composites: frontal, slightly turned and mirrored, pasted-over eyes', async () => {
    const frontal = await photoFrame(fixture('obama-1'));
    const images: StepImages = {
      frontal,
      ...(await turnedPair(await photoFrame(fixture('obama-2')), 1)),
      blink: await pastedEyes(frontal, await landmarksOf(frontal)),
    };
    const r = await attempt('active', (steps) =>
      stepComposite(steps, images, seededRandom(2)).then((frames) => ({ frames })),
    );
    await assertRefused(r, 'fixture composite');
  });

  // --- With the dev set: a web-photo identity and the recordings. ---

  let attackImages: Promise<{ frontal: Buffer; turn_left: Buffer; turn_right: Buffer }> | undefined;
  const attackBase = () => {
    attackImages ??= (async () => {
      const frontal = await photoFrame(identityPhoto(attackIdentity.frontal));
      const turned = await photoFrame(identityPhoto(attackIdentity.turned));
      return { frontal, ...(await turnedPair(turned, attackIdentity.turnedYawSign)) };
    })();
    return attackImages;
  };
  const composite = (images: StepImages, seed: number) => (steps: ChallengeStep[]) =>
    stepComposite(steps, images, seededRandom(seed)).then((frames) => ({ frames }));

  test('a flow at default settings refuses the downloaded photo as one image', withDevSet, async () => {
    const r = await attempt('default', async () => ({
      image: await photoFrame(identityPhoto(attackIdentity.frontal)),
    }));
    await assertRefused(r, 'downloaded photo (image)');
  });

  test('a flow at default settings refuses the downloaded photo as a 3-frame burst', withDevSet, async () => {
    const r = await attempt('default', async () => ({
      frames: await stillVideo(identityPhoto(attackIdentity.frontal), 3, seededRandom(3)),
    }));
    await assertRefused(r, 'downloaded photo (burst)');
  });

  test('active mode refuses the downloaded photo sent as video', withDevSet, async () => {
    const r = await attempt('active', async () => ({
      frames: await stillVideo(identityPhoto(attackIdentity.frontal), 15, seededRandom(4)),
    }));
    await assertRefused(r, 'downloaded photo video');
  });

  test('active mode refuses turned and mirrored photos with painted-over eyes', withDevSet, async () => {
    const base = await attackBase();
    const images = { ...base, blink: await paintedEyes(base.frontal, await landmarksOf(base.frontal)) };
    const r = await attempt('active', composite(images, 5));
    await assertRefused(r, 'turned + mirrored + painted eyes');
  });

  test('active mode refuses turned and mirrored photos with pasted-over eyes', withDevSet, async () => {
    const base = await attackBase();
    const images = { ...base, blink: await pastedEyes(base.frontal, await landmarksOf(base.frontal)) };
    const r = await attempt('active', composite(images, 6));
    await assertRefused(r, 'turned + mirrored + pasted eyes');
  });

  test('active mode refuses a print tilted left and right, with pasted-over eyes', withDevSet, async () => {
    const { frontal } = await attackBase();
    const images: StepImages = {
      frontal,
      turn_left: await tiltedPrint(frontal, 'left', 45),
      turn_right: await tiltedPrint(frontal, 'right', 45),
      blink: await pastedEyes(frontal, await landmarksOf(frontal)),
    };
    const r = await attempt('active', composite(images, 7));
    await assertRefused(r, 'tilted print');
  });

  test('active mode refuses the replay clip, sampled at the page cadence', withDevSet, async () => {
    const replay = readClip(replayClipPath());
    const r = await attempt('active', async (steps) => ({ frames: await clipAtCadence(replay, captureTimes(steps)) }));
    await assertRefused(r, 'replay clip');
  });

  test('passive mode refuses the replay clip as a burst and as one image', withDevSet, async () => {
    const replay = readClip(replayClipPath());
    const burst = await attempt('passive', async () => ({ frames: await clipAtCadence(replay, passiveTimes, 1500) }));
    await assertRefused(burst, 'replay burst');
    const single = await attempt('passive', async () => ({
      image: (await clipAtCadence(replay, [0], 1500))[0] as Buffer,
    }));
    await assertRefused(single, 'replay image');
  });

  test('active mode logs the live recording subject in, in six sessions of random orders', withDevSet, async () => {
    const live = readClip(liveClipPath());
    const failures: string[] = [];
    for (let k = 0; k < 6; k++) {
      // The order the server picked is what the person performs: splice the recording in that order.
      const r = await attempt('active', (steps) =>
        genuineFrames(live, steps, seededRandom(100 + k)).then((frames) => ({ frames })),
      );
      if (r.res.statusCode !== 200 || r.res.json().data.person !== persons['Live subject']) {
        failures.push(`${r.steps.join(',')}: ${r.res.statusCode} ${r.res.body.slice(0, 120)}`);
      } else {
        assert.equal(r.stored.status, 'validated');
        assert.ok(r.res.json().data.appLogin);
      }
    }
    assert.deepEqual(failures, []);
  });
});
