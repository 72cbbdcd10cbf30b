import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { faces } from '../helpers/faces.js';
import { storeKinds } from '../helpers/stores.js';

// A bounded fuzz over every route the OpenAPI document declares (#14): requests built from each route's own schema,
// then broken one part at a time (wrong types, NUL characters, lone surrogates, huge strings, odd unicode, missing
// and extra fields, deep nesting, bodies that are not JSON), without a token, with a client token, a forged one and
// a liveness-session token. Every answer must be below 500, and every refusal a `{ code, message }` body that names
// no internals (no stack trace, SQL, file path, driver or framework error). Seeded: a failure names its seed and
// request, and replays the same. Sent through inject only, a fixed count per route.

const SEED = Number(process.env['FACEGATE_FUZZ_SEED'] ?? 14);
const PER_ROUTE = Number(process.env['FACEGATE_FUZZ_PER_ROUTE'] ?? 100);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: Json[];
  const?: Json;
  pattern?: string;
  format?: string;
  minimum?: number;
  minItems?: number;
  minLength?: number;
  default?: Json;
}
interface Operation {
  parameters?: Array<{ in: string; name: string; required?: boolean; schema: Schema }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
}

function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  return { next, int, pick };
}
type Rng = ReturnType<typeof prng>;

const deep = (n: number): Json => {
  let v: Json = 'bottom';
  for (let i = 0; i < n; i++) v = [v];
  return v;
};

/** Strings that each break something somewhere: storage, parsing, normalisation, display. */
const ODD_STRINGS: readonly string[] = [
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy',
  '\udbff\udbff',
  '\u202eevil\u202c',
  'zero\u200bwidth\ufeff',
  'e\u0301\u0301\u0301',
  '\uffff\ufffe',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀👩‍👩‍👧',
  '',
  ' ',
  '\t\r\n',
  "'; DROP TABLE projects; --",
  '" OR 1=1 --',
  '%00%ff',
  '../../../../etc/passwd',
  '$' + '{jndi:ldap://x}',
  '<script>alert(1)</script>',
  '0x41',
  '1e309',
  '-0',
  'NaN',
  'null',
  'data:image/png;base64,',
  'data:image/jpeg;base64,!!!!',
  'https://127.0.0.1/x.jpg',
];
const ODD_VALUES: readonly Json[] = [
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  true,
  false,
  null,
  [],
  {},
  [null],
  { a: 1 },
];

function hugeString(rng: Rng): string {
  return rng.pick([
    () => 'A'.repeat(200_000),
    () => '😀'.repeat(60_000),
    () => '\u0301'.repeat(100_000),
    () => '/9j/'.repeat(50_000),
  ])();
}

function oddValue(rng: Rng): Json {
  const r = rng.next();
  if (r < 0.5) return rng.pick(ODD_STRINGS);
  if (r < 0.8) return rng.pick(ODD_VALUES);
  if (r < 0.9) return hugeString(rng);
  return deep(rng.pick([50, 2000]));
}

/** A plausible value for a schema: the starting point that mutations then break. */
function sample(schema: Schema, ids: Ids, rng: Rng, depth = 0): Json {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return sample(rng.pick(alternatives), ids, rng, depth);
  if (schema.allOf?.length) return sample(schema.allOf[0] as Schema, ids, rng, depth);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return rng.pick(schema.enum);
  const type = Array.isArray(schema.type) ? rng.pick(schema.type) : schema.type;
  switch (type) {
    case 'string':
      if (schema.pattern === '^[0-9a-f]{24}$') return rng.pick(ids.objectIds);
      if (schema.format === 'uri') return 'https://example.com/hook';
      if (schema.format === 'email') return 'someone@example.com';
      if (schema.format === 'date-time') return new Date().toISOString();
      return rng.pick(['x', 'Ana', ids.collectionCode, ids.image, 'login']);
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return depth > 4 ? [] : [sample(schema.items ?? {}, ids, rng, depth + 1)];
    case 'object': {
      const out: Record<string, Json> = {};
      for (const [k, s] of Object.entries(schema.properties ?? {})) {
        if (schema.required?.includes(k) || rng.next() < 0.5) out[k] = sample(s, ids, rng, depth + 1);
      }
      return out;
    }
    default:
      return 'x';
  }
}

