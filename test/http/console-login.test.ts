import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AppLogin } from '../../src/domain/app-login.js';
import type { NewDocument } from '../../src/domain/document.js';
import { errorOf, startTestApp, type TestApp } from '../helpers/app.js';
import { aFlow, aPerson, aProject } from '../helpers/factories.js';
import { storeKinds } from '../helpers/stores.js';

// Issue #16: the console-login chain Verifik's apps use. An app-login token is exchanged at project-login for an
// access token; that token opens GET /v2/auth/session?origin=app and nothing else. PUT /v2/clients/:id saves the
// client's own profile.

for (const kind of storeKinds) {
  describe(`console login over HTTP (${kind.name})`, { skip: kind.skip }, () => {
    let t: TestApp;
    let acme: { id: string; token: string };
    let other: { id: string; token: string };
    let projectId: string;
    let flowId: string;
    before(async () => {
      t = await startTestApp(kind);
      acme = await t.newClient('acme');
      other = await t.newClient('other');
      const project = await t.app.store.projects.insert(
        aProject(acme.id, {
          name: 'Console',
          contactEmail: 'ops@acme.example',
          branding: { bgColor: '#102030' },
        }),
      );
      projectId = project._id;
      flowId = (await t.app.store.projectFlows.insert(aFlow(acme.id, projectId)))._id;
    });
    after(() => t?.close());

    /** An app login as a validation leaves it, and its app-login token exchanged at project-login. */
    async function accessToken(o: Partial<NewDocument<AppLogin>>): Promise<string> {
      const login = await t.app.store.appLogins.insert({
        client: acme.id,
        project: projectId,
        projectFlow: flowId,
        status: 'validated',
        type: 'email',
        biometricValidation: null,
        livenessSession: null,
        face: null,
        name: 'ana@example.com',
        person: null,
        identifier: 'ana@example.com',
        emailValidation: null,
        phoneValidation: null,
        accessControlLog: null,
        exchangedAt: null,
        ...o,
      });
      const token = await t.app.services.tokens.sign(
        { typ: 'appLogin', client: acme.id, sub: login._id, project: projectId },
        new Date(Date.now() + 60_000),
      );
      const res = await t.request('POST', '/v2/auth/project-login', { token });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().data.accessToken;
    }

    test("origin=app: the flat session of an email login's identity, with the project's public settings", async () => {
      const token = await accessToken({});
      const res = await t.request('GET', '/v2/auth/session?origin=app', { token });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.deepEqual(Object.keys(body).sort(), ['accessToken', 'expiresAt', 'settings', 'tokenType', 'user']);
      assert.equal(body.accessToken, token);
      assert.equal(body.tokenType, 'bearer');
      assert.equal(body.user.email, 'ana@example.com');
      assert.equal(body.user.phone, null);
      assert.equal(body.user.person, null);
      assert.equal(body.user._id, body.user.appLogin);
      assert.equal(body.user.staff, false);
      assert.deepEqual(body.settings, {
        project: projectId,
        name: 'Console',
        allowedCountries: ['Colombia'],
        contactEmail: 'ops@acme.example',
        privacyUrl: null,
        termsAndConditionsUrl: null,
        branding: { bgColor: '#102030' },
        dataProtection: {},
      });
      assert.equal(JSON.stringify(body).includes(acme.id), false, 'no client id in a session');
    });

    test('origin=app: a face login is the person recognised (bare token accepted, POST too)', async () => {
      const person = await t.app.store.persons.insert(
        aPerson(acme.id, { name: 'Ana Gómez', email: 'ana@acme.example', phone: '+573001234567' }),
      );
      const token = await accessToken({ type: 'faceLiveness', person: person._id, name: 'Ana Gómez' });
      for (const method of ['GET', 'POST'] as const) {
        const res = await t.request(method, '/v2/auth/session?origin=app', { headers: { authorization: token } });
        assert.equal(res.statusCode, 200, res.body);
        const { user } = res.json();
        assert.equal(user._id, person._id);
        assert.equal(user.name, 'Ana Gómez');
        assert.equal(user.email, 'ana@acme.example');
        assert.equal(user.phone, '+573001234567');
        assert.equal(user.type, 'faceLiveness');
      }
    });

    test('the access token opens nothing of the tenant API; origin=app refuses other tokens', async () => {
      const token = await accessToken({});
      const refused: [string, string, unknown?][] = [
        ['GET', '/v2/projects'],
        ['GET', `/v2/projects/${projectId}`],
        ['GET', '/v2/app-logins'],
        ['GET', '/v2/face-recognition/persons'],
        ['GET', '/v2/face-recognition/collections'],
        ['POST', '/v2/face-recognition/detect', { image: 'x'.repeat(200) }],
        ['POST', '/v2/face-recognition/compare', { probe: 'x'.repeat(200), gallery: ['x'.repeat(200)] }],
        ['GET', '/v2/auth/session?origin=refresh'],
        ['GET', '/v2/auth/session'],
        ['POST', '/v2/auth/renew-and-revoke', {}],
        ['GET', '/v2/clients/webhook-secret'],
        ['PUT', `/v2/clients/${acme.id}`, { name: 'x' }],
        ['POST', '/v2/auth/project-login', {}],
      ];
      for (const [method, url, body] of refused) {
        const res = await t.request(method as 'GET', url, { token, body });
        assert.equal(res.statusCode, 401, `${method} ${url}: ${res.body}`);
        assert.equal(res.json().code, 'UNAUTHORIZED');
      }
      const noToken = await t.request('GET', '/v2/auth/session?origin=app');
      assert.equal(noToken.statusCode, 401);
      assert.match(noToken.json().message, /access token of POST \/v2\/auth\/project-login/);
      const clientToken = await t.request('GET', '/v2/auth/session?origin=app', { token: acme.token });
      assert.deepEqual(errorOf(clientToken), { code: 'UNAUTHORIZED', message: 'invalid_token' });
      // The client refresh still works as before.
      const refreshed = await t.request('GET', '/v2/auth/session?origin=refresh', { token: acme.token });
      assert.equal(refreshed.statusCode, 200);
      assert.deepEqual(Object.keys(refreshed.json()).sort(), ['accessToken', 'expiresAt', 'tokenType']);
    });

    test("the client's renew-and-revoke ends its access tokens too", async () => {
      const c = await t.newClient('revoking');
      const project = await t.app.store.projects.insert(aProject(c.id));
      const flow = await t.app.store.projectFlows.insert(aFlow(c.id, project._id));
      const login = await t.app.store.appLogins.insert({
        client: c.id,
        project: project._id,
        projectFlow: flow._id,
        status: 'validated',
        type: 'phone',
        biometricValidation: null,
        livenessSession: null,
        face: null,
        name: '+573001234567',
        person: null,
        identifier: '+573001234567',
        emailValidation: null,
        phoneValidation: null,
        accessControlLog: null,
        exchangedAt: null,
      });
      const appLogin = await t.app.services.tokens.sign(
        { typ: 'appLogin', client: c.id, sub: login._id, project: project._id },
        new Date(Date.now() + 60_000),
      );
      const token = (await t.request('POST', '/v2/auth/project-login', { token: appLogin })).json().data.accessToken;
      const ok = await t.request('GET', '/v2/auth/session?origin=app', { token });
      assert.equal(ok.json().user.phone, '+573001234567');
      assert.equal(
        (await t.request('POST', '/v2/auth/renew-and-revoke', { token: c.token, body: {} })).statusCode,
        200,
      );
      const res = await t.request('GET', '/v2/auth/session?origin=app', { token });
      assert.deepEqual(errorOf(res), { code: 'FORBIDDEN', message: 'token_revoked' });
    });

    test('PUT /v2/clients/:id saves the profile Verifik documents, with the client token', async () => {
      const profile = {
        name: 'Acme Ltd',
        company: 'Acme',
        address: 'Cra 7 # 71-21',
        email: 'ops@acme.example',
        phone: '3001234567',
        countryCode: '+57',
        avatar: 'https://acme.example/a.png',
      };
      const res = await t.request('PUT', `/v2/clients/${acme.id}`, { token: acme.token, body: profile });
      assert.equal(res.statusCode, 200, res.body);
      const data = res.json().data;
      assert.deepEqual(
        { ...data, _id: undefined, createdAt: undefined, updatedAt: undefined, __v: undefined },
        {
          _id: undefined,
          createdAt: undefined,
          updatedAt: undefined,
          __v: undefined,
          status: 'active',
          ...profile,
        },
      );
      assert.equal(data._id, acme.id);
      assert.equal('webhookSecret' in data || 'tokenGeneration' in data, false);
      // A partial update keeps the rest; null clears a field. Stored, not only answered.
      const partial = await t.request('PUT', `/v2/clients/${acme.id}`, {
        token: acme.token,
        body: { company: null, phone: '3109876543' },
      });
      assert.equal(partial.statusCode, 200, partial.body);
      const stored = await t.app.store.clients.findById(acme.id, acme.id);
      assert.equal(stored?.name, 'Acme Ltd');
      assert.equal(stored?.company, null);
      assert.equal(stored?.phone, '3109876543');
      assert.equal(stored?.tokenGeneration, 1);
      // The token still authenticates after the write.
      assert.equal((await t.request('GET', '/v2/projects', { token: acme.token })).statusCode, 200);
    });

    test('PUT /v2/clients/:id refuses unknown keys naming them, bad values, and another client', async () => {
      const unknown = await t.request('PUT', `/v2/clients/${acme.id}`, {
        token: acme.token,
        body: { name: 'x', credits: 1000, staff: true },
      });
      assert.equal(unknown.statusCode, 409);
      assert.equal(unknown.json().code, 'MissingParameter');
      assert.match(unknown.json().message, /credits/);
      assert.match(unknown.json().message, /staff/);
      const badEmail = await t.request('PUT', `/v2/clients/${acme.id}`, { token: acme.token, body: { email: 'no' } });
      assert.equal(badEmail.statusCode, 409);
      const emptyName = await t.request('PUT', `/v2/clients/${acme.id}`, { token: acme.token, body: { name: ' ' } });
      assert.equal(emptyName.statusCode, 409);
      const foreign = await t.request('PUT', `/v2/clients/${other.id}`, { token: acme.token, body: { name: 'x' } });
      assert.deepEqual(errorOf(foreign), { code: 'NotFound', message: 'Record not found.' });
      assert.equal((await t.app.store.clients.findById(other.id, other.id))?.name, 'other');
      const noToken = await t.request('PUT', `/v2/clients/${acme.id}`, { body: { name: 'x' } });
      assert.equal(noToken.statusCode, 401);
    });
  });
}
