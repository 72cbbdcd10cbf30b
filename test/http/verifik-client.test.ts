import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { chromiumUnavailableReason, launchChromium } from '../helpers/browser.js';
import { faces } from '../helpers/faces.js';
import { sqliteKind } from '../helpers/stores.js';

// Issue #13: Verifik's own client (its typed API client and demo apps) works unchanged. Each test sends what that
// client sends, headers included (`Content-Type: application/json` on every call, body or not), and asserts what
// it reads.

const json = { 'content-type': 'application/json' };
/** An in-app browser's user agent as the hosted page sends it in `location` (Instagram on iOS, 205 characters). */
const instagramUserAgent =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 ' +
  'Instagram 339.0.3.12.91 (iPhone14,5; iOS 17_5_1; en_US; en; scale=3.00; 1170x2532; 620213093)';

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

describe('Verifik client compatibility (#13)', () => {
  let t: TestApp;
  let acme: { id: string; token: string };
  let collection: { _id: string; code: string };
  let other: { _id: string; code: string };
  let project: string;

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, token = acme.token) =>
    t.request(method, url, { token, headers: json, ...(body !== undefined ? { body } : {}) });

  before(async () => {
    t = await startTestApp(sqliteKind, { env: { FACEGATE_ENGINE_WORKERS: '1' } });
    acme = await t.newClient('acme');
    collection = (await call('POST', '/v2/face-recognition/collections', { name: 'staff' })).json().data;
    other = (await call('POST', '/v2/face-recognition/collections', { name: 'visitors' })).json().data;
    project = (await call('POST', '/v2/projects', { name: 'Shop' })).json().data._id;
  });
  after(() => t?.close());

  test('1. a preflight from any origin is answered with Access-Control-* headers by default', async () => {
    const res = await t.request('OPTIONS', '/v2/face-recognition/persons', {
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    assert.equal(res.statusCode, 204);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.match(String(res.headers['access-control-allow-methods']), /POST/);
    assert.match(String(res.headers['access-control-allow-headers']), /Authorization/);
    assert.match(String(res.headers['access-control-allow-headers']), /Content-Type/);
    assert.equal(res.headers['access-control-allow-credentials'], undefined);
    const real = await t.request('GET', '/v2/projects', {
      token: acme.token,
      headers: { origin: 'http://localhost:3000' },
    });
    assert.equal(real.statusCode, 200);
    assert.equal(real.headers['access-control-allow-origin'], '*');
    assert.match(String(real.headers['access-control-expose-headers']), /X-Request-Id/);
  });

  test('2. body-less DELETE and project-login with Content-Type: application/json are not 400', async () => {
    const enrol = async (name: string) =>
      (
        await call('POST', '/v2/face-recognition/persons', {
          name,
          images: [faces.obama1()],
          collections: [collection._id, other._id],
        })
      ).json().data;
    const person = await enrol('Barack Obama');
    const fromOne = await call('DELETE', `/v2/face-recognition/persons/${person._id}?collection=${other._id}`);
    assert.equal(fromOne.statusCode, 200, fromOne.body);
    assert.deepEqual(fromOne.json().data.collections, [collection._id]);
    const whole = await call('DELETE', `/v2/face-recognition/persons/${person._id}`);
    assert.equal(whole.statusCode, 200, whole.body);
    assert.equal((await call('GET', `/v2/face-recognition/persons/${person._id}`)).statusCode, 404);

    const login = await t.request('POST', '/v2/auth/project-login', {
      token: 'eyJhbGciOiJIUzI1NiJ9.e30.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      headers: json,
    });
    assert.notEqual(login.statusCode, 400, login.body);
    assert.notEqual(login.json().code, 'InvalidContent');
    const noToken = await t.request('POST', '/v2/auth/project-login', { headers: json });
    assert.equal(noToken.statusCode, 401);
    assert.match(noToken.json().message, /app-login token/);
  });

  test('3. person.collections is an array of collection ids; search hits keep {id, name}', async () => {
    const created = await call('POST', '/v2/face-recognition/persons', {
      name: 'Joe Biden',
      images: [faces.biden()],
      collections: [collection.code],
    });
    assert.equal(created.statusCode, 200, created.body);
    assert.deepEqual(created.json().data.collections, [collection._id]);
    const id = created.json().data._id;
    assert.deepEqual((await call('GET', `/v2/face-recognition/persons/${id}`)).json().data.collections, [
      collection._id,
    ]);
    const listed = (await call('GET', '/v2/face-recognition/persons')).json().data;
    assert.ok(listed.every((p: { collections: unknown[] }) => p.collections.every((c) => typeof c === 'string')));
    const updated = await call('PUT', `/v2/face-recognition/persons/${id}`, {
      collections: [collection._id, other._id],
    });
    assert.deepEqual(updated.json().data.collections.sort(), [collection._id, other._id].sort());
    const hits = (
      await call('POST', '/v2/face-recognition/search', {
        images: [faces.biden()],
        collection_id: collection.code,
        min_score: 0.5,
      })
    ).json().data;
    assert.deepEqual(
      hits[0].collections.sort((a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name)),
      [
        { id: collection._id, name: 'staff' },
        { id: other._id, name: 'visitors' },
      ],
    );
  });

  test('4. compare-live: result.passed is the match; liveness is reported beside it', async () => {
    // A liveness threshold of 1 cannot be passed: the same person must still read as "match, liveness failed".
    const res = await call('POST', '/v2/face-recognition/compare-live', {
      probe: faces.obama1(),
      gallery: [faces.obama2()],
      os: 'DESKTOP',
      liveness_min_score: 1,
      search_mode: 'ACCURATE',
    });
    assert.equal(res.statusCode, 200, res.body);
    const d = res.json().data;
    assert.equal(d.result.passed, true);
    assert.equal(d.passed, true);
    assert.ok(d.result.score >= d.compare_min_score);
    assert.equal(d.liveness_min_score, 1);
    assert.equal(typeof d.result.liveness_score, 'number');
    assert.ok(d.result.liveness_score <= d.liveness_min_score);
    assert.equal(d.liveness.passed, false);
    const stranger = await call('POST', '/v2/face-recognition/compare-live', {
      probe: faces.obama1(),
      gallery: [faces.biden()],
      os: 'DESKTOP',
    });
    assert.equal(stranger.json().data.result.passed, false);
  });

  test('5. list keys sortBy, sortOrder, search, order, orderBy have Verifik’s meaning', async () => {
    for (const name of ['Alice Adams', 'Bob Brown']) {
      await call('POST', '/v2/face-recognition/collections', { name });
    }
    const names = async (query: string) =>
      (await call('GET', `/v2/face-recognition/collections?${query}`))
        .json()
        .data.map((c: { name: string }) => c.name)
        .filter((n: string) => !n.startsWith('default collection'));
    assert.deepEqual(await names('sortBy=name&sortOrder=asc'), ['Alice Adams', 'Bob Brown', 'staff', 'visitors']);
    assert.deepEqual(await names('orderBy=name&order=desc'), ['visitors', 'staff', 'Bob Brown', 'Alice Adams']);
    assert.deepEqual(await names('search=BROWN'), ['Bob Brown']);
    const persons = await call(
      'GET',
      '/v2/face-recognition/persons?page=1&limit=10&sortBy=name&sortOrder=desc&search=',
    );
    assert.equal(persons.statusCode, 200, persons.body);
    const searched = await call('GET', '/v2/face-recognition/persons?search=biden&sortBy=createdAt&sortOrder=-1');
    assert.deepEqual(
      searched.json().data.map((p: { name: string }) => p.name),
      ['Joe Biden'],
    );
    const bad = await call('GET', '/v2/face-recognition/persons?sortOrder=sideways');
    assert.equal(bad.statusCode, 409);
    assert.match(bad.json().message, /"sortOrder" must be asc or desc/);
  });

  test('6. the hosted page’s location with an in-app browser user agent is accepted', async () => {
    assert.equal(instagramUserAgent.length, 205);
    const flow = (await call('POST', '/v2/project-flows', { project, type: 'login' })).json().data._id;
    const res = await t.request('POST', '/v2/biometric-validations', {
      headers: json,
      body: {
        identifier: 'a1b2c3',
        type: 'login',
        project,
        projectFlow: flow,
        location: { latitude: 4.6, longitude: -74.08, userAgent: instagramUserAgent },
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    const huge = await t.request('POST', '/v2/biometric-validations', {
      headers: json,
      body: { type: 'login', project, projectFlow: flow, location: { userAgent: 'x'.repeat(1025) } },
    });
    assert.equal(huge.statusCode, 409);
    assert.match(huge.json().message, /location\.userAgent/);
  });

  test('7. flow settings are kept and returned, or refused naming the key', async () => {
    const created = await call('POST', '/v2/project-flows', {
      project,
      type: 'login',
      loginSettings: {
        email: true,
        emailGateway: 'mailgun',
        phone: true,
        phoneGateway: 'whatsapp',
        steps: ['email', 'faceLiveness'],
        faceLiveness: true,
      },
    });
    assert.equal(created.statusCode, 200, created.body);
    const id = created.json().data._id;
    const read = (await call('GET', `/v2/project-flows/${id}`)).json().data.loginSettings;
    assert.equal(read.email, true);
    assert.equal(read.emailGateway, 'mailgun');
    assert.equal(read.phone, true);
    assert.equal(read.phoneGateway, 'whatsapp');
    assert.deepEqual(read.steps, ['email', 'faceLiveness']);
    const patched = (await call('PUT', `/v2/project-flows/${id}`, { loginSettings: { phoneGateway: 'sms' } })).json();
    assert.equal(patched.data.loginSettings.phoneGateway, 'sms');
    assert.equal(patched.data.loginSettings.email, true);

    const mode = await call('PUT', `/v2/project-flows/${id}`, {
      onboardingSettings: { liveness: { livenessMode: 'passive' } },
    });
    assert.equal(mode.statusCode, 409);
    assert.equal(mode.json().message, '"onboardingSettings.liveness.livenessMode" is not allowed');
    const fresh = await call('POST', '/v2/project-flows', {
      project,
      type: 'onboarding',
      onboardingSettings: { liveness: { livenessMode: 'passive' } },
    });
    assert.equal(fresh.statusCode, 409);
    assert.equal(fresh.json().message, '"onboardingSettings.liveness.livenessMode" is not allowed');
    const colour = await call('PUT', `/v2/projects/${project}`, { branding: { bgColour: '#fff' } });
    assert.equal(colour.statusCode, 409);
    assert.equal(colour.json().message, '"branding.bgColour" is not allowed');
    const spelt = await call('PUT', `/v2/projects/${project}`, { branding: { bgColor: '#fff' } });
    assert.equal(spelt.json().data.branding.bgColor, '#fff');
  });

  test('authentication comes before the body on every route: no token is a 401 (or 403) naming it', async () => {
    const doc = (await t.request('GET', '/openapi.json')).json();
    const publicRoutes = new Set([
      'GET /health',
      'GET /health/ready',
      'GET /health/live',
      'GET /v2/projects/kyc',
      'POST /v2/biometric-validations',
      // one-time codes (#16): the hosted page sends and checks them without a token
      'POST /v2/email-validations',
      'POST /v2/email-validations/validate',
      'POST /v2/phone-validations',
      'POST /v2/phone-validations/validate',
      // the operator's scrape target (#17): guarded by address and its own token, none by default from loopback
      'GET /metrics',
    ]);
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) {
        const key = `${method.toUpperCase()} ${path}`;
        if (publicRoutes.has(key) || path.startsWith('/sign-in') || path.startsWith('/health')) continue;
        const url = path.replace(/\{[^}]+\}/g, '0123456789abcdef01234567');
        const res = await t.request(method.toUpperCase() as 'GET', url, {
          headers: json,
          ...(method === 'get' || method === 'delete' ? {} : { body: { os: 'WINDOWS', image: '' } }),
        });
        const body = res.json();
        assert.ok([401, 403].includes(res.statusCode), `${key}: ${res.statusCode} ${res.body}`);
        assert.match(body.message, /token/, key);
        checked++;
      }
    }
    assert.ok(checked > 30, `${checked} routes`);
    const selfie = await t.request('POST', '/v2/biometric-validations/validate', {
      headers: json,
      body: { image: faces.obama1(), os: 'WINDOWS' },
    });
    assert.equal(selfie.json().code, 'liveness_session_token_missing');
  });

  test('an enrolment error names the photo that failed', async () => {
    const res = await call('POST', '/v2/face-recognition/persons', {
      name: 'Three Photos',
      images: [faces.obama1(), faces.obama2(), faces.cat()],
      collections: [collection._id],
    });
    assert.equal(res.statusCode, 412);
    assert.equal(res.json().code, 'no_face_detected');
    assert.match(res.json().message, /^images\[2\]: /);
  });

  test('every response carries X-Request-Id, and error bodies quote it; 415 and 413 say what to send', async () => {
    const ok = await call('GET', '/v2/projects');
    assert.match(String(ok.headers['x-request-id']), /^[0-9a-f]{24}$/);
    for (const res of [
      await call('GET', '/v2/projects/0123456789abcdef01234567'),
      await t.request('GET', '/v2/nowhere'),
      await t.request('GET', '/v2/projects'),
    ]) {
      assert.ok(res.headers['x-request-id'], res.body);
      assert.equal(res.json().requestId, res.headers['x-request-id']);
    }
    const multipart = await t.request('POST', '/v2/face-recognition/persons', {
      token: acme.token,
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nA\r\n--x--\r\n',
    });
    assert.equal(multipart.statusCode, 415);
    assert.match(multipart.json().message, /JSON.*base64/);
  });
});

describe('8. a body over the limit: Node’s fetch reads the 413 from a real server (#13)', () => {
  let t: TestApp;
  let base: string;
  let token: string;
  before(async () => {
    t = await startTestApp(sqliteKind, { env: { FACEGATE_ENGINE_WORKERS: '1', FACEGATE_BODY_LIMIT_MB: '1' } });
    token = (await t.newClient()).token;
    await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.http.server.address() as AddressInfo).port}`;
  });
  after(() => t?.close());

  test('a body 1×, 5× and 30× over the limit, whole or streamed slowly, gets the 413 stating the limit', async () => {
    const headers = { ...json, authorization: `Bearer ${token}` };
    for (const size of [2, 5, 30]) {
      const res = await fetch(`${base}/v2/face-recognition/persons`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'x', images: ['a'.repeat(size * 1024 * 1024)], collections: ['c'] }),
      });
      assert.equal(res.status, 413, `${size} MiB`);
      const body = (await res.json()) as { code: string; message: string; requestId: string };
      assert.equal(body.code, 'PayloadTooLarge');
      assert.match(body.message, /1 MiB/);
      assert.equal(body.requestId, res.headers.get('x-request-id'));
    }
    let chunks = 0;
    const slow = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((r) => setTimeout(r, 2));
        if (++chunks > 48) controller.close();
        else controller.enqueue(new Uint8Array(64 * 1024).fill(0x61));
      },
    });
    const streamed = await fetch(`${base}/v2/face-recognition/persons`, {
      method: 'POST',
      headers,
      body: slow,
      duplex: 'half',
    } as RequestInit);
    assert.equal(streamed.status, 413);
    // The server still answers the next request.
    assert.equal((await fetch(`${base}/health`)).status, 200);
  });
});

const noChromium = chromiumUnavailableReason();

describe('1. a real cross-origin preflight from Chromium (#13)', { skip: noChromium ?? false }, () => {
  let t: TestApp;
  let api: string;
  let token: string;
  const pages: Server[] = [];
  const origins: string[] = [];

  before(async () => {
    // Two pages on two localhost ports: the first is allowed, the second is not.
    for (let i = 0; i < 2; i++) {
      const server = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>client</title>');
      });
      pages.push(server);
      origins.push(`http://localhost:${await listen(server)}`);
    }
    t = await startTestApp(sqliteKind, {
      env: { FACEGATE_ENGINE_WORKERS: '1', FACEGATE_CORS_ORIGINS: `${origins[0]},https://app.example.com` },
    });
    token = (await t.newClient()).token;
    await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    api = `http://127.0.0.1:${(t.app.http.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await t?.close();
    for (const s of pages) s.close();
  });

  test('the allowed origin reads the response; another origin is blocked by the browser', async () => {
    const browser = await launchChromium({ camera: 'none' });
    try {
      const callFrom = async (origin: string) => {
        const page = await browser.newPage();
        await page.goto(origin);
        const result = await page.evaluate(
          async ({ api, token }) => {
            try {
              const res = await fetch(`${api}/v2/face-recognition/collections`, {
                method: 'POST',
                headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
                body: JSON.stringify({ name: 'from the browser' }),
              });
              return { status: res.status, requestId: res.headers.get('x-request-id'), body: await res.json() };
            } catch (err) {
              return { error: String(err) };
            }
          },
          { api, token },
        );
        await page.close();
        return result;
      };
      const allowed = await callFrom(origins[0] as string);
      assert.equal(allowed.status, 200, JSON.stringify(allowed));
      assert.equal(allowed.body.data.name, 'from the browser');
      assert.match(String(allowed.requestId), /^[0-9a-f]{24}$/);
      const refused = await callFrom(origins[1] as string);
      assert.match(String(refused.error), /Failed to fetch/, JSON.stringify(refused));
      // The refused preflight never reached the route: nothing was created from the other origin.
      const list = await t.request('GET', '/v2/face-recognition/collections?like_name=browser', { token });
      assert.equal(list.json().total, 1);
    } finally {
      await browser.close();
    }
    const preflight = await t.request('OPTIONS', '/v2/projects', {
      headers: { origin: origins[1] as string, 'access-control-request-method': 'GET' },
    });
    assert.equal(preflight.statusCode, 403);
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
    assert.match(preflight.json().message, /origin_not_allowed/);
  });
});