/** The paths into a JSON value down to a few levels, the root included. */
function pathsOf(v: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out = [prefix];
  if (prefix.length >= 6) return out;
  if (Array.isArray(v)) for (const [i, x] of v.entries()) out.push(...pathsOf(x, [...prefix, i]));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...pathsOf(x, [...prefix, k]));
  return out;
}

function mutate(value: Json, rng: Rng): Json {
  const paths = pathsOf(value);
  const path = rng.pick(paths);
  if (path.length === 0) return rng.next() < 0.5 ? oddValue(rng) : value;
  const copy = structuredClone(value) as Record<string | number, Json>;
  let parent: Record<string | number, Json> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  const r = rng.next();
  if (r < 0.15 && !Array.isArray(parent)) delete parent[last];
  else if (r < 0.25 && !Array.isArray(parent)) parent[rng.pick(['extra', 'a\u0000', '\ud800', '__proto__', ''])] = 1;
  else parent[last] = oddValue(rng);
  return copy as Json;
}

interface Ids {
  objectIds: string[];
  collectionCode: string;
  image: string;
}

const ODD_PATH_PARAMS = [
  'a'.repeat(101),
  'a'.repeat(5000),
  '%00',
  'ab%00cd',
  '%ED%A0%80',
  '%F0%9F%98%80',
  '..%2F..%2Fetc%2Fpasswd',
  '%zz',
  'ffffffffffffffffffffffff',
  '000000000000000000000000',
  'ZZZZZZZZZZZZZZZZZZZZZZZZ',
  '1',
];
const ODD_QUERY_VALUES = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%ff%fe',
  '%F0%9F%98%80',
  'A'.repeat(10_000),
  '-1',
  '1e309',
  'NaN',
  '0',
  '99999999999999999999',
  "'%3B--",
  '',
];
const ODD_QUERY_KEYS = [
  'where_name',
  'where_%00',
  'where_a%00b',
  'in_status[]',
  'like_name',
  'gt_createdAt',
  'where_doc',
  'where_id',
  'sort',
  'sort=-%00&x',
  'populates[]',
  '%ED%A0%80',
  'where_' + 'x'.repeat(600),
];

