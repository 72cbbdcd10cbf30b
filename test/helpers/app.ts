import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { type App, type AppOverrides, buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/ports/clock.js';
import type { StoreKind } from './stores.js';

export interface TestApp {
  app: App;
  databaseUrl: string;
  dataDir: string;
  /** A new client (tenant) and its API token. */
  newClient(name?: string): Promise<{ id: string; token: string }>;
  request(
    method: NonNullable<InjectOptions['method']>,
    url: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse & { body: string; json: () => any }>;
  close(): Promise<void>;
}

/** The real app (real store of the given kind, real services) driven through Fastify's inject. */
export interface TestAppOptions {
  clock?: Clock;
  env?: Record<string, string>;
  /** Reuse a database (and data dir) to test what survives a restart. */
  databaseUrl?: string;
  dataDir?: string;
  overrides?: AppOverrides;
}

export async function startTestApp(kind: StoreKind, options: TestAppOptions = {}) {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'facegate-app-'));
  const config = loadConfig({
    FACEGATE_DATA_DIR: dataDir,
    FACEGATE_DATABASE_URL: options.databaseUrl ?? (await kind.freshUrl()),
    FACEGATE_LOG_LEVEL: 'silent',
    ...options.env,
  });
  const app = await buildApp(config, { ...options.overrides, ...(options.clock ? { clock: options.clock } : {}) });
  const t: TestApp = {
    app,
    databaseUrl: config.databaseUrl,
    dataDir,
    async newClient(name = 'acme') {
      const { client, token } = await app.services.clients.create({ name });
      return { id: client._id, token: token.token };
    },
    async request(method, url, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      if (o.token) headers['authorization'] = `Bearer ${o.token}`;
      const options: InjectOptions = { method, url, headers };
      if (o.body !== undefined) options.payload = o.body as NonNullable<InjectOptions['payload']>;
      return (await app.http.inject(options)) as unknown as LightMyRequestResponse & { json: () => any };
    },
    async close() {
      await app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

/**
 * An error body without its request id, after checking that the id is the response's X-Request-Id (#13): what
 * tests compare with `{ code, message }`.
 */
export function errorOf(res: { json: () => any; headers: Record<string, unknown> }): Record<string, unknown> {
  const { requestId, ...rest } = res.json();
  if (requestId === undefined || requestId !== res.headers['x-request-id']) {
    throw new Error(`error body's requestId ${requestId} is not the X-Request-Id ${res.headers['x-request-id']}`);
  }
  return rest;
}
