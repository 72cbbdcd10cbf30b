import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { AUTHENTICATED_TOKEN_MS } from '../../src/services/client.service.js';
import { errorOf, startTestApp, type TestApp } from '../helpers/app.js';
import { sqliteKind } from '../helpers/stores.js';

// Token handling does not depend on the database; one store is enough here.
describe('client tokens over HTTP', () => {
  let t: TestApp;
  let now = new Date('2026-01-01T00:00:00Z');
  const clock = { now: () => now };
  before(async () => {
    t = await startTestApp(sqliteKind, { clock });
  });
  after(() => t?.close());

  test('no token → 401 UNAUTHORIZED in Verifik shape', async () => {
    const res = await t.request('GET', '/v2/projects');
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().code, 'UNAUTHORIZED');
    assert.match(res.json().message, /^Authentication required: send the client API token/);
  });

  test('a bare token (no Bearer scheme) is accepted', async () => {
    const c = await t.newClient();
    const res = await t.request('GET', '/v2/projects', { headers: { authorization: c.token } });
    assert.equal(res.statusCode, 200);
  });

  test('forged, malformed and foreign-kind tokens are refused', async () => {
    const c = await t.newClient();
    const [h, p] = c.token.split('.');
    const forgedSig = `${h}.${p}.${'A'.repeat(43)}`;
    const otherKey = await new SignJWT({ typ: 'client', client: c.id, gen: 1 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(c.id)
      .setIssuer('facegate')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('x'.repeat(40)));
    const liveness = await t.app.services.tokens.sign(
      { typ: 'liveness', client: c.id, sub: c.id },
      new Date(now.getTime() + 60_000),
    );
    for (const bad of [forgedSig, otherKey, 'garbage', liveness]) {
      const res = await t.request('GET', '/v2/projects', { token: bad });
      assert.equal(res.statusCode, 401, bad.slice(0, 20));
      assert.equal(res.json().code, 'UNAUTHORIZED');
    }
  });

  test('an expired token → 403 token_expired', async () => {
    const c = await t.newClient();
    now = new Date(now.getTime() + 31 * 86_400_000);
    try {
      const res = await t.request('GET', '/v2/projects', { token: c.token });
      assert.equal(res.statusCode, 403);
      assert.deepEqual(errorOf(res), { code: 'FORBIDDEN', message: 'token_expired' });
    } finally {
      now = new Date('2026-01-01T00:00:00Z');
    }
  });

  test('session refresh issues a longer-lived token; renew-and-revoke kills every earlier one', async () => {
    const c = await t.newClient();
    const refreshed = await t.request('GET', '/v2/auth/session?origin=refresh&expiresIn=3', { token: c.token });
    assert.equal(refreshed.statusCode, 200);
    const { accessToken, tokenType, expiresAt } = refreshed.json();
    assert.equal(tokenType, 'bearer');
    assert.equal(new Date(expiresAt).getTime() - now.getTime(), 90 * 86_400_000);
    assert.equal((await t.request('GET', '/v2/projects', { token: accessToken })).statusCode, 200);

    const renewed = await t.request('POST', '/v2/auth/renew-and-revoke', { token: c.token, body: {} });
    assert.equal(renewed.statusCode, 200);
    const fresh = renewed.json().token;
    for (const old of [c.token, accessToken]) {
      const res = await t.request('GET', '/v2/projects', { token: old });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().message, 'token_revoked');
    }
    assert.equal((await t.request('GET', '/v2/projects', { token: fresh })).statusCode, 200);
  });

  test('a token revoked by another process (straight in the database) is refused within the documented bound', async () => {
    const c = await t.newClient();
    assert.equal((await t.request('GET', '/v2/projects', { token: c.token })).statusCode, 200);
    const client = await t.app.store.clients.findById(c.id, c.id);
    assert.ok(client);
    const { _id, createdAt, updatedAt, __v, ...body } = client;
    await t.app.store.clients.update(c.id, c.id, { ...body, tokenGeneration: body.tokenGeneration + 1 });
    now = new Date(now.getTime() + AUTHENTICATED_TOKEN_MS);
    const res = await t.request('GET', '/v2/projects', { token: c.token });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().message, 'token_revoked');
  });

  test('health, OpenAPI and docs are served', async () => {
    assert.deepEqual((await t.request('GET', '/health')).json(), {
      status: 'ok',
      database: 'ok',
      index: 'ok',
      engine: 'ok',
    });
    const spec = (await t.request('GET', '/openapi.json')).json();
    assert.equal(spec.openapi, '3.1.0');
    assert.ok(spec.paths['/v2/projects'].post);
    assert.ok(spec.paths['/v2/face-recognition/collections/{id}'].get);
    assert.equal((await t.request('GET', '/docs/')).statusCode, 200);
    const unknown = await t.request('GET', '/v2/nope');
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().code, 'ResourceNotFound');
  });
});
