import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { faces } from '../helpers/faces.js';
import { storeKinds } from '../helpers/stores.js';

// Issue #14, items 4, 5, 6, 7, 8 and 10, on every store with the real engine: odd bytes, guessable ids, internal
// webhook targets, tokens outliving what they should, Fastify's own error bodies, and attempts used up by a photo
// too big to analyse.

const codeOf = (res: { json: () => any }) => {
  const { code, message } = res.json();
  return { code, message };
};

for (const kind of storeKinds) {
  describe(`hardening (#14) over HTTP (${kind.name})`, { skip: kind.skip }, () => {
    let t: TestApp;
    let acme: { id: string; token: string };
    let project: string;
    let loginFlow: string;
    let collection: string;

    const create = (body: Record<string, unknown>, token: string | null = acme.token) =>
      t.request('POST', '/v2/biometric-validations', { ...(token ? { token } : {}), body });
    const newLogin = async (identifier: string) =>
      (await create({ project, projectFlow: loginFlow, identifier, type: 'login' })).json().data;
    const validate = (token: string, image: string) =>
      t.request('POST', '/v2/biometric-validations/validate', { token, body: { image, os: 'DESKTOP' } });
    const readValidation = async (id: string) =>
      (await t.request('GET', `/v2/biometric-validations/${id}`, { token: acme.token })).json().data;

    before(async () => {
      t = await startTestApp(kind, { env: { FACEGATE_ENGINE_WORKERS: '1', FACEGATE_RATE_LIMIT_PER_MINUTE: '1000' } });
      acme = await t.newClient('acme');
      project = (await t.request('POST', '/v2/projects', { token: acme.token, body: { name: 'Shop' } })).json().data
        ._id;
      loginFlow = (
        await t.request('POST', '/v2/project-flows', {
          token: acme.token,
          body: { project, type: 'login', loginSettings: { livenessMode: 'passive' } },
        })
      ).json().data._id;
      collection = (
        await t.request('GET', `/v2/face-recognition/collections?where_project=${project}`, { token: acme.token })
      ).json().data[0].code;
    });
    after(() => t?.close());

    test('item 4: a NUL or a lone surrogate in any string answers 409 naming the field, before any work', async () => {
      const refused = (res: { statusCode: number; json: () => any }, field: string) => {
        assert.equal(res.statusCode, 409, JSON.stringify(res.json()));
        assert.equal(res.json().code, 'MissingParameter');
        assert.match(res.json().message, new RegExp(`^"${field.replace('.', '\\.')}" must not contain NUL`));
      };
      const base = { project, projectFlow: loginFlow, type: 'login' };
      refused(await create({ ...base, identifier: 'a\u0000b' }, null), 'identifier');
      refused(await create({ ...base, location: { city: '\ud800' } }, null), 'location.city');
      refused(await create({ ...base, identifier: 'x', location: { city: 'a\udc00b' } }), 'location.city');
      refused(await t.request('GET', '/v2/projects?where_name=%00', { token: acme.token }), 'where_name');
      refused(await t.request('POST', '/v2/projects', { token: acme.token, body: { name: 'P\u0000' } }), 'name');
      refused(
        await t.request('PUT', `/v2/projects/${project}`, { token: acme.token, body: { name: '\udfff' } }),
        'name',
      );
      // The image is not analysed first: a body with an unreadable image still answers about the name.
      refused(
        await t.request('POST', '/v2/face-recognition/persons', {
          token: acme.token,
          body: { name: 'Jo\u0000', images: ['not an image'], collections: [collection] },
        }),
        'name',
      );
      const key = await t.request('POST', '/v2/projects', { token: acme.token, body: { 'na\u0000me': 'P' } });
      assert.equal(key.statusCode, 409);
      assert.match(key.json().message, /^a field name must not contain NUL/);
      // A token-protected route without a token still answers 401 first; a well-formed pair is fine.
      assert.equal((await t.request('POST', '/v2/projects', { body: { name: 'P\u0000' } })).statusCode, 401);
      const emoji = await t.request('POST', '/v2/projects', { token: acme.token, body: { name: 'Café 😀' } });
      assert.equal(emoji.statusCode, 200);
      assert.equal(emoji.json().data.name, 'Café 😀');
    });

    test('item 5: ids do not count up, and the public project route is rate-limited', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push(
          (await t.request('POST', '/v2/projects', { token: acme.token, body: { name: `p${i}` } })).json().data._id,
        );
      }
      for (const id of ids) assert.match(id, /^[0-9a-f]{24}$/);
      assert.equal(new Set(ids.map((id) => id.slice(8, 18))).size, 3, 'no per-process value shared');
      const limited = await startTestApp(kind, { env: { FACEGATE_RATE_LIMIT_PER_MINUTE: '3' } });
      try {
        const statuses = [];
        for (let i = 0; i < 4; i++) {
          statuses.push((await limited.request('GET', `/v2/projects/kyc?id=${'0'.repeat(24)}`)).statusCode);
        }
        assert.deepEqual(statuses, [404, 404, 404, 429]);
      } finally {
        await limited.close();
      }
    });

    test('item 6: a webhookUrl on a literal internal address is refused when set, naming the field', async () => {
      for (const webhookUrl of [
        'http://127.0.0.1:9000/hooks',
        'http://[::ffff:10.0.0.1]/',
        'http://169.254.169.254/latest/meta-data',
        'http://localhost:3000/',
      ]) {
        const flow = await t.request('POST', '/v2/project-flows', {
          token: acme.token,
          body: { project, type: 'login', webhookUrl },
        });
        assert.equal(flow.statusCode, 409, webhookUrl);
        assert.match(flow.json().message, /^"webhookUrl" must not point at a loopback, link-local or private address/);
        const put = await t.request('PUT', `/v2/project-flows/${loginFlow}`, {
          token: acme.token,
          body: { webhookUrl },
        });
        assert.equal(put.statusCode, 409, webhookUrl);
        const v = await create({ project, projectFlow: loginFlow, identifier: 'x', type: 'login', webhookUrl });
        assert.equal(v.statusCode, 409, webhookUrl);
        assert.match(v.json().message, /^"webhookUrl" must not point/);
      }
      const named = await t.request('PUT', `/v2/project-flows/${loginFlow}`, {
        token: acme.token,
        body: { webhookUrl: 'https://hooks.example.com/x' },
      });
      assert.equal(named.statusCode, 200, 'a name is judged at delivery, by what it resolves to');
      const allowing = await startTestApp(kind, { env: { FACEGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' } });
      try {
        const c = await allowing.newClient();
        const p = (await allowing.request('POST', '/v2/projects', { token: c.token, body: { name: 'P' } })).json().data
          ._id;
        const flow = await allowing.request('POST', '/v2/project-flows', {
          token: c.token,
          body: { project: p, type: 'login', webhookUrl: 'http://127.0.0.1:9000/hooks' },
        });
        assert.equal(flow.statusCode, 200);
      } finally {
        await allowing.close();
      }
    });

    test('item 7: renew-and-revoke ends earlier liveness sessions; an exchanged app login creates no second factor', async () => {
      const other = await t.newClient('other');
      const p = (await t.request('POST', '/v2/projects', { token: other.token, body: { name: 'O' } })).json().data._id;
      const f = (
        await t.request('POST', '/v2/project-flows', {
          token: other.token,
          body: { project: p, type: 'login', loginSettings: { livenessMode: 'passive' } },
        })
      ).json().data._id;
      const before = (await create({ project: p, projectFlow: f, identifier: 'u', type: 'login' }, other.token)).json()
        .data.token;
      const publicBefore = (await create({ project: p, projectFlow: f, type: 'login' }, null)).json().data.token;
      const renewed = await t.request('POST', '/v2/auth/renew-and-revoke', { token: other.token, body: {} });
      assert.equal(renewed.statusCode, 200);
      for (const session of [before, publicBefore]) {
        const res = await validate(session, 'not an image');
        assert.equal(res.statusCode, 403);
        assert.deepEqual(codeOf(res), { code: 'FORBIDDEN', message: 'token_revoked' });
        const challenge = await t.request('GET', '/v2/biometric-validations/challenge', { token: session });
        assert.equal(challenge.statusCode, 403);
      }
      const after = (await create({ project: p, projectFlow: f, type: 'login' }, null)).json().data.token;
      assert.equal((await t.request('GET', '/v2/biometric-validations/challenge', { token: after })).statusCode, 200);

      // An app login, exchanged once at project-login, no longer opens a second factor.
      const person = await t.request('POST', '/v2/face-recognition/persons', {
        token: acme.token,
        body: { name: 'Barack Obama', images: [faces.obama1()], collections: [collection] },
      });
      assert.equal(person.statusCode, 200, person.body.slice(0, 300));
      const login = await validate((await newLogin('two-factor')).token, faces.obama2());
      assert.equal(login.statusCode, 200, login.body.slice(0, 300));
      const appLoginToken = login.json().data.token;
      const body = { project, projectFlow: loginFlow, identifier: 'two-factor', type: 'login' };
      const beforeExchange = await t.request('POST', '/v2/biometric-validations/app-login', {
        token: appLoginToken,
        body,
      });
      assert.equal(beforeExchange.statusCode, 200);
      assert.equal((await t.request('POST', '/v2/auth/project-login', { token: appLoginToken })).statusCode, 200);
      const afterExchange = await t.request('POST', '/v2/biometric-validations/app-login', {
        token: appLoginToken,
        body,
      });
      assert.equal(afterExchange.statusCode, 403);
      assert.deepEqual(codeOf(afterExchange), { code: 'token_already_used', message: 'token_already_used' });
    });

    test('item 8: a path parameter over 100 characters answers {code, message}, with or without a token', async () => {
      for (const token of [acme.token, undefined]) {
        const res = await t.request('GET', `/v2/projects/${'a'.repeat(101)}`, token ? { token } : {});
        assert.equal(res.statusCode, 414);
        assert.deepEqual(codeOf(res), { code: 'URITooLong', message: 'path_parameter_too_long' });
        assert.doesNotMatch(res.body, /FST_ERR/);
      }
      const bad = await t.request('GET', '/v2/projects/%zz', { token: acme.token });
      assert.ok(bad.statusCode < 500);
      assert.doesNotMatch(bad.body, /FST_ERR/);
      assert.ok(bad.json().code);
    });

    test('item 10: an image over the pixel cap answers 413 image_too_large and uses up no attempt', async () => {
      const huge = await sharp({ create: { width: 20_000, height: 3_000, channels: 3, background: '#808080' } })
        .png({ compressionLevel: 9 })
        .toBuffer();
      const created = await newLogin('huge');
      // Over a socket: a 413 drains what is left of the body, which an injected request never reports as read.
      await t.app.http.listen({ port: 0, host: '127.0.0.1' });
      const { port } = t.app.http.server.address() as AddressInfo;
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/v2/biometric-validations/validate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${created.token}` },
          body: JSON.stringify({ image: huge.toString('base64'), os: 'DESKTOP' }),
        });
        assert.equal(res.status, 413);
        assert.equal(((await res.json()) as { code: string }).code, 'image_too_large');
      }
      const v = await readValidation(created.biometricValidation._id);
      assert.equal(v.attempts, 0);
      assert.equal(v.status, 'pending');
    });
  });
}

describe('a client that disconnects mid-upload (#14, item 8)', () => {
  test('is logged at info, not as a failed request at error level', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
        done();
      },
    });
    const kind = storeKinds[0];
    assert.ok(kind);
    const t = await startTestApp(kind, { overrides: { logger: { level: 'debug', stream } } });
    try {
      const { token } = await t.newClient();
      await t.app.http.listen({ port: 0, host: '127.0.0.1' });
      const { port } = t.app.http.server.address() as AddressInfo;
      await new Promise<void>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(
            'POST /v2/projects HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
              `Authorization: Bearer ${token}\r\nContent-Length: 100000\r\n\r\n{"name":"`,
          );
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 200);
        });
        socket.on('error', reject);
      });
      const deadline = Date.now() + 3000;
      while (!lines.some((l) => /client closed the connection/.test(l.msg)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.deepEqual(
        lines.filter((l) => l.level >= 50).map((l) => l.msg),
        [],
        'nothing at error level',
      );
      const aborted = lines.find((l) => /client closed the connection/.test(l.msg));
      assert.ok(aborted, 'the disconnect is logged');
      assert.ok(aborted.level <= 30, 'at info or below');
    } finally {
      await t.close();
    }
  });
});
