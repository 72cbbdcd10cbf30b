import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorOf, startTestApp, type TestApp } from '../helpers/app.js';
import { createFakeFaceEngine, fakeImage } from '../helpers/fake-face-engine.js';
import { codeIn, startMailServer } from '../helpers/mail-server.js';
import { storeKinds } from '../helpers/stores.js';

// Issue #17, operators signing in to the console with the tenant's own product: a project marked
// `consoleAccess: true` (by the API token only), whose login flow asks for the email code then the face, signs its
// persons in; the project-login access token of such a login is exchanged at POST /v2/auth/console-session for an
// 8-hour session that acts as the API token on the console's routes, never mints an API token, is audited as the
// operator, and ends with renew-and-revoke, with consoleAccess turned off, with the operator's person, or when the
// operator signs out (DELETE /v2/auth/console-session), which ends that session alone.

for (const kind of storeKinds) {
  describe(`console sessions for operators (${kind.name})`, { skip: kind.skip }, () => {
    let mail: Awaited<ReturnType<typeof startMailServer>>;
    let t: TestApp;
    let now = Date.now();
    const clock = { now: () => new Date(now) };
    let acme: { id: string; token: string };
    let ops: string;
    let collection: string;
    let ada: string;

    const newProject = async (token: string, body: Record<string, unknown>) => {
      const r = await t.request('POST', '/v2/projects', { token, body: { name: 'Ops', ...body } });
      assert.equal(r.statusCode, 200, r.body);
      return r.json().data._id as string;
    };
    const newFlow = async (token: string, project: string, steps: string[]) => {
      const r = await t.request('POST', '/v2/project-flows', {
        token,
        body: { project, type: 'login', loginSettings: { livenessMode: 'passive', email: true, steps } },
      });
      assert.equal(r.statusCode, 200, r.body);
      return r.json().data._id as string;
    };
    /** The email code of `flow` mailed to `email` (real SMTP), checked: the code's app-login token. */
    const codeLogin = async (email: string, project: string, flow: string) => {
      // An hour on, every time: an address is sent five codes an hour at most.
      now += 3601_000;
      const count = mail.received.length;
      const sent = await t.request('POST', '/v2/email-validations', {
        body: { email, project, projectFlow: flow, type: 'login' },
      });
      assert.equal(sent.statusCode, 200, sent.body);
      const otp = codeIn(await mail.mailTo(email, count));
      const r = await t.request('POST', '/v2/email-validations/validate', { body: { email, otp, projectFlow: flow } });
      assert.equal(r.statusCode, 200, r.body);
      return r.json().data.token as string;
    };
    /** The face of `person` after the code's token, as the hosted page sends it: the face's app-login token. */
    const face = async (codeToken: string | undefined, project: string, flow: string, person: string) => {
      const created = await t.request(
        'POST',
        codeToken ? '/v2/biometric-validations/app-login' : '/v2/biometric-validations',
        {
          ...(codeToken ? { token: codeToken } : {}),
          body: { project, projectFlow: flow, type: 'login' },
        },
      );
      assert.equal(created.statusCode, 200, created.body);
      const v = await t.request('POST', '/v2/biometric-validations/validate', {
        token: created.json().data.token,
        body: { image: fakeImage({ person, variant: 0.1 }), os: 'IOS' },
      });
      assert.equal(v.statusCode, 200, v.body);
      return v.json().data.token as string;
    };
    const accessTokenOf = async (appLoginToken: string) => {
      const r = await t.request('POST', '/v2/auth/project-login', { token: appLoginToken });
      assert.equal(r.statusCode, 200, r.body);
      return r.json().data.accessToken as string;
    };
    const consoleSession = (accessToken: string, project: string) =>
      t.request('POST', '/v2/auth/console-session', { token: accessToken, body: { project } });
    /** An operator's whole sign-in: code to ada's address, ada's face, the exchange, the console session. */
    const signIn = async (project = ops, flow?: string) => {
      const f = flow ?? (await newFlow(acme.token, project, ['email', 'liveness']));
      const access = await accessTokenOf(await face(await codeLogin('ada@acme.test', project, f), project, f, 'Ada'));
      const r = await consoleSession(access, project);
      assert.equal(r.statusCode, 200, r.body);
      return r.json().data as { accessToken: string; expiresAt: string; operator: { _id: string; name: string } };
    };

    before(async () => {
      mail = await startMailServer();
      t = await startTestApp(kind, {
        clock,
        env: {
          FACEGATE_SMTP_URL: mail.url,
          FACEGATE_MAIL_FROM: 'Acme <login@acme.test>',
          FACEGATE_RATE_LIMIT_PER_MINUTE: '6000',
        },
        overrides: { faceEngine: createFakeFaceEngine(), backgroundJobs: false },
      });
      acme = await t.newClient('acme');
      ops = await newProject(acme.token, { consoleAccess: true });
      collection = (
        await t.request('GET', `/v2/face-recognition/collections?where_project=${ops}`, { token: acme.token })
      ).json().data[0]._id;
      const enrol = async (name: string, email: string) => {
        const r = await t.request('POST', '/v2/face-recognition/persons', {
          token: acme.token,
          body: { name, email, images: [fakeImage({ person: name })], collections: [collection] },
        });
        assert.equal(r.statusCode, 200, r.body);
        return r.json().data._id as string;
      };
      ada = await enrol('Ada', 'Ada@Acme.test');
      await enrol('Eve', 'eve@acme.test');
    });
    after(async () => {
      await t?.close();
      await mail?.close();
    });

    test('consoleAccess is a project setting, false by default, a boolean', async () => {
      const plain = await t.request('GET', `/v2/projects/${await newProject(acme.token, {})}`, { token: acme.token });
      assert.equal(plain.json().data.consoleAccess, false);
      assert.equal(
        (await t.request('GET', `/v2/projects/${ops}`, { token: acme.token })).json().data.consoleAccess,
        true,
      );
      const wrong = await t.request('POST', '/v2/projects', {
        token: acme.token,
        body: { name: 'x', consoleAccess: 'yes' },
      });
      assert.equal(wrong.statusCode, 409);
      assert.match(wrong.json().message, /consoleAccess/);
    });

    test('code then face gives an 8-hour session that acts as the API token, audited as the operator', async () => {
      const s = await signIn();
      assert.deepEqual(s.operator, { _id: ada, name: 'Ada', email: 'Ada@Acme.test' });
      assert.equal(new Date(s.expiresAt).getTime(), Math.floor((now + 8 * 3600_000) / 1000) * 1000);

      const projects = await t.request('GET', '/v2/projects', { token: s.accessToken });
      assert.equal(projects.statusCode, 200, projects.body);
      assert.ok(projects.json().data.some((p: { _id: string }) => p._id === ops));
      const person = await t.request('GET', `/v2/face-recognition/persons/${ada}`, { token: s.accessToken });
      assert.equal(person.statusCode, 200, person.body);
      const renamed = await t.request('PUT', `/v2/projects/${ops}`, {
        token: s.accessToken,
        body: { name: 'Ops desk' },
      });
      assert.equal(renamed.statusCode, 200, renamed.body);
      // The console's edit form sends the setting back unchanged: that is no change.
      const same = await t.request('PUT', `/v2/projects/${ops}`, {
        token: s.accessToken,
        body: { consoleAccess: true },
      });
      assert.equal(same.statusCode, 200, same.body);

      const listed = await t.request('GET', '/v2/audit-logs?where_actorType=operator&perPage=100', {
        token: acme.token,
      });
      assert.equal(listed.statusCode, 200, listed.body);
      const byOperator: Array<{ action: string; resource: { id: string }; actor: unknown }> = listed.json().data;
      assert.deepEqual(
        byOperator.map((e) => [e.action, e.resource.id]).sort(),
        [
          ['console.signIn', ops],
          ['person.read', ada],
          ['project.update', ops],
          ['project.update', ops],
        ].sort(),
      );
      for (const e of byOperator) assert.deepEqual(e.actor, { type: 'operator', id: ada, name: 'Ada' });
    });

    test('what only the API token may do: mint an API token, turn consoleAccess on or off', async () => {
      const s = await signIn();
      for (const [method, url] of [
        ['POST', '/v2/auth/renew-and-revoke'],
        ['GET', '/v2/auth/session'],
        ['POST', '/v2/auth/session?origin=refresh'],
      ] as const) {
        const r = await t.request(method, url, { token: s.accessToken });
        assert.deepEqual(errorOf(r), { code: 'api_token_only', message: 'api_token_only: a new API token' }, url);
        assert.equal(r.statusCode, 403);
      }
      const off = await t.request('PUT', `/v2/projects/${ops}`, {
        token: s.accessToken,
        body: { consoleAccess: false },
      });
      assert.deepEqual(errorOf(off), { code: 'api_token_only', message: 'api_token_only: consoleAccess' });
      const other = await newProject(acme.token, {});
      const on = await t.request('PUT', `/v2/projects/${other}`, {
        token: s.accessToken,
        body: { consoleAccess: true },
      });
      assert.equal(on.statusCode, 403);
      const created = await t.request('POST', '/v2/projects', {
        token: s.accessToken,
        body: { name: 'Back door', consoleAccess: true },
      });
      assert.equal(created.statusCode, 403);
      assert.equal(
        (await t.request('GET', `/v2/projects/${ops}`, { token: acme.token })).json().data.consoleAccess,
        true,
      );
      // Nor is the session a project-login access token, or the reverse.
      const app = await t.request('GET', '/v2/auth/session?origin=app', { token: s.accessToken });
      assert.equal(app.statusCode, 401);
    });

    test('refused: another project, a project without consoleAccess, another tenant’s project', async () => {
      const flow = await newFlow(acme.token, ops, ['email', 'liveness']);
      const access = await accessTokenOf(await face(await codeLogin('ada@acme.test', ops, flow), ops, flow, 'Ada'));
      const sibling = await newProject(acme.token, { consoleAccess: true });
      assert.deepEqual(errorOf(await consoleSession(access, sibling)), {
        code: 'token_not_right',
        message: '403:token_not_right',
      });
      const rival = await t.newClient('rival');
      const theirs = await newProject(rival.token, { consoleAccess: true });
      const foreign = await consoleSession(access, theirs);
      assert.equal(foreign.statusCode, 404);
      assert.equal(foreign.json().code, 'NotFound');

      // A project without consoleAccess signs nobody in to the console (whatever its flow asks).
      const shop = await newProject(acme.token, {});
      const shopFlow = await newFlow(acme.token, shop, ['email']);
      const shopAccess = await accessTokenOf(await codeLogin('ada@acme.test', shop, shopFlow));
      assert.deepEqual(errorOf(await consoleSession(shopAccess, shop)), {
        code: 'console_access_off',
        message: 'console_access_off',
      });
      // Sent the API token instead, or nothing.
      assert.equal((await consoleSession(acme.token, ops)).statusCode, 401);
      assert.equal((await t.request('POST', '/v2/auth/console-session', { body: { project: ops } })).statusCode, 401);
      const bad = await t.request('POST', '/v2/auth/console-session', { token: access, body: { project: 'x' } });
      assert.equal(bad.statusCode, 409);
    });

    test('refused: a code-only login, a face-only login, the code to another address', async () => {
      const passwordless = await newFlow(acme.token, ops, ['email']);
      const codeOnly = await accessTokenOf(await codeLogin('ada@acme.test', ops, passwordless));
      const need = { code: 'console_needs_code_and_face', message: 'console_needs_code_and_face' };
      assert.deepEqual(errorOf(await consoleSession(codeOnly, ops)), need);

      const faceOnly = await newFlow(acme.token, ops, []);
      const faceAccess = await accessTokenOf(await face(undefined, ops, faceOnly, 'Ada'));
      assert.deepEqual(errorOf(await consoleSession(faceAccess, ops)), need);

      // A mailbox no operator has, then an enrolled operator's face: not that operator's own code.
      const flow = await newFlow(acme.token, ops, ['email', 'liveness']);
      const stranger = await codeLogin('mallory@elsewhere.test', ops, flow);
      const viaStranger = await accessTokenOf(await face(stranger, ops, flow, 'Ada'));
      assert.deepEqual(errorOf(await consoleSession(viaStranger, ops)), need);
    });

    test('sign-out ends that session alone and at once; again, or twice at once, is harmless', async () => {
      const signOut = (token: string) => t.request('DELETE', '/v2/auth/console-session', { token });
      const revoked = { code: 'FORBIDDEN', message: 'token_revoked' };
      const copied = await signIn();
      const other = await signIn();
      assert.equal((await t.request('GET', '/v2/projects', { token: copied.accessToken })).statusCode, 200);

      const out = await signOut(copied.accessToken);
      assert.equal(out.statusCode, 200, out.body);
      assert.deepEqual(out.json(), { data: { ended: true } });
      // The token was copied before the sign-out: it opens nothing now.
      assert.deepEqual(errorOf(await t.request('GET', '/v2/projects', { token: copied.accessToken })), revoked);
      assert.deepEqual(
        errorOf(await t.request('GET', `/v2/face-recognition/persons/${ada}`, { token: copied.accessToken })),
        revoked,
      );
      const again = await signOut(copied.accessToken);
      assert.equal(again.statusCode, 200, again.body);
      assert.deepEqual(again.json(), { data: { ended: true } });
      assert.deepEqual(errorOf(await t.request('GET', '/v2/projects', { token: copied.accessToken })), revoked);

      // The same operator's other session, and the API token, go on.
      assert.equal((await t.request('GET', '/v2/projects', { token: other.accessToken })).statusCode, 200);
      assert.equal((await t.request('GET', '/v2/projects', { token: acme.token })).statusCode, 200);

      // Two sign-outs at once (two tabs): both answered, one recorded.
      const both = await Promise.all([signOut(other.accessToken), signOut(other.accessToken)]);
      assert.deepEqual(
        both.map((r) => r.statusCode),
        [200, 200],
      );
      assert.equal((await t.request('GET', '/v2/projects', { token: other.accessToken })).statusCode, 403);

      const listed = await t.request('GET', '/v2/audit-logs?where_actorType=operator&perPage=100', {
        token: acme.token,
      });
      const outs = (listed.json().data as Array<{ action: string; resource: unknown; actor: unknown }>).filter(
        (e) => e.action === 'console.signOut',
      );
      assert.equal(outs.length, 2, 'one console.signOut per session, however often it was signed out');
      for (const e of outs) {
        assert.deepEqual(e.actor, { type: 'operator', id: ada, name: 'Ada' });
        assert.deepEqual(e.resource, { type: 'project', id: ops });
      }
    });

    test('sign-out takes a console session only: the API token and others are refused, and keep working', async () => {
      const signOut = (token?: string) =>
        t.request('DELETE', '/v2/auth/console-session', token === undefined ? {} : { token });
      const api = await signOut(acme.token);
      assert.equal(api.statusCode, 403);
      assert.deepEqual(errorOf(api), { code: 'console_session_only', message: 'console_session_only' });
      assert.equal((await t.request('GET', '/v2/projects', { token: acme.token })).statusCode, 200);

      const flow = await newFlow(acme.token, ops, ['email', 'liveness']);
      const access = await accessTokenOf(await face(await codeLogin('ada@acme.test', ops, flow), ops, flow, 'Ada'));
      assert.deepEqual(errorOf(await signOut(access)), {
        code: 'console_session_only',
        message: 'console_session_only',
      });
      // That access token was not used up: it still opens a session.
      assert.equal((await consoleSession(access, ops)).statusCode, 200);

      const none = await signOut();
      assert.equal(none.statusCode, 401);
      assert.match(none.json().message, /console session/);
      assert.deepEqual(errorOf(await signOut('not-a-token')), { code: 'UNAUTHORIZED', message: 'invalid_token' });
    });

    test('a session token without a session id (issued before sign-out existed) is over', async () => {
      const client = await t.app.store.clients.findById(acme.id, acme.id);
      const old = await t.app.services.tokens.sign(
        { typ: 'consoleSession', client: acme.id, sub: ada, project: ops, gen: client?.tokenGeneration ?? 0 },
        new Date(now + 3600_000),
      );
      assert.deepEqual(errorOf(await t.request('GET', '/v2/projects', { token: old })), {
        code: 'FORBIDDEN',
        message: 'token_revoked',
      });
    });

    test('a sign-out is kept until the session would have expired, then the retention job forgets it', async () => {
      const s = await signIn();
      const sid = JSON.parse(Buffer.from(s.accessToken.split('.')[1] ?? '', 'base64url').toString()).sid as string;
      assert.equal((await t.request('DELETE', '/v2/auth/console-session', { token: s.accessToken })).statusCode, 200);
      await t.app.services.retention.purgeOnce();
      assert.equal(await t.app.store.consoleSessionEnds.hasEnded(acme.id, sid), true, 'kept while the token is valid');
      now = new Date(s.expiresAt).getTime() + 1000;
      assert.deepEqual(errorOf(await t.request('GET', '/v2/projects', { token: s.accessToken })), {
        code: 'FORBIDDEN',
        message: 'token_expired',
      });
      await t.app.services.retention.purgeOnce();
      assert.equal(await t.app.store.consoleSessionEnds.hasEnded(acme.id, sid), false);
    });

    test('ends: with renew-and-revoke, consoleAccess off, the person deleted, and after 8 hours', async () => {
      const first = await signIn();
      const renewed = await t.request('POST', '/v2/auth/renew-and-revoke', { token: acme.token });
      assert.equal(renewed.statusCode, 200, renewed.body);
      acme.token = renewed.json().token;
      assert.deepEqual(errorOf(await t.request('GET', '/v2/projects', { token: first.accessToken })), {
        code: 'FORBIDDEN',
        message: 'token_revoked',
      });

      const second = await signIn();
      assert.equal((await t.request('GET', '/v2/projects', { token: second.accessToken })).statusCode, 200);
      await t.request('PUT', `/v2/projects/${ops}`, { token: acme.token, body: { consoleAccess: false } });
      assert.equal((await t.request('GET', '/v2/projects', { token: second.accessToken })).statusCode, 403);
      await t.request('PUT', `/v2/projects/${ops}`, { token: acme.token, body: { consoleAccess: true } });
      assert.equal((await t.request('GET', '/v2/projects', { token: second.accessToken })).statusCode, 200);

      // The project-login access token lasts an hour: past it, no session.
      const flow = await newFlow(acme.token, ops, ['email', 'liveness']);
      const late = await accessTokenOf(await face(await codeLogin('ada@acme.test', ops, flow), ops, flow, 'Ada'));
      now += 3601_000;
      assert.deepEqual(errorOf(await consoleSession(late, ops)), { code: 'FORBIDDEN', message: 'token_expired' });

      const third = await signIn();
      now += 8 * 3600_000 - 5000;
      assert.equal((await t.request('GET', '/v2/projects', { token: third.accessToken })).statusCode, 200);
      now += 10_000;
      assert.deepEqual(errorOf(await t.request('GET', '/v2/projects', { token: third.accessToken })), {
        code: 'FORBIDDEN',
        message: 'token_expired',
      });

      const fourth = await signIn();
      const gone = await t.request('DELETE', `/v2/face-recognition/persons/${ada}`, { token: acme.token });
      assert.equal(gone.statusCode, 200, gone.body);
      assert.equal((await t.request('GET', '/v2/projects', { token: fourth.accessToken })).statusCode, 403);
    });
  });
}