/** A refusal must say nothing of how the server is built. */
const INTERNALS =
  /\bat [\w.$<>]+ \(|node_modules|\/work\/|\/tmp\/|\/home\/|\.[cm]?[jt]s:\d+|\bSELECT\b|\bINSERT INTO\b|\bWHERE\b|SQLITE_|SQLSTATE|syntax error at|invalid byte sequence|unsupported Unicode|ZodError|TypeError|ReferenceError|RangeError|FST_ERR|"stack"|\bpg\b|better-sqlite3/i;

for (const kind of storeKinds) {
  describe(`fuzzing every route's schema (${kind.name})`, { skip: kind.skip }, () => {
    let t: TestApp;
    let doc: { paths: Record<string, Record<string, Operation>> };
    let ids: Ids;
    let tokens: { client: string; liveness: string; appLoginLike: string };

    before(async () => {
      t = await startTestApp(kind, {
        env: { FACEGATE_ENGINE_WORKERS: '1', FACEGATE_RATE_LIMIT_PER_MINUTE: '1000000' },
        overrides: { backgroundJobs: false },
      });
      const acme = await t.newClient('acme');
      const project = (await t.request('POST', '/v2/projects', { token: acme.token, body: { name: 'Fuzz' } })).json()
        .data._id;
      const flow = (
        await t.request('POST', '/v2/project-flows', {
          token: acme.token,
          body: { project, type: 'login', loginSettings: { livenessMode: 'passive' } },
        })
      ).json().data._id;
      const collection = (
        await t.request('GET', `/v2/face-recognition/collections?where_project=${project}`, { token: acme.token })
      ).json().data[0];
      const created = (
        await t.request('POST', '/v2/biometric-validations', {
          token: acme.token,
          body: { project, projectFlow: flow, identifier: 'fuzz', type: 'login' },
        })
      ).json().data;
      ids = {
        objectIds: [project, flow, collection._id, created.biometricValidation._id, 'f'.repeat(24)],
        collectionCode: collection.code,
        // A small real photo for the image fields: some requests get as far as the engine.
        image: faces.obama1(),
      };
      tokens = {
        client: acme.token,
        liveness: created.token,
        appLoginLike: `${created.token.slice(0, -4)}AAAA`,
      };
      doc = (await t.request('GET', '/openapi.json')).json();
    });
    after(() => t?.close());

    test(`${PER_ROUTE} broken requests per route: none answers 5xx or names internals`, async () => {
      const rng = prng(SEED);
      const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
      );
      // What ends the client's token or deletes the setup goes last, so that the rest runs with them in place.
      const destructive = (o: { path: string; method: string }) =>
        o.method === 'DELETE' || o.path === '/v2/auth/renew-and-revoke';
      operations.sort((a, b) => Number(destructive(a)) - Number(destructive(b)));
      assert.ok(operations.length >= 50, `the document lists ${operations.length} operations`);

      const failures: string[] = [];
      let sent = 0;
      const statuses = new Map<number, number>();
      for (const { path, method, op } of operations) {
        const bodySchema = op.requestBody?.content['application/json']?.schema;
        const params = op.parameters ?? [];
        for (let i = 0; i < PER_ROUTE; i++) {
          // The request as its schema describes it, then broken in one (sometimes two) places.
          let url = path.replace(/\{(\w+)\}/g, () =>
            rng.next() < 0.6 ? rng.pick(ids.objectIds) : rng.pick(ODD_PATH_PARAMS),
          );
          const query: string[] = [];
          for (const p of params.filter((x) => x.in === 'query')) {
            if (!p.required && rng.next() < 0.5) continue;
            const good = sample(p.schema, ids, rng);
            const value =
              rng.next() < 0.5 ? rng.pick(ODD_QUERY_VALUES) : encodeURIComponent(String(good)).slice(0, 20_000);
            query.push(`${encodeURIComponent(p.name).replace('%5B%5D', '[]')}=${value}`);
          }
          if (method === 'GET' && rng.next() < 0.4)
            query.push(`${rng.pick(ODD_QUERY_KEYS)}=${rng.pick(ODD_QUERY_VALUES)}`);
          if (query.length) url += `?${query.join('&')}`;

          let payload: string | Buffer | undefined;
          if (bodySchema || rng.next() < 0.1) {
            const r = rng.next();
            if (r < 0.05) payload = Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x22]);
            else if (r < 0.1) payload = rng.pick(['{', '{"a":', '[', '{"a":1}}', 'nul', '{"__proto__":{"x":1}}']);
            else {
              let body = sample(bodySchema ?? { type: 'object' }, ids, rng);
              body = mutate(body, rng);
              if (rng.next() < 0.3) body = mutate(body, rng);
              payload = JSON.stringify(body);
            }
          }
          const auth = rng.pick(['none', 'client', 'client', 'client', 'forged', 'liveness'] as const);
          const headers: Record<string, string> = {};
          if (payload !== undefined) headers['content-type'] = 'application/json';
          if (auth === 'client') headers['authorization'] = `Bearer ${tokens.client}`;
          if (auth === 'forged') headers['authorization'] = `Bearer ${tokens.appLoginLike}`;
          if (auth === 'liveness') headers['authorization'] = `Bearer ${tokens.liveness}`;

          const res = await t.app.http.inject({
            method: method as 'GET',
            url,
            headers,
            ...(payload !== undefined ? { payload } : {}),
          });
          sent++;
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          const what = `${method} ${url.slice(0, 160)} (${auth}, request ${i}, seed ${SEED}) -> ${res.statusCode} ${res.body.slice(0, 300)}`;
          // A well-formed email or phone validation without a configured transport is the documented 503 (#16).
          const noTransport = res.statusCode === 503 && res.body.includes('"transport_not_configured: set FACEGATE_');
          if (res.statusCode >= 500 && !noTransport) failures.push(what);
          else if (res.statusCode >= 400 && !url.startsWith('/sign-in')) {
            let body: { code?: unknown; message?: unknown } | undefined;
            try {
              body = JSON.parse(res.body);
            } catch {
              body = undefined;
            }
            if (typeof body?.code !== 'string' || typeof body.message !== 'string')
              failures.push(`not {code, message}: ${what}`);
            else if (INTERNALS.test(res.body)) failures.push(`internals: ${what}`);
          }
          if (failures.length >= 10) break;
        }
      }
      const summary = [...statuses]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}×${n}`)
        .join(' ');
      console.log(`fuzz (${kind.name}): ${sent} requests over ${operations.length} operations: ${summary}`);
      assert.deepEqual(failures, []);
    });
  });
}
