import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { emptyListQuery } from '../../src/domain/list-query.js';
import { hotp, totpStep } from '../../src/domain/totp.js';
import { loggerOptions } from '../../src/http/logging.js';
import { errorOf, startTestApp, type TestApp } from '../helpers/app.js';
import { createFakeFaceEngine, fakeImage } from '../helpers/fake-face-engine.js';
import { codeIn, startMailServer } from '../helpers/mail-server.js';
import { storeKinds } from '../helpers/stores.js';

// Issue #16, code logins and a flow's steps over HTTP: a login code names the enrolled person whose email or phone
// it went to (and nobody else learns anything); a flow that closes with the authenticator needs authenticatorOTP
// on the code validate; a flow that puts the code before the face grants nothing until the face; the send limits
// hold under concurrent requests on SQLite and PostgreSQL; and no code or token ever reaches the log.

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
  describe(`code logins and login steps (${kind.name})`, { skip: kind.skip }, () => {
    let mail: Awaited<ReturnType<typeof startMailServer>>;
    let t: TestApp;
    // Real time, 5 s into a 30-s step (session tokens are checked against real time).
    let now = Math.floor(Date.now() / 30_000) * 30_000 + 5000;
    const clock = { now: () => new Date(now) };
    let acme: { id: string; token: string };
    let project: string;
    let collection: string;
    let ada: string;

    const newFlow = async (loginSettings: Record<string, unknown>) => {
      const r = await t.request('POST', '/v2/project-flows', {
        token: acme.token,
        body: { project, type: 'login', loginSettings: { livenessMode: 'passive', email: true, ...loginSettings } },
      });
      assert.equal(r.statusCode, 200, r.body);
      return r.json().data._id as string;
    };
    const send = (email: string, projectFlow: string) =>
      t.request('POST', '/v2/email-validations', { body: { email, project, projectFlow, type: 'login' } });
    const codeFor = async (email: string, projectFlow: string) => {
      const count = mail.received.length;
      const sent = await send(email, projectFlow);
      assert.equal(sent.statusCode, 200, sent.body);
      return codeIn(await mail.mailTo(email, count));
    };
    const check = (email: string, otp: string, projectFlow: string, extra: Record<string, unknown> = {}) =>
      t.request('POST', '/v2/email-validations/validate', { body: { email, otp, projectFlow, ...extra } });

    before(async () => {
      mail = await startMailServer();
      t = await startTestApp(kind, {
        clock,
        env: {
          FACEGATE_SMTP_URL: mail.url,
          FACEGATE_MAIL_FROM: 'Shop <login@shop.test>',
          FACEGATE_RATE_LIMIT_PER_MINUTE: '6000',
        },
        overrides: { faceEngine: createFakeFaceEngine(), backgroundJobs: false },
      });
      acme = await t.newClient('acme');
      project = (await t.request('POST', '/v2/projects', { token: acme.token, body: { name: 'Shop' } })).json().data
        ._id;
      collection = (
        await t.request('GET', `/v2/face-recognition/collections?where_project=${project}`, { token: acme.token })
      ).json().data[0]._id;
      const res = await t.request('POST', '/v2/face-recognition/persons', {
        token: acme.token,
        body: {
          name: 'Ada',
          email: 'Ada.Lovelace@Example.com',
          phone: '+573001234567',
          images: [fakeImage({ person: 'Ada' })],
          collections: [collection],
        },
      });
      assert.equal(res.statusCode, 200, res.body);
      ada = res.json().data._id;
    });
    after(async () => {
      await t?.close();
      await mail?.close();
    });

    test('a login code names the enrolled person it went to; an unknown address gets the same answer', async () => {
      const flow = await newFlow({});
      const known = await check('ada.lovelace@example.com', await codeFor('ada.lovelace@example.com', flow), flow);
      assert.equal(known.statusCode, 200, known.body);
      assert.equal(known.json().data.appLogin.person, ada);
      assert.equal(known.json().data.appLogin.name, 'Ada');
      const exchanged = await t.request('POST', '/v2/auth/project-login', { token: known.json().data.token });
      assert.equal(exchanged.json().data.person._id, ada);

      const unknown = await check('bob@example.com', await codeFor('bob@example.com', flow), flow);
      assert.equal(unknown.statusCode, 200, unknown.body);
      assert.equal(unknown.json().data.appLogin.person, null);
      assert.deepEqual(Object.keys(unknown.json().data).sort(), Object.keys(known.json().data).sort());
      // Before the code is right, a known address and an unknown one are refused alike.
      const wrongKnown = await check('ada.lovelace@example.com', '000000', flow);
      const wrongUnknown = await check('carol@example.com', '000000', flow);
      assert.deepEqual(errorOf(wrongKnown), errorOf(wrongUnknown));

      // Another tenant's person with the same address is not found.
      const other = await t.newClient('other');
      const otherProject = (await t.request('POST', '/v2/projects', { token: other.token, body: { name: 'O' } })).json()
        .data._id;
      const otherFlow = (
        await t.request('POST', '/v2/project-flows', {
          token: other.token,
          body: { project: otherProject, type: 'login', loginSettings: { email: true } },
        })
      ).json().data._id;
      const count = mail.received.length;
      await t.request('POST', '/v2/email-validations', {
        body: { email: 'ada.lovelace@example.com', project: otherProject, projectFlow: otherFlow, type: 'login' },
      });
      const theirs = await check(
        'ada.lovelace@example.com',
        codeIn(await mail.mailTo('ada.lovelace@example.com', count)),
        otherFlow,
      );
      assert.equal(theirs.json().data.appLogin.person, null);
    });

    test('a flow that closes with the authenticator needs authenticatorOTP on the code validate (§6.2)', async () => {
      const flow = await newFlow({ steps: ['authenticator'] });
      const enrolled = await t.request('POST', `/v2/face-recognition/persons/${ada}/authenticator`, {
        token: acme.token,
      });
      const secret = secretOf(enrolled.json().data.otpauthUri);
      const code = await codeFor('ada.lovelace@example.com', flow);
      const alone = await check('ada.lovelace@example.com', code, flow);
      assert.equal(alone.statusCode, 200, alone.body);
      assert.deepEqual(alone.json().data, {
        message: 'second_factor_required',
        requires2FA: true,
        secondFactor: 'authenticator',
        type: 'login',
        email: 'ada.lovelace@example.com',
      });
      const wrong = await check('ada.lovelace@example.com', code, flow, {
        authenticatorOTP: hotp(secret, totpStep(now) + 5),
      });
      assert.deepEqual(errorOf(wrong), { code: 'invalid_authenticator_otp', message: 'invalid_authenticator_otp' });
      const ok = await check('ada.lovelace@example.com', code, flow, { authenticatorOTP: hotp(secret, totpStep(now)) });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().data.appLogin.person, ada);
      assert.equal(ok.json().data.appLogin.status, 'validated');
      assert.equal((await check('ada.lovelace@example.com', code, flow)).json().code, 'otp_already_used');

      // Nobody's authenticator can close an address matched to no person.
      const stranger = await codeFor('dan@example.com', flow);
      const refused = await check('dan@example.com', stranger, flow, { authenticatorOTP: '123456' });
      assert.equal(refused.statusCode, 412);
      assert.equal(refused.json().code, 'authenticator_not_enrolled');
    });

    test('code then face: the code alone signs nobody in, and the face must be the person the code named', async () => {
      const flow = await newFlow({ steps: ['email', 'liveness'] });
      const plain = await t.request('POST', '/v2/biometric-validations', {
        body: { project, projectFlow: flow, type: 'login' },
      });
      assert.deepEqual(errorOf(plain), { code: 'code_required', message: 'code_required' });
      const r = await check('ada.lovelace@example.com', await codeFor('ada.lovelace@example.com', flow), flow);
      assert.equal(r.statusCode, 200, r.body);
      const { token, appLogin, nextStep } = r.json().data;
      assert.equal(nextStep, 'liveness');
      assert.equal(appLogin.status, 'pending');
      const early = await t.request('POST', '/v2/auth/project-login', { token });
      assert.equal(early.statusCode, 409);
      assert.equal(early.json().code, 'second_factor_required');

      const otherFlow = await newFlow({});
      // The page a magic link of this flow opens follows this flow's steps, though the project has other login flows.
      const page = await t.request('GET', `/sign-in/${project}?type=magicLink&projectFlow=${flow}&email=a%40b.c&otp=x`);
      const boot = JSON.parse(
        /<script type="application\/json" id="facegate-boot">(.*?)<\/script>/s.exec(page.body)?.[1] ?? '{}',
      );
      assert.equal(boot.flow._id, flow);
      assert.deepEqual([boot.flow.plan.code, boot.flow.plan.face], ['email', true]);
      assert.match(page.body, /data-state="magic"/);
      const elsewhere = await t.request('POST', '/v2/biometric-validations/app-login', {
        token,
        body: { project, projectFlow: otherFlow, type: 'login' },
      });
      assert.equal(elsewhere.json().code, 'token_not_right', 'the pending code opens its own flow only');

      const faceFor = async (person: string) => {
        const created = await t.request('POST', '/v2/biometric-validations/app-login', {
          token,
          body: { project, projectFlow: flow, type: 'login' },
        });
        assert.equal(created.statusCode, 200, created.body);
        return t.request('POST', '/v2/biometric-validations/validate', {
          token: created.json().data.token,
          body: { image: fakeImage({ person, variant: 0.1 }), os: 'IOS' },
        });
      };
      await t.request('POST', '/v2/face-recognition/persons', {
        token: acme.token,
        body: { name: 'Eve', images: [fakeImage({ person: 'Eve' })], collections: [collection] },
      });
      const eve = await faceFor('Eve');
      assert.equal(eve.statusCode, 404, 'an enrolled face that is not the code’s person');
      assert.equal(eve.json().code, 'person_not_found');
      const granted = await faceFor('Ada');
      assert.equal(granted.statusCode, 200, granted.body);
      const login = await t.request('POST', '/v2/auth/project-login', { token: granted.json().data.token });
      assert.equal(login.statusCode, 200, login.body);
      assert.equal(login.json().data.person._id, ada);
      assert.equal(login.json().data.appLogin.emailValidation, appLogin.emailValidation);
    });

    test('concurrent sends: one code per cooldown, five per destination an hour, atomically', async () => {
      now += 2 * 3600_000;
      const flow = await newFlow({});
      const burst = await Promise.all(Array.from({ length: 8 }, () => send('fay@example.com', flow)));
      assert.deepEqual(
        burst.map((r) => r.statusCode).sort(),
        [200, 429, 429, 429, 429, 429, 429, 429],
        burst.map((r) => r.body).join('\n'),
      );
      assert.ok(burst.filter((r) => r.statusCode === 429).every((r) => r.json().message.startsWith('resend_cooldown')));

      // Across flows (no cooldown between them) the destination's hourly five hold.
      const flows = await Promise.all(Array.from({ length: 9 }, () => newFlow({})));
      const spread = await Promise.all(flows.map((f) => send('fay@example.com', f)));
      assert.equal(spread.filter((r) => r.statusCode === 200).length, 4, 'five in all with the first');
      for (const r of spread.filter((x) => x.statusCode !== 200)) assert.equal(r.json().message, 'too_many_requests');
      const stored = await t.app.store.emailValidations.list(
        acme.id,
        emptyListQuery({ where: { destination: 'fay@example.com' }, perPage: 50 }),
      );
      assert.equal(stored.total, 5, 'what was stored (and mailed) is what the limits allowed');
      now += 3601_000;
      assert.equal((await send('fay@example.com', flow)).statusCode, 200, 'a new window');
    });

    test('concurrent wrong tries: ten per destination an hour across its codes, atomically', async () => {
      now += 2 * 3600_000;
      const flows = await Promise.all(Array.from({ length: 3 }, () => newFlow({})));
      const codes = await Promise.all(flows.map((f) => codeFor('gil@example.com', f)));
      const wrong = (code: string) => (code === '000000' ? '111111' : '000000');
      const tries = await Promise.all(
        flows.flatMap((f, i) => Array.from({ length: 5 }, () => check('gil@example.com', wrong(codes[i] ?? ''), f))),
      );
      const messages = tries.map((r) => r.json().message).sort();
      assert.deepEqual(messages, [...Array(10).fill('invalid_otp'), ...Array(5).fill('max_attempts_exceeded')]);
      // The destination's tries are used up: even a right code waits for the window.
      const right = await check('gil@example.com', codes[0] ?? '', flows[0] ?? '');
      assert.equal(right.json().message, 'max_attempts_exceeded');
    });
  });
}

