import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { type App, buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/ports/clock.js';
import type { StoreKind } from './stores.js';

export interface TestApp {
  app: App;
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
export async function startTestApp(kind: StoreKind, options: { clock?: Clock; env?: Record<string, string> } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'facegate-app-'));
  const config = loadConfig({
    FACEGATE_DATA_DIR: dataDir,
    FACEGATE_DATABASE_URL: await kind.freshUrl(),
    FACEGATE_LOG_LEVEL: 'silent',
    ...options.env,
  });
  const app = await buildApp(config, options.clock ? { clock: options.clock } : {});
  const t: TestApp = {
    app,
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
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}
