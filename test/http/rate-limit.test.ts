import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorOf, startTestApp, type TestApp } from '../helpers/app.js';
import { sqliteKind } from '../helpers/stores.js';

describe('anti-hammering on the routes reachable without an API token', () => {
  let t: TestApp;
  let token: string;
  let body: Record<string, string>;
  before(async () => {
    t = await startTestApp(sqliteKind, { env: { FACEGATE_RATE_LIMIT_PER_MINUTE: '3' } });
    token = (await t.newClient()).token;
    const project = (await t.request('POST', '/v2/projects', { token, body: { name: 'P' } })).json().data._id;
    const flow = (
      await t.request('POST', '/v2/project-flows', {
        token,
        body: { project, type: 'login', loginSettings: { livenessMode: 'passive' } },
      })
    ).json().data._id;
    body = { project, projectFlow: flow, identifier: 'x', type: 'login' };
  });
  after(() => t?.close());

  test('public creates and selfie submissions beyond the limit answer 429; integrators with a token are not limited', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await t.request('POST', '/v2/biometric-validations', { body })).statusCode);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    const limited = await t.request('POST', '/v2/biometric-validations', { body });
    assert.deepEqual(errorOf(limited), { code: 'TooManyRequests', message: 'too_many_requests' });
    for (let i = 0; i < 5; i++)
      assert.equal((await t.request('POST', '/v2/biometric-validations', { token, body })).statusCode, 200);

    const session = (await t.request('POST', '/v2/biometric-validations', { token, body })).json().data.token;
    const selfie = { image: 'x'.repeat(200), os: 'DESKTOP' };
    const codes = [];
    for (let i = 0; i < 4; i++) {
      codes.push(
        (await t.request('POST', '/v2/biometric-validations/validate', { token: session, body: selfie })).statusCode,
      );
    }
    assert.equal(codes[3], 429);
  });
});
