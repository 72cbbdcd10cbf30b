import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { errorOf, startTestApp, type TestApp } from '../helpers/app.js';
import { codeIn, startMailServer } from '../helpers/mail-server.js';
import { storeKinds } from '../helpers/stores.js';

// Email and phone validations (#16): codes delivered through a real SMTP server and a signed HTTP gateway in this
// process, read from what they received; wrong, expired, reused and brute-forced codes refused.

const SMS_SECRET = 'a-gateway-secret-of-at-least-32-characters';

function startGateway() {
  const received: { headers: IncomingHttpHeaders; body: string; signatureOk: boolean }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const [, ts, sig] = String(req.headers['x-facegate-signature']).match(/^t=(\d+),v1=([0-9a-f]{64})$/) ?? [];
      const signatureOk = sig === createHmac('sha256', SMS_SECRET).update(`${ts}.${body}`).digest('hex');
      received.push({ headers: req.headers, body, signatureOk });
      res.writeHead(signatureOk ? 204 : 401).end();
    });
  });
  return new Promise<{ url: string; received: typeof received; close(): Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}/sms`,
        received,
        close: () => new Promise((r) => server.close(() => r())),
      });
    }),
  );
}

for (const kind of storeKinds) {
  describe(`email and phone validations (${kind.name})`, { skip: kind.skip }, () => {
    let now = Date.now();
    const clock = { now: () => new Date(now) };
    let mail: Awaited<ReturnType<typeof startMailServer>>;
    let gateway: Awaited<ReturnType<typeof startGateway>>;
    let t: TestApp;
    let acme: { id: string; token: string };
    let project: string;
    let flow: string;

    before(async () => {
      mail = await startMailServer();
      gateway = await startGateway();
      t = await startTestApp(kind, {
        clock,
        env: {
          FACEGATE_SMTP_URL: mail.url,
          FACEGATE_MAIL_FROM: 'Facegate <login@facegate.test>',
          FACEGATE_SMS_WEBHOOK_URL: gateway.url,
          FACEGATE_SMS_WEBHOOK_SECRET: SMS_SECRET,
          // a tenth of it per address for sends: the per-destination limits are what these tests reach
          FACEGATE_RATE_LIMIT_PER_MINUTE: '600',
        },
      });
      acme = await t.newClient('acme');
      project = (await t.request('POST', '/v2/projects', { token: acme.token, body: { name: 'Shop' } })).json().data
        ._id;
      flow = (
        await t.request('POST', '/v2/project-flows', {
          token: acme.token,
          body: { project, type: 'login', loginSettings: { email: true, phone: true, phoneGateway: 'both' } },
        })
      ).json().data._id;
    });
    after(async () => {
      await t?.close();
      await mail?.close();
      await gateway?.close();
    });

    const sendEmail = (email: string, extra: Record<string, unknown> = {}) =>
      t.request('POST', '/v2/email-validations', {
        body: { email, project, projectFlow: flow, type: 'login', validationMethod: 'verificationCode', ...extra },
      });
    const validateEmail = (email: string, otp: string) =>
      t.request('POST', '/v2/email-validations/validate', { body: { email, otp, projectFlow: flow } });
    /** Past the resend cooldown. */
    const wait = (seconds: number) => {
      now += seconds * 1000;
    };

    test('an email login end to end: the code from the delivered mail logs in and the app login resolves', async () => {
      const before = mail.received.length;
      const sent = await sendEmail('Ana@Example.com', { language: 'es' });
      assert.equal(sent.statusCode, 200, sent.body);
      const v = sent.json().data;
      assert.equal(v.status, 'sent');
      assert.equal(v.email, 'ana@example.com');
      assert.equal(v.codeHash, undefined, 'the hash never leaves');
      const m = await mail.mailTo('ana@example.com', before);
      assert.match(m.raw, /Content-Type: text\/plain/i);
      assert.match(m.raw, /Content-Type: text\/html/i);
      assert.match(m.text, /código de verificación es \d{6}/, 'in the requested language');
      const code = codeIn(m);
      assert.ok(!JSON.stringify(sent.json()).includes(code), 'the code is not in the answer');

      const ok = await validateEmail('ana@example.com', code);
      assert.equal(ok.statusCode, 200, ok.body);
      const data = ok.json().data;
      assert.equal(data.type, 'login');
      assert.equal(data.email, 'ana@example.com');
      assert.equal(data.appLogin.type, 'email');
      assert.equal(data.appLogin.emailValidation, v._id);
      assert.ok(data.token);

      const got = await t.request('GET', `/v2/app-logins/${data.appLogin._id}?populates[]=emailValidation`, {
        token: acme.token,
      });
      assert.equal(got.statusCode, 200, got.body);
      assert.equal(got.json().data.emailValidation._id, v._id);
      assert.equal(got.json().data.emailValidation.status, 'validated');
      const listed = await t.request('GET', '/v2/app-logins?where_type=email&populates[]=emailValidation', {
        token: acme.token,
      });
      assert.equal(listed.json().data[0].emailValidation.email, 'ana@example.com');

      // Verifik's chain: the app-login token exchanged once at project-login.
      const exchanged = await t.request('POST', '/v2/auth/project-login', { token: data.token });
      assert.equal(exchanged.statusCode, 200, exchanged.body);
      assert.equal(exchanged.json().data.person, null);

      // The same code again is a reuse.
      const again = await validateEmail('ana@example.com', code);
      assert.deepEqual(errorOf(again), { code: 'otp_already_used', message: 'otp_already_used' });
      assert.equal(again.statusCode, 409);
    });

    test('a wrong code, an unknown address and an expired code are refused', async () => {
      wait(120);
      await sendEmail('bo@example.com');
      const code = codeIn(await mail.mailTo('bo@example.com'));
      const wrong = await validateEmail('bo@example.com', code === '000000' ? '111111' : '000000');
      assert.equal(wrong.statusCode, 409);
      assert.deepEqual(errorOf(wrong), { code: 'invalid_otp', message: 'invalid_otp' });
      const unknown = await validateEmail('nobody@example.com', '123456');
      assert.deepEqual(errorOf(unknown), errorOf(wrong), 'an address never sent a code answers alike');
      wait(11 * 60);
      const late = await validateEmail('bo@example.com', code);
      assert.equal(late.statusCode, 409);
      assert.deepEqual(errorOf(late), { code: 'otp_expired', message: 'otp_expired' });
    });

    test('brute force: five wrong tries fail the code, even concurrent ones, and the right code then is refused', async () => {
      wait(120);
      await sendEmail('cy@example.com');
      const code = codeIn(await mail.mailTo('cy@example.com'));
      const wrongCode = code === '999999' ? '999998' : '999999';
      const tries = await Promise.all(Array.from({ length: 8 }, () => validateEmail('cy@example.com', wrongCode)));
      const codes = tries.map((r) => r.json().code);
      assert.equal(codes.filter((c) => c === 'invalid_otp').length, 5, codes.join());
      assert.ok(
        codes.every((c) => c === 'invalid_otp' || c === 'MAX_ATTEMPTS_EXCEEDED'),
        codes.join(),
      );
      const right = await validateEmail('cy@example.com', code);
      assert.equal(right.statusCode, 410);
      assert.deepEqual(errorOf(right), { code: 'MAX_ATTEMPTS_EXCEEDED', message: 'max_attempts_exceeded' });
    });

    test('a resend waits for the cooldown, then replaces the code; a destination gets at most five an hour', async () => {
      wait(3600);
      const first = await sendEmail('di@example.com');
      assert.equal(first.statusCode, 200);
      const firstCode = codeIn(await mail.mailTo('di@example.com'));
      const soon = await sendEmail('di@example.com');
      assert.equal(soon.statusCode, 429);
      assert.match(soon.json().message, /^resend_cooldown: \d+$/);
      wait(61);
      const count = mail.received.length;
      assert.equal((await sendEmail('di@example.com')).statusCode, 200);
      const secondCode = codeIn(await mail.mailTo('di@example.com', count));
      if (secondCode !== firstCode) {
        assert.equal((await validateEmail('di@example.com', firstCode)).json().code, 'invalid_otp');
      }
      for (let i = 0; i < 3; i++) {
        wait(61);
        assert.equal((await sendEmail('di@example.com')).statusCode, 200);
      }
      wait(61);
      const sixth = await sendEmail('di@example.com');
      assert.equal(sixth.statusCode, 429);
      assert.equal(sixth.json().message, 'too_many_requests');
    });

    test('a magic link carries a one-time code of its own that validates once', async () => {
      wait(3600);
      const count = mail.received.length;
      const sent = await sendEmail('gi@example.com', { validationMethod: 'magicLink' });
      assert.equal(sent.statusCode, 200, sent.body);
      const m = await mail.mailTo('gi@example.com', count);
      const link = m.text.match(/https?:\/\/\S+\/sign-in\/[0-9a-f]{24}\?[^\s"<]+/)?.[0];
      assert.ok(link, m.text);
      const url = new URL(link.replace(/&amp;/g, '&'));
      assert.equal(url.searchParams.get('type'), 'magicLink');
      const otp = url.searchParams.get('otp') ?? '';
      assert.ok(otp.length >= 32, 'not guessable like a 6-digit code');
      const ok = await validateEmail('gi@example.com', otp);
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().data.appLogin.type, 'email');
      assert.equal((await validateEmail('gi@example.com', otp)).json().code, 'otp_already_used');
    });

    test('a flow’s codeMinutes sets how long its codes live', async () => {
      const short = (
        await t.request('POST', '/v2/project-flows', {
          token: acme.token,
          body: { project, type: 'login', status: 'active', loginSettings: { email: true, codeMinutes: 2 } },
        })
      ).json().data;
      assert.equal(short.loginSettings.codeMinutes, 2);
      const sent = await t.request('POST', '/v2/email-validations', {
        body: { email: 'ed@example.com', project, projectFlow: short._id, type: 'login' },
      });
      assert.equal(Date.parse(sent.json().data.expiresAt) - now, 2 * 60_000);
      const code = codeIn(await mail.mailTo('ed@example.com'));
      wait(150);
      const late = await t.request('POST', '/v2/email-validations/validate', {
        body: { email: 'ed@example.com', otp: code, projectFlow: short._id },
      });
      assert.equal(late.json().code, 'otp_expired');
    });

    test('sendViaEmail mails the person the link to the hosted page, in their language', async () => {
      const count = mail.received.length;
      const created = await t.request('POST', '/v2/biometric-validations', {
        token: acme.token,
        body: {
          project,
          projectFlow: flow,
          identifier: 'fe',
          type: 'login',
          sendViaEmail: true,
          email: 'fe@example.com',
          language: 'es',
        },
      });
      assert.equal(created.statusCode, 200, created.body);
      const url = created.json().data.biometricValidation.url;
      const m = await mail.mailTo('fe@example.com', count);
      assert.ok(m.text.includes(url), 'the mail carries the validation’s url');
      assert.match(m.text, /verificar tu identidad/);
      const noEmail = await t.request('POST', '/v2/biometric-validations', {
        token: acme.token,
        body: { project, projectFlow: flow, identifier: 'fe', type: 'login', sendViaEmail: true },
      });
      assert.deepEqual(errorOf(noEmail), { code: 'MissingParameter', message: 'missing email' });
      const stranger = await t.request('POST', '/v2/biometric-validations', {
        body: { project, projectFlow: flow, type: 'login', sendViaEmail: true, email: 'victim@example.com' },
      });
      assert.equal(stranger.statusCode, 401, 'a token-less create cannot make the server mail anyone');
    });

    test('a phone code goes through the signed gateway and logs in', async () => {
      const sent = await t.request('POST', '/v2/phone-validations', {
        body: {
          phone: '300 123 4567',
          countryCode: '+57',
          project,
          projectFlow: flow,
          type: 'login',
          phoneGateway: 'whatsapp',
        },
      });
      assert.equal(sent.statusCode, 200, sent.body);
      const hit = gateway.received.at(-1);
      assert.ok(hit?.signatureOk, 'signed with FACEGATE_SMS_WEBHOOK_SECRET');
      const message = JSON.parse(hit.body);
      assert.equal(message.to, '+573001234567');
      assert.equal(message.channel, 'whatsapp');
      const code = String(message.text).match(/(\d{6})/)?.[1] ?? '';
      const ok = await t.request('POST', '/v2/phone-validations/validate', {
        body: { phone: '3001234567', countryCode: '57', otp: code, projectFlow: flow },
      });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().data.phone, '+573001234567');
      assert.equal(ok.json().data.appLogin.type, 'phone');
      const got = await t.request('GET', `/v2/app-logins/${ok.json().data.appLogin._id}?populates[]=phoneValidation`, {
        token: acme.token,
      });
      assert.equal(got.json().data.phoneValidation.countryCode, '+57');
    });
  });
}

describe('without a transport', () => {
  test('email and phone validations answer an error naming the variables', async () => {
    const { sqliteKind } = await import('../helpers/stores.js');
    const t = await startTestApp(sqliteKind);
    try {
      const body = { project: '0'.repeat(24), projectFlow: '0'.repeat(24), type: 'login' };
      const e = await t.request('POST', '/v2/email-validations', { body: { ...body, email: 'a@example.com' } });
      assert.equal(e.statusCode, 503);
      assert.deepEqual(errorOf(e), {
        code: 'ServiceUnavailable',
        message: 'transport_not_configured: set FACEGATE_SMTP_URL and FACEGATE_MAIL_FROM',
      });
      const p = await t.request('POST', '/v2/phone-validations', {
        body: { ...body, phone: '3001234567', countryCode: '+57' },
      });
      assert.match(errorOf(p).message as string, /FACEGATE_SMS_WEBHOOK_URL/);
    } finally {
      await t.close();
    }
  });
});