describe('codes and tokens never reach the log', () => {
  test('a code login, a magic link and the exchange log neither the code, nor the link, nor a token', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const mail = await startMailServer();
    const sqlite = storeKinds.find((k) => k.name === 'sqlite');
    if (!sqlite) throw new Error('no sqlite store kind');
    const t = await startTestApp(sqlite, {
      env: { FACEGATE_SMTP_URL: mail.url, FACEGATE_MAIL_FROM: 'Shop <login@shop.test>' },
      overrides: {
        faceEngine: createFakeFaceEngine(),
        backgroundJobs: false,
        logger: { ...(loggerOptions('trace') as object), stream } as never,
      },
    });
    try {
      const acme = await t.newClient('acme');
      const project = (await t.request('POST', '/v2/projects', { token: acme.token, body: { name: 'Shop' } })).json()
        .data._id;
      const flow = (
        await t.request('POST', '/v2/project-flows', {
          token: acme.token,
          body: { project, type: 'login', loginSettings: { email: true } },
        })
      ).json().data._id;
      const secrets: string[] = [];
      const loginWith = async (email: string, validationMethod: string) => {
        const count = mail.received.length;
        const sent = await t.request('POST', '/v2/email-validations', {
          body: { email, project, projectFlow: flow, type: 'login', validationMethod },
        });
        assert.equal(sent.statusCode, 200, sent.body);
        const m = await mail.mailTo(email, count);
        const otp =
          validationMethod === 'magicLink'
            ? (new URL(
                (m.text.match(/https?:\/\/\S+\/sign-in\/[0-9a-f]{24}\?[^\s"<]+/)?.[0] ?? '').replace(/&amp;/g, '&'),
              ).searchParams.get('otp') ?? '')
            : codeIn(m);
        assert.ok(otp.length >= 6);
        // The page's own landing: the link itself, as a browser asks for it.
        if (validationMethod === 'magicLink') {
          const page = await t.request(
            'GET',
            `/sign-in/${project}?type=magicLink&projectFlow=${flow}&email=${email}&otp=${otp}`,
          );
          assert.equal(page.statusCode, 200);
        }
        const ok = await t.request('POST', '/v2/email-validations/validate', {
          body: { email, otp, projectFlow: flow },
        });
        assert.equal(ok.statusCode, 200, ok.body);
        const exchanged = await t.request('POST', '/v2/auth/project-login', { token: ok.json().data.token });
        assert.equal(exchanged.statusCode, 200, exchanged.body);
        const session = await t.request('GET', '/v2/auth/session?origin=app', {
          token: exchanged.json().data.accessToken,
        });
        assert.equal(session.statusCode, 200, session.body);
        secrets.push(otp, ok.json().data.token, exchanged.json().data.accessToken);
      };
      await loginWith('gus@example.com', 'verificationCode');
      await loginWith('hal@example.com', 'magicLink');
      const log = lines.join('');
      assert.ok(lines.length > 10, `the requests were logged (${lines.length} lines)`);
      assert.match(log, /email-validations\/validate/, 'the log is the server’s request log');
      for (const secret of secrets)
        assert.ok(!log.includes(secret), `a secret of ${secret.length} characters is in the log`);
    } finally {
      await t.close();
      await mail.close();
    }
  });
});
