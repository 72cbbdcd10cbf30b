import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { errorOf, startTestApp, type TestApp } from '../helpers/app.js';
import { faces } from '../helpers/faces.js';
import { sqliteKind, storeKinds } from '../helpers/stores.js';

// /metrics (#17): scraped, traffic sent (requests, an enrolment and a search with the real face engine, a
// validation, a webhook delivered to a local receiver), scraped again: each figure moved by what was sent. And the
// guard: an address outside FACEGATE_METRICS_ALLOW, or a missing or wrong token, is refused.

type Samples = Map<string, number>;

/** `name{a="1",b="2"} value` lines into a map keyed by the line's name and labels as written. */
function parse(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}
const value = (s: Samples, key: string) => s.get(key) ?? 0;
/** The sum of every series of `name` whose labels contain all of `labels`. */
const sum = (s: Samples, name: string, ...labels: string[]) =>
  [...s.entries()]
    .filter(([k]) => (k === name || k.startsWith(`${name}{`)) && labels.every((l) => k.includes(l)))
    .reduce((a, [, v]) => a + v, 0);

function startReceiver() {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  return new Promise<{ url: string; close(): Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve({
        url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/hooks`,
        close: () => new Promise((r) => server.close(() => r())),
      });
    }),
  );
}

for (const kind of storeKinds) {
  describe(`GET /metrics moves with the traffic (${kind.name})`, { skip: kind.skip }, () => {
    let t: TestApp;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let acme: { id: string; token: string };

    before(async () => {
      receiver = await startReceiver();
      t = await startTestApp(kind, {
        env: { FACEGATE_ENGINE_WORKERS: '1', FACEGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' },
        overrides: { backgroundJobs: false },
      });
      acme = await t.newClient('acme');
    });
    after(async () => {
      await t?.close();
      await receiver?.close();
    });

    const scrape = async () => {
      const res = await t.request('GET', '/metrics');
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      return parse(res.body);
    };

    test('request latency by route pattern, engine stages, scores, validations, webhooks, index size', async () => {
      const api = (method: 'GET' | 'POST', url: string, body?: unknown) =>
        t.request(method, url, { token: acme.token, ...(body === undefined ? {} : { body }) });
      const project = (await api('POST', '/v2/projects', { name: 'Shop' })).json().data._id;
      const flow = (await api('POST', '/v2/project-flows', { project, type: 'login', webhookUrl: receiver.url })).json()
        .data._id;
      const collection = (await api('POST', '/v2/face-recognition/collections', { name: 'staff' })).json().data._id;

      const before = await scrape();
      for (let i = 0; i < 3; i++) assert.equal((await api('GET', `/v2/projects/${project}`)).statusCode, 200);
      const enrolled = await api('POST', '/v2/face-recognition/persons', {
        name: 'Barack Obama',
        images: [faces.obama1()],
        collections: [collection],
      });
      assert.equal(enrolled.statusCode, 200, enrolled.body.slice(0, 300));
      const found = await api('POST', '/v2/face-recognition/search', {
        images: [faces.obama2()],
        collection_id: collection,
        min_score: 0.5,
      });
      assert.equal(found.json().data.length, 1);
      // A still photo: the check may fail (409), but its score is computed either way.
      const live = await api('POST', '/v2/face-recognition/liveness', { image: faces.biden(), os: 'DESKTOP' });
      assert.ok([200, 409].includes(live.statusCode), live.body);
      await api('POST', '/v2/biometric-validations', { project, projectFlow: flow, identifier: 'ada', type: 'login' });
      const backlog = value(await scrape(), 'facegate_webhook_backlog');
      assert.equal(await t.app.services.webhooks.runOnce(), 1);
      const afterwards = await scrape();

      const moved = (key: string) => value(afterwards, key) - value(before, key);
      assert.equal(
        moved('facegate_http_request_duration_seconds_count{method="GET",route="/v2/projects/:id",status_code="200"}'),
        3,
        'three reads, counted under the route pattern',
      );
      assert.ok(![...afterwards.keys()].some((k) => k.includes(project)), 'no raw URL (no id) in any series');
      for (const stage of ['decode', 'detect', 'landmarks', 'embed', 'liveness']) {
        assert.ok(
          moved(`facegate_engine_stage_duration_seconds_count{stage="${stage}"}`) >= 1,
          `time spent in ${stage} is recorded`,
        );
      }
      assert.ok(moved('facegate_engine_stage_duration_seconds_sum{stage="embed"}') > 0);
      assert.equal(value(afterwards, 'facegate_engine_jobs'), 0, 'nothing left in the engine');
      assert.equal(value(afterwards, 'facegate_engine_queue_depth'), 0);
      assert.equal(moved('facegate_liveness_score_count'), 1, 'one liveness check');
      assert.equal(moved('facegate_match_score_count'), 1, 'one search found someone');
      assert.ok(value(afterwards, 'facegate_match_score_sum') - value(before, 'facegate_match_score_sum') > 0.5);
      assert.equal(moved('facegate_biometric_validations{type="login",status="new"}'), 1);
      assert.equal(backlog, value(before, 'facegate_webhook_backlog') + 1, 'the new validation’s event waits');
      assert.equal(value(afterwards, 'facegate_webhook_backlog'), 0, 'and is gone once delivered');
      assert.equal(moved('facegate_webhook_attempts_total{outcome="delivered"}'), 1);
      assert.equal(moved('facegate_webhook_delivery_duration_seconds_count{outcome="delivered"}'), 1);
      assert.equal(value(afterwards, `facegate_index_templates{collection="${collection}"}`), 1);
      assert.ok(sum(afterwards, 'process_cpu_user_seconds_total') > 0, 'process metrics too');
    });
  });
}

describe('who may scrape /metrics', () => {
  const apps: TestApp[] = [];
  after(async () => {
    for (const a of apps) await a.close();
  });
  const scrapeFrom = (t: TestApp, remoteAddress: string, token?: string) =>
    t.app.http.inject({
      method: 'GET',
      url: '/metrics',
      remoteAddress,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  const start = async (env: Record<string, string>) => {
    const t = await startTestApp(sqliteKind, { env, overrides: { backgroundJobs: false } });
    apps.push(t);
    return t;
  };
  const token = 'scrape-me-0123456789abcdef';

  test('by default, loopback only: another address is refused with 403', async () => {
    const t = await start({});
    assert.equal((await scrapeFrom(t, '127.0.0.1')).statusCode, 200);
    assert.equal((await scrapeFrom(t, '::1')).statusCode, 200);
    const refused = await scrapeFrom(t, '10.1.2.3');
    assert.equal(refused.statusCode, 403);
    assert.equal(errorOf(refused as never).code, 'FORBIDDEN');
    assert.doesNotMatch(refused.body, /facegate_/);
    // Through a reverse proxy on the same machine, a visitor's request arrives from loopback, naming the visitor.
    const proxied = await t.app.http.inject({
      method: 'GET',
      url: '/metrics',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': '198.51.100.7' },
    });
    assert.equal(proxied.statusCode, 403);
  });

  test('with a token: without it or with a wrong one 401, with it 200 from any address', async () => {
    const t = await start({ FACEGATE_METRICS_TOKEN: token });
    const missing = await scrapeFrom(t, '127.0.0.1');
    assert.equal(missing.statusCode, 401);
    assert.match(String(errorOf(missing as never).message), /FACEGATE_METRICS_TOKEN/);
    assert.equal((await scrapeFrom(t, '127.0.0.1', `${token}x`)).statusCode, 401);
    assert.equal((await scrapeFrom(t, '203.0.113.9', token)).statusCode, 200);
  });

  test('with both, both are needed; CIDRs of either family', async () => {
    const t = await start({ FACEGATE_METRICS_TOKEN: token, FACEGATE_METRICS_ALLOW: '10.0.0.0/8, fd00::/8' });
    assert.equal((await scrapeFrom(t, '127.0.0.1', token)).statusCode, 403);
    assert.equal((await scrapeFrom(t, '10.9.8.7')).statusCode, 401);
    assert.equal((await scrapeFrom(t, '10.9.8.7', token)).statusCode, 200);
    assert.equal((await scrapeFrom(t, 'fd12::1', token)).statusCode, 200);
    assert.equal((await scrapeFrom(t, '::ffff:10.0.0.1', token)).statusCode, 200);
  });

  test('a bad setting stops start-up naming the variable', async () => {
    await assert.rejects(start({ FACEGATE_METRICS_ALLOW: '10.0.0.0/33' }), /FACEGATE_METRICS_ALLOW/);
    await assert.rejects(start({ FACEGATE_METRICS_TOKEN: 'short' }), /FACEGATE_METRICS_TOKEN/);
  });
});
