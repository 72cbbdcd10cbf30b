import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startTestApp } from '../../test/helpers/app.js';
import { createFakeFaceEngine, type FakeImage, fakeImage } from '../../test/helpers/fake-face-engine.js';
import { sqliteKind } from '../../test/helpers/stores.js';

// The validation use cases' rules, each scenario on its own app and its own clock, with the fake face engine
// (#15): no ONNX, milliseconds each. What a user sees (status, body, stored validation) and the webhooks emitted.
// The real-engine HTTP tests (test/http/biometric-validations.test.ts) keep the end-to-end view.

interface Flow {
  type?: 'login' | 'onboarding';
  maxAttempts?: number;
  sessionMinutes?: number;
}

async function scenario(flowSettings: Flow = {}) {
  let now = Date.parse('2026-03-02T09:00:00.000Z');
  const clock = { now: () => new Date(now) };
  const engine = createFakeFaceEngine();
  const sent: Array<{ url: string; body: string }> = [];
  const t = await startTestApp(sqliteKind, {
    clock,
    overrides: {
      faceEngine: engine,
      backgroundJobs: false,
      logger: false,
      webhookSender: {
        async send(r) {
          sent.push(r);
          return 200;
        },
      },
    },
  });
  const acme = await t.newClient('acme');
  const api = (method: 'GET' | 'POST', url: string, body?: unknown) =>
    t.request(method, url, { token: acme.token, ...(body === undefined ? {} : { body }) });
  const project = (await api('POST', '/v2/projects', { name: 'Shop' })).json().data._id;
  const type = flowSettings.type ?? 'login';
  const flow = (
    await api('POST', '/v2/project-flows', {
      project,
      type,
      redirectUrl: 'https://shop.test/done',
      webhookUrl: 'https://shop.test/hook',
      loginSettings: { livenessMode: 'passive' },
      ...(flowSettings.maxAttempts ? { maxAttempts: flowSettings.maxAttempts } : {}),
      ...(flowSettings.sessionMinutes ? { sessionMinutes: flowSettings.sessionMinutes } : {}),
    })
  ).json().data._id;
  const collection = (await api('GET', `/v2/face-recognition/collections?where_project=${project}`)).json().data[0];
  const enrol = async (name: string) =>
    (
      await api('POST', '/v2/face-recognition/persons', {
        name,
        images: [fakeImage({ person: name })],
        collections: [collection._id],
      })
    ).json().data._id as string;
  const ada = await enrol('Ada');
  await enrol('Grace');

  const session = async (identifier = 'someone') => {
    const res = await api('POST', '/v2/biometric-validations', { project, projectFlow: flow, identifier, type });
    assert.equal(res.statusCode, 200, res.body);
    const data = res.json().data;
    return { token: data.token as string, id: data.biometricValidation._id as string };
  };
  const validate = (token: string, image: FakeImage | FakeImage[]) =>
    t.request('POST', '/v2/biometric-validations/validate', {
      token,
      body: Array.isArray(image)
        ? { frames: image.map((i) => fakeImage(i)), os: 'DESKTOP' }
        : { image: fakeImage(image), os: 'DESKTOP' },
    });
  const record = async (id: string) => (await api('GET', `/v2/biometric-validations/${id}`)).json().data;
  /** Delivers the outbox and returns the event types sent so far. */
  const webhooks = async () => {
    await t.app.services.webhooks.runOnce();
    return sent.map((s) => (JSON.parse(s.body) as { type: string }).type);
  };
  return {
    t,
    engine,
    ada,
    session,
    validate,
    record,
    webhooks,
    advance: (ms: number) => {
      now += ms;
    },
    close: () => t.close(),
  };
}

