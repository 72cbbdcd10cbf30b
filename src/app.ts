import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { loadOrCreateSecret } from './adapters/secrets/file-secret.js';
import { openStore } from './adapters/storage/sql-store.js';
import type { Config } from './config.js';
import { buildHttpServer } from './http/server.js';
import { packageRoot } from './package-root.js';
import { type Clock, systemClock } from './ports/clock.js';
import type { Store } from './ports/store.js';
import { createClientService } from './services/client.service.js';
import { createCollectionService } from './services/collection.service.js';
import { createProjectService } from './services/project.service.js';
import { createProjectFlowService } from './services/project-flow.service.js';
import { createTokenService } from './services/token.service.js';

// The composition root: the only module that knows both the services and the adapters behind their ports.

export interface AppOverrides {
  store?: Store;
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
}

export interface App {
  http: FastifyInstance;
  store: Store;
  services: ReturnType<typeof buildServices>;
  close(): Promise<void>;
}

const version = (): string =>
  (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;

function buildServices(config: Config, store: Store, clock: Clock) {
  const tokens = createTokenService(loadOrCreateSecret(config.dataDir, 'jwt-secret', config.jwtSecret), clock);
  return {
    tokens,
    clients: createClientService({ store, tokens, clock, tokenTtlDays: config.tokenTtlDays }),
    projects: createProjectService({ store }),
    projectFlows: createProjectFlowService({ store }),
    collections: createCollectionService({ store }),
  };
}

/** Opens the store and builds the services; used by the CLI commands that need no HTTP server. */
export async function openServices(config: Config, overrides: AppOverrides = {}) {
  const clock = overrides.clock ?? systemClock;
  const store = overrides.store ?? (await openStore(config.databaseUrl, clock)).store;
  return { store, clock, services: buildServices(config, store, clock) };
}

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const { store, services } = await openServices(config, overrides);
  const http = await buildHttpServer(
    { store, ...services },
    {
      bodyLimitBytes: config.bodyLimitBytes,
      logLevel: config.logLevel,
      version: version(),
      ...(overrides.logger !== undefined ? { logger: overrides.logger } : {}),
    },
  );
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await http.close();
    if (!overrides.store) await store.close();
  };
  return { http, store, services, close };
}
