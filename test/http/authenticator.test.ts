import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { base32, hotp, totpStep } from '../../src/domain/totp.js';
import { enrolPerson, loginProject } from '../helpers/api-setup.js';
import { errorOf, startTestApp, type TestApp } from '../helpers/app.js';
import { createFakeFaceEngine, fakeImage } from '../helpers/fake-face-engine.js';
import { storeKinds } from '../helpers/stores.js';

// An authenticator app as a second factor (#16): enrolment, then a login validation with requires2FA that grants
// nothing after the face alone, and only the right, fresh code of the person's authenticator completes it.

const secretOf = (uri: string): Buffer => {
  const b32 = new URL(uri).searchParams.get('secret') ?? '';
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of b32) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
};

for (const kind of storeKinds) {
  describe(`authenticator second factor over HTTP (${kind.name})`, { skip: kind.skip }, () => {
    let t: TestApp;
    // Real time (the session tokens' expiry is checked against it), 5 s into a 30-s step.
    let now = Math.floor(Date.now() / 30_000) * 30_000 + 5000;
    const clock = { now: () => new Date(now) };
    let acme: { id: string; token: string };
    let project: string;
    let flow: string;
    let ada: string;
    let secret: Buffer;
    const code = (offsetSteps = 0) => hotp(secret, totpStep(now) + offsetSteps);

    const validate = (token: string, body: Record<string, unknown>) =>
      t.request('POST', '/v2/biometric-validations/validate', { token, body });
    const newLogin = async (extra: Record<string, unknown> = { requires2FA: true }) => {
      const res = await t.request('POST', '/v2/biometric-validations', {
        token: acme.token,
        body: { project, projectFlow: flow, identifier: 'ada', type: 'login', ...extra },
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().data as { token: string; biometricValidation: { _id: string } };
    };
    const face = (token: string) => validate(token, { image: fakeImage({ person: 'Ada', variant: 0.2 }), os: 'IOS' });
    const statusOf = async (id: string) =>
      (await t.request('GET', `/v2/biometric-validations/${id}`, { token: acme.token })).json().data;
    const validatedEvents = async () =>
      (await t.app.store.webhooks.list(acme.id, 100)).filter((e) => e.type === 'biometric_validation_validated').length;

    before(async () => {
      t = await startTestApp(kind, {
        clock,
        overrides: { faceEngine: createFakeFaceEngine(), backgroundJobs: false },
      });
      acme = await t.newClient('acme');
      let collection: { code: string };
      ({ project, flow, collection } = await loginProject(t, acme.token, {
        webhookUrl: 'https://hooks.shop.example/facegate',
      }));
      ada = await enrolPerson(t, acme.token, collection.code, 'Ada', [fakeImage({ person: 'Ada' })]);
    });
    after(() => t?.close());

    test('enrolment returns the otpauth URI and its QR code once; the secret is stored sealed', async () => {
      const res = await t.request('POST', `/v2/face-recognition/persons/${ada}/authenticator`, { token: acme.token });
      assert.equal(res.statusCode, 200, res.body);
      const d = res.json().data;
      assert.match(
        d.otpauthUri,
        /^otpauth:\/\/totp\/acme:Ada\?secret=[A-Z2-7]{32}&issuer=acme&algorithm=SHA1&digits=6&period=30$/,
      );
      assert.match(d.qrCode, /^data:image\/png;base64,/);
      secret = secretOf(d.otpauthUri);
      assert.equal(base32(secret), new URL(d.otpauthUri).searchParams.get('secret'));
      const status = await t.request('GET', `/v2/face-recognition/persons/${ada}/authenticator`, { token: acme.token });
      assert.deepEqual(Object.keys(status.json().data).sort(), ['enrolled', 'enrolledAt', 'person', 'type']);
      assert.equal(status.json().data.enrolled, true);
      assert.ok(!status.body.includes(base32(secret)));
      const other = await t.newClient('other');
      const foreign = await t.request('POST', `/v2/face-recognition/persons/${ada}/authenticator`, {
        token: other.token,
      });
      assert.equal(foreign.statusCode, 404);
    });

    test('face then the authenticator code: nothing is granted before the code, then everything', async () => {
      const v = await newLogin();
      const first = await face(v.token);
      assert.equal(first.statusCode, 200, first.body);
      const d = first.json().data;
      assert.equal(d.message, 'second_factor_required');
      assert.equal(d.requires2FA, true);
      assert.equal(d.token, undefined);
      assert.equal(d.appLogin, undefined);
      assert.equal((await statusOf(v.biometricValidation._id)).status, 'pending');
      assert.equal(await validatedEvents(), 0);
      const logins = await t.request('GET', '/v2/app-logins', { token: acme.token });
      assert.equal(logins.json().total, 0);

      // Another face does not stand in for the code.
      const again = await face(v.token);
      assert.equal(errorOf(again).code, 'second_factor_required');

      now += 1000;
      const done = await validate(v.token, { authenticatorOTP: code() });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().data.person, ada);
      assert.equal(typeof done.json().data.token, 'string');
      assert.equal((await statusOf(v.biometricValidation._id)).status, 'validated');
      assert.equal(await validatedEvents(), 1);

      // The same code (same step) is refused on a new validation: one use per step.
      const v2 = await newLogin();
      await face(v2.token);
      const replay = await validate(v2.token, { authenticatorOTP: code() });
      assert.equal(replay.statusCode, 409);
      assert.equal(errorOf(replay).code, 'invalid_authenticator_otp');
      now += 30_000;
      const next = await validate(v2.token, { authenticatorOTP: code() });
      assert.equal(next.statusCode, 200, next.body);
    });

    test('a code of the previous or next step is accepted, two steps away is not', async () => {
      now += 120_000;
      const v = await newLogin();
      await face(v.token);
      assert.equal(errorOf(await validate(v.token, { authenticatorOTP: code(-2) })).code, 'invalid_authenticator_otp');
      assert.equal((await validate(v.token, { authenticatorOTP: code(+1) })).statusCode, 200);
    });

    test('a code before the face, or to a validation without requires2FA, is refused', async () => {
      now += 120_000;
      const v = await newLogin();
      const early = await validate(v.token, { authenticatorOTP: code() });
      assert.equal(errorOf(early).code, 'second_factor_not_due');
      const plain = await newLogin({});
      const ok = await face(plain.token);
      assert.equal(typeof ok.json().data.token, 'string', 'without requires2FA the face alone logs in');
    });

    test('wrong codes use up the validation, and brute force locks the authenticator', async () => {
      now += 120_000;
      const wrong = (c: string) => (c === '000000' ? '000001' : '000000');
      const v = await newLogin();
      await face(v.token);
      for (let i = 0; i < 5; i++) {
        const res = await validate(v.token, { authenticatorOTP: wrong(code()) });
        assert.equal(errorOf(res).code, 'invalid_authenticator_otp', res.body);
      }
      assert.equal((await statusOf(v.biometricValidation._id)).status, 'failed');
      assert.equal(errorOf(await validate(v.token, { authenticatorOTP: code() })).code, 'attempts_exhausted');

      // Five wrong in a row locked the authenticator: even the right code waits out the lockout.
      const v2 = await newLogin();
      await face(v2.token);
      const locked = await validate(v2.token, { authenticatorOTP: code() });
      assert.equal(locked.statusCode, 429, locked.body);
      assert.equal(errorOf(locked).code, 'authenticator_locked');
      now += 15 * 60_000;
      const v3 = await newLogin();
      await face(v3.token);
      const after = await validate(v3.token, { authenticatorOTP: code() });
      assert.equal(after.statusCode, 200, after.body);
    });

    test('concurrent guesses stay within the bound', async () => {
      now += 120_000;
      const vs = await Promise.all(Array.from({ length: 4 }, () => newLogin()));
      for (const v of vs) await face(v.token);
      const guesses = await Promise.all(
        vs.flatMap((v) => ['111111', '222222', '333333'].map((c) => validate(v.token, { authenticatorOTP: c }))),
      );
      const wrong = guesses.filter((r) => errorOf(r).code === 'invalid_authenticator_otp').length;
      assert.ok(wrong <= 5, `${wrong} guesses were compared`);
    });

    test('removed, the authenticator is refused; re-enrolled, only the new secret works', async () => {
      now += 20 * 60_000;
      const old = secret;
      const del = await t.request('DELETE', `/v2/face-recognition/persons/${ada}/authenticator`, { token: acme.token });
      assert.equal(del.json().data.enrolled, false);
      const v = await newLogin();
      await face(v.token);
      const none = await validate(v.token, { authenticatorOTP: code() });
      assert.equal(none.statusCode, 412);
      assert.equal(errorOf(none).code, 'authenticator_not_enrolled');
      const res = await t.request('POST', `/v2/face-recognition/persons/${ada}/authenticator`, { token: acme.token });
      secret = secretOf(res.json().data.otpauthUri);
      assert.notDeepEqual(secret, old);
      assert.equal(
        errorOf(await validate(v.token, { authenticatorOTP: hotp(old, totpStep(now)) })).code,
        'invalid_authenticator_otp',
      );
      assert.equal((await validate(v.token, { authenticatorOTP: code() })).statusCode, 200);
    });
  });
}
