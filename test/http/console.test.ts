import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createFacegateClient, isFacegateError } from '../../packages/client/src/index.js';
import { packageRoot } from '../../src/package-root.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { sqliteKind } from '../helpers/stores.js';

// Issue #17: the console's shell and assets as a browser fetches them, and the typed client package as an
// integrator uses it from Node. The browser side of both is tested in test/e2e/console-data.test.ts.

test('the typed client is generated from the committed openapi.json (regenerate with `npm run client`)', async () => {
  const { generateSchema } = (await import(
    pathToFileURL(join(packageRoot, 'packages', 'client', 'generate.mjs')).href
  )) as {
    generateSchema(openapi: unknown): Promise<string>;
  };
  const openapi = JSON.parse(readFileSync(join(packageRoot, 'openapi.json'), 'utf8'));
  const committed = readFileSync(join(packageRoot, 'packages', 'client', 'src', 'schema.ts'), 'utf8');
  const generated = await generateSchema(openapi);
  assert.ok(
    committed === generated,
    'packages/client/src/schema.ts is out of date: run `npm run client` and commit it',
  );
  // Every documented path is in the client's types.
  for (const path of Object.keys(openapi.paths)) assert.ok(committed.includes(`"${path}": {`), path);
});

describe('console shell and typed client over HTTP', () => {
  let t: TestApp;
  let acme: { id: string; token: string };
  let base: string;
  before(async () => {
    t = await startTestApp(sqliteKind);
    acme = await t.newClient('acme');
    await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.http.server.address() as AddressInfo).port}`;
  });
  after(() => t?.close());

  test('/console is a shell with a strict CSP: only the import map is inline, allowed by its hash', async () => {
    const res = await t.request('GET', '/console');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.equal(res.headers['cache-control'], 'no-store');
    const csp = String(res.headers['content-security-policy']);
    const html = res.body;
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)];
    assert.equal(inline.length, 1, 'one inline script: the import map');
    assert.match(inline[0]?.[0] ?? '', /^<script type="importmap">/);
    const hash = createHash('sha256')
      .update(inline[0]?.[1] ?? '', 'utf8')
      .digest('base64');
    assert.ok(csp.includes(`script-src 'self' 'sha256-${hash}'`), csp);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(html, /\sstyle=|<style/, 'no inline style');

    // Every module the shell names (preloads, the import map's targets, the entry) answers as JavaScript.
    const urls = new Set([
      ...[...html.matchAll(/(?:href|src)="(\/console\/assets\/[^"]+)"/g)].map((m) => m[1] as string),
      ...Object.values(JSON.parse(inline[0]?.[1] ?? '{}').imports as Record<string, string>),
    ]);
    assert.ok(urls.size > 10, `${urls.size} assets`);
    for (const url of urls) {
      const asset = await t.request('GET', url);
      assert.equal(asset.statusCode, 200, url);
      assert.match(String(asset.headers['content-type']), url.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      assert.match(String(asset.headers['cache-control']), /immutable/);
    }
    const stale = [...urls][0]?.replace(/\/console\/assets\/[0-9a-f]+\//, '/console/assets/0000000000000000/');
    assert.equal((await t.request('GET', stale ?? '')).statusCode, 404);
    assert.equal((await t.request('GET', '/console/assets/x/../../../package.json')).statusCode, 404);
  });

  test('the root sends a new user to the console', async () => {
    const res = await t.request('GET', '/');
    assert.equal(res.statusCode, 302);
    assert.equal(res.headers['location'], '/console');
  });

  test('the QR code of a sign-in link is an SVG; anything but an http(s) URL is refused', async () => {
    const ok = await t.request('GET', `/console/qr.svg?text=${encodeURIComponent(`${base}/sign-in/abc?type=login`)}`);
    assert.equal(ok.statusCode, 200);
    assert.match(String(ok.headers['content-type']), /^image\/svg\+xml/);
    assert.match(ok.body, /^<svg /);
    for (const text of ['javascript:alert(1)', '', 'x'.repeat(2000)]) {
      const bad = await t.request('GET', `/console/qr.svg?text=${encodeURIComponent(text)}`);
      assert.equal(bad.statusCode, 409, text.slice(0, 20));
      assert.equal(bad.json().code, 'MissingParameter');
    }
  });

  test('from Node, the typed client creates and reads a project, and a refusal is a Facegate error', async () => {
    const client = createFacegateClient({ baseUrl: base, token: acme.token });
    const created = await client.POST('/v2/projects', { body: { name: 'Typed shop' } });
    assert.equal(created.response.status, 200);
    const id = created.data?.data._id ?? '';
    const read = await client.GET('/v2/projects/{id}', { params: { path: { id } } });
    assert.equal(read.data?.data.name, 'Typed shop');
    assert.equal(read.data?.data.status, 'active');

    const anonymous = createFacegateClient({ baseUrl: base });
    const refused = await anonymous.GET('/v2/projects/{id}', { params: { path: { id } } });
    assert.equal(refused.response.status, 401);
    assert.ok(isFacegateError(refused.error), JSON.stringify(refused.error));
    // A token read on each request: once it is gone, nothing is sent.
    let current: string | null = acme.token;
    const session = createFacegateClient({ baseUrl: base, token: () => current });
    assert.equal((await session.GET('/v2/projects/{id}', { params: { path: { id } } })).response.status, 200);
    current = null;
    assert.equal((await session.GET('/v2/projects/{id}', { params: { path: { id } } })).response.status, 401);
  });
});