describe('validate (fake engine)', () => {
  test('the enrolled person logs in with another photo: validated, one attempt, webhooks new then validated', async () => {
    const s = await scenario();
    try {
      const { token, id } = await s.session();
      const res = await s.validate(token, { person: 'Ada', variant: 0.3 });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().data.person, s.ada);
      const v = await s.record(id);
      assert.equal(v.status, 'validated');
      assert.equal(v.attempts, 1);
      assert.deepEqual(await s.webhooks(), ['biometric_validation_new', 'biometric_validation_validated']);
    } finally {
      await s.close();
    }
  });

  test('photos to retake do not use up attempts; counted failures do, and exhaustion fails the session', async () => {
    const s = await scenario({ maxAttempts: 2 });
    try {
      const { token, id } = await s.session();
      for (const refuse of ['noFace', 'multipleFaces', 'faceTooBlurred', 'imageInvalid'] as const) {
        const res = await s.validate(token, { person: 'Ada', refuse });
        assert.equal(res.statusCode, refuse === 'imageInvalid' ? 409 : 412, refuse);
      }
      assert.equal((await s.record(id)).attempts, 0, 'retakes are free');
      const stranger = await s.validate(token, { person: 'Stranger' });
      assert.equal(stranger.statusCode, 404);
      assert.equal(stranger.json().code, 'person_not_found');
      assert.equal((await s.record(id)).attempts, 1);
      assert.equal((await s.validate(token, { person: 'Stranger' })).statusCode, 404);
      const v = await s.record(id);
      assert.deepEqual([v.status, v.attempts, v.failureReason], ['failed', 2, 'person_not_found']);
      const after = await s.validate(token, { person: 'Ada' });
      assert.equal(after.json().code, 'attempts_exhausted', 'not even the right face once exhausted');
      assert.deepEqual(await s.webhooks(), ['biometric_validation_new', 'biometric_validation_failed']);
    } finally {
      await s.close();
    }
  });

  test('a face that is not live fails liveness as a counted attempt; the score is in the record only', async () => {
    const s = await scenario();
    try {
      const { token, id } = await s.session();
      const res = await s.validate(token, { person: 'Ada', liveness: 0.001 });
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().message, 'liveness_failed', 'an anonymous caller learns no score');
      const v = await s.record(id);
      assert.equal(v.attempts, 1);
      assert.equal(v.failureReason, 'liveness_failed');
      assert.ok(typeof v.livenessScore === 'number' && v.livenessScore < 0.6);
      assert.deepEqual(await s.webhooks(), ['biometric_validation_new', 'biometric_validation_liveness_failed']);
    } finally {
      await s.close();
    }
  });

  test('a busy engine gives the attempt back', async () => {
    const s = await scenario({ maxAttempts: 1 });
    try {
      const { token, id } = await s.session();
      const res = await s.validate(token, { person: 'Ada', refuse: 'engineBusy' });
      assert.equal(res.statusCode, 503);
      assert.equal((await s.record(id)).attempts, 0);
      assert.equal((await s.validate(token, { person: 'Ada' })).statusCode, 200);
    } finally {
      await s.close();
    }
  });

  test('the lease: a second call while one is analysed is refused; a lease left by a lost call runs out', async () => {
    const s = await scenario();
    try {
      const { token, id } = await s.session();
      const release = s.engine.hold('first');
      const first = s.validate(token, { person: 'Ada', waitFor: 'first' });
      // Let the first call claim the session.
      while (s.engine.analysed.length === 0) await new Promise((r) => setTimeout(r, 1));
      const second = await s.validate(token, { person: 'Ada' });
      assert.equal(second.statusCode, 409);
      assert.equal(second.json().code, 'validation_in_progress');
      s.advance(61_000);
      // The first call is taken for lost once its lease has run out: another may try (and here succeeds).
      const third = await s.validate(token, { person: 'Ada' });
      assert.equal(third.statusCode, 200, third.body);
      release();
      const late = await first;
      assert.notEqual(late.statusCode, 200, 'the lost call cannot log in a second time');
      const logins = await s.t.request('GET', `/v2/app-logins?where_biometricValidation=${id}`, {
        token: (await s.t.newClient('x')).token,
      });
      assert.equal(logins.json().total, 0, 'another tenant sees nothing');
    } finally {
      await s.close();
    }
  });

  test('expiry: a call after the session minutes is refused; the sweeper expires it and says so once', async () => {
    const s = await scenario({ sessionMinutes: 2 });
    try {
      const { token, id } = await s.session();
      s.advance(60_000);
      assert.equal(await s.t.app.services.validationExpiry.expireOverdue(), 0, 'not yet due');
      s.advance(60_000);
      const res = await s.validate(token, { person: 'Ada' });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().code, 'liveness_session_expired');
      assert.equal(await s.t.app.services.validationExpiry.expireOverdue(), 1);
      assert.equal((await s.record(id)).status, 'expired');
      assert.equal(await s.t.app.services.validationExpiry.expireOverdue(), 0, 'already expired');
      assert.deepEqual(await s.webhooks(), ['biometric_validation_new', 'biometric_validation_expired']);
    } finally {
      await s.close();
    }
  });

  test('bursts: one person logs in as one attempt; two people are different faces; a mostly empty burst is a retake', async () => {
    const s = await scenario({ maxAttempts: 3 });
    try {
      const one = await s.session('burst-1');
      const ok = await s.validate(
        one.token,
        Array.from({ length: 5 }, (_, i) => ({ person: 'Ada', variant: 0.3, shift: i % 3 })),
      );
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal((await s.record(one.id)).attempts, 1);

      const two = await s.session('burst-2');
      const mixed = await s.validate(two.token, [{ person: 'Ada' }, { person: 'Grace' }, { person: 'Ada' }]);
      assert.equal(mixed.statusCode, 409);
      assert.deepEqual(
        { code: mixed.json().code, message: mixed.json().message },
        { code: 'challenge_failed', message: 'challenge_failed@different_faces' },
      );
      assert.equal((await s.record(two.id)).attempts, 1);

      const three = await s.session('burst-3');
      const empty = await s.validate(three.token, [{ refuse: 'noFace' }, { person: 'Ada' }, { refuse: 'noFace' }]);
      assert.equal(empty.statusCode, 412);
      assert.equal(empty.json().code, 'no_face_detected');
      assert.equal((await s.record(three.id)).attempts, 0);

      const nine = await s.validate(
        three.token,
        Array.from({ length: 9 }, () => ({ person: 'Ada' })),
      );
      assert.equal(nine.statusCode, 409);
      assert.equal(nine.json().code, 'MissingParameter');
      assert.equal((await s.record(three.id)).attempts, 0, 'a request of the wrong shape is not a try');
    } finally {
      await s.close();
    }
  });

  test('onboarding enrols a new face and refuses one already enrolled', async () => {
    const s = await scenario({ type: 'onboarding' });
    try {
      const fresh = await s.session('linus@shop.test');
      const res = await s.validate(fresh.token, { person: 'Linus' });
      assert.equal(res.statusCode, 200, res.body);
      const again = await s.session('ada@shop.test');
      const dupe = await s.validate(again.token, { person: 'Ada', variant: 0.3 });
      assert.equal(dupe.statusCode, 409);
      assert.equal(dupe.json().code, 'duplicated_person');
      assert.equal((await s.record(again.id)).failureReason, 'duplicated_person');
    } finally {
      await s.close();
    }
  });
});
