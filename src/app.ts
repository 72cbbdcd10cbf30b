import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { type Logger, pino } from 'pino';
import { createTemplateCipher } from './adapters/crypto/template-cipher.js';
import { calibratedScore } from './adapters/face-engine/calibration.js';
import { lazyFaceEngine } from './adapters/face-engine/lazy-face-engine.js';
import { recogniserModelId } from './adapters/face-engine/model-files.js';
import { createOnnxFaceEngine } from './adapters/face-engine/onnx-face-engine.js';
import { cosine, DIMENSION } from './adapters/face-engine/recogniser.js';
import { createFetchWebhookSender } from './adapters/http-client/fetch-webhook-sender.js';
import { createHttpsImageFetcher } from './adapters/http-client/https-image-fetcher.js';
import { createHttpsPhoneGateway } from './adapters/http-client/https-phone-gateway.js';
import { createSmtpMailer } from './adapters/mail/smtp-mailer.js';
import { meteredFaceEngine } from './adapters/metrics/metered-face-engine.js';
import { createPromMetrics } from './adapters/metrics/prom-metrics.js';
import { loadOrCreateSecret } from './adapters/secrets/file-secret.js';
import type { SqlDriver } from './adapters/storage/sql-driver.js';
import { openStore, openStoreOn } from './adapters/storage/sql-store.js';
import { createVectorIndex } from './adapters/vector-index/create-vector-index.js';
import { detectPgvector } from './adapters/vector-index/pgvector-vector-index.js';
import { type Config, ConfigError } from './config.js';
import { createEnvelope } from './http/envelope.js';
import { loggerOptions } from './http/logging.js';
import { buildHttpServer } from './http/server.js';
import { packageRoot } from './package-root.js';
import { type Clock, systemClock } from './ports/clock.js';
import type { FaceEngine } from './ports/face-engine.js';
import type { Mailer } from './ports/mailer.js';
import { type Metrics, noMetrics } from './ports/metrics.js';
import type { PhoneGateway } from './ports/phone-gateway.js';
import type { Store } from './ports/store.js';
import type { VectorIndex } from './ports/vector-index.js';
import type { WebhookSender } from './ports/webhook-sender.js';
import { createAuditLogService } from './services/audit-log.service.js';
import { auditedSearch } from './services/audit-search.js';
import { createAuditTrail } from './services/audit-trail.js';
import { createAuthenticatorService } from './services/authenticator.service.js';
import { startJobs } from './services/background-jobs.js';
import { createClientService } from './services/client.service.js';
import { createCodeValidationService } from './services/code-validation.service.js';
import { createCollectionService } from './services/collection.service.js';
import { createConsoleSessionService } from './services/console-session.service.js';
import { scopedFaceEngine } from './services/engine-scope.js';
import { createFaceRecognitionService } from './services/face-recognition.service.js';
import { createImageReader } from './services/image-input.js';
import { meteredSearch } from './services/metrics-search.js';
import { createPersonService } from './services/person.service.js';
import { createPersonExportService } from './services/person-export.service.js';
import { createProjectService } from './services/project.service.js';
import { createProjectFlowService } from './services/project-flow.service.js';
import { createProjectLoginService } from './services/project-login.service.js';
import { createReadinessService } from './services/readiness.service.js';
import { createRetentionService } from './services/retention.service.js';
import { createSearchService } from './services/search.service.js';
import { createStatsService } from './services/stats.service.js';
import { createTokenService } from './services/token.service.js';
import { createValidationCreateService } from './services/validation-create.service.js';
import { createValidationExpiryService } from './services/validation-expiry.service.js';
import { createLiveSampler } from './services/validation-liveness.js';
import { createValidationOutcomes } from './services/validation-outcome.js';
import { createValidationRecordsService } from './services/validation-records.service.js';
import { createValidationSessionService } from './services/validation-session.service.js';
import { createValidateService } from './services/validation-validate.service.js';
import { createWebhookDeliveriesService } from './services/webhook-deliveries.service.js';
import { createWebhookDispatcher } from './services/webhook-dispatcher.js';

// The composition root: the only module that knows both the services and the adapters behind their ports.

export interface AppOverrides {
  store?: Store;
  /**
   * An open database to use instead of opening FACEGATE_DATABASE_URL: migrated and wrapped in the store here, and
   * where a pgvector index lives (tests pass PGlite, which has pgvector). The caller closes it.
   */
  database?: SqlDriver;
  /** A face engine to use instead of the ONNX one (tests of other parts may pass a fake). */
  faceEngine?: FaceEngine;
  vectorIndex?: VectorIndex;
  webhookSender?: WebhookSender;
  /** Instead of the SMTP mailer of FACEGATE_SMTP_URL (null: none). */
  mailer?: Mailer | null;
  /** Instead of the HTTPS gateway of FACEGATE_SMS_WEBHOOK_URL (null: none). */
  phoneGateway?: PhoneGateway | null;
  /** Webhook delivery and expiry sweeps; on by default. */
  backgroundJobs?: boolean;
  clock?: Clock;
  /** Logger options (pino's, as Fastify takes them) or false for none; default from FACEGATE_LOG_LEVEL. */
  logger?: FastifyServerOptions['logger'];
}

export interface App {
  http: FastifyInstance;
  store: Store;
  services: ReturnType<typeof buildServices>;
  /** Loads what the first request would otherwise wait for (the face models), failing early if they are missing. */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

const version = (): string =>
  (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;

function createFaceEngine(config: Config, metrics: Metrics, started: (workers: number) => void) {
  return lazyFaceEngine(
    { modelId: recogniserModelId, dimension: DIMENSION, similarity: cosine, score: calibratedScore },
    async () => {
      const engine = await createOnnxFaceEngine({
        modelsDir: config.modelsDir,
        workers: config.engineWorkers,
        queue: config.engineQueue,
      });
      started(engine.workers);
      return meteredFaceEngine(engine, metrics);
    },
  );
}

function buildServices(
  config: Config,
  store: Store,
  clock: Clock,
  engine: FaceEngine,
  index: VectorIndex,
  webhookSender: WebhookSender,
  transports: { mailer: Mailer | null; phoneGateway: PhoneGateway | null },
  metrics: Metrics,
) {
  const tokens = createTokenService(loadOrCreateSecret(config.dataDir, 'jwt-secret', config.jwtSecret), clock);
  const readImage = createImageReader({
    fetcher: config.allowImageUrls ? createHttpsImageFetcher({ maxBytes: config.bodyLimitBytes }) : null,
  });
  const audit = createAuditTrail({ log: store.auditLog });
  const collections = createCollectionService({ store, index, audit });
  const persons = createPersonService({ store, engine, index, collections, readImage, audit });
  const search = auditedSearch(
    meteredSearch(createSearchService({ store, engine, index, persons, readImage }), metrics),
    audit,
  );
  const validationSessions = createValidationSessionService({ store, tokens, engine, readImage, clock });
  const validationExpiry = createValidationExpiryService({ store, clock });
  const authenticators = createAuthenticatorService({ store, clock });
  return {
    tokens,
    engine,
    index,
    persons,
    personExport: createPersonExportService({ store, audit, clock }),
    search,
    validationCreate: createValidationCreateService({
      store,
      tokens,
      clock,
      publicUrl: config.publicUrl,
      allowPrivateWebhookTargets: config.webhookAllowPrivateTargets,
      mailer: transports.mailer,
    }),
    validationSessions,
    validate: createValidateService({
      store,
      clock,
      sessions: validationSessions,
      expiry: validationExpiry,
      liveSample: createLiveSampler({ engine, readImage, clock }),
      outcomes: createValidationOutcomes({ store, tokens, clock, search, persons }),
      authenticators,
    }),
    authenticators,
    codeValidations: createCodeValidationService({
      store,
      tokens,
      clock,
      codeKey: loadOrCreateSecret(config.dataDir, 'code-key', config.codeKey),
      publicUrl: config.publicUrl,
      ...transports,
      authenticators,
    }),
    validationExpiry,
    projectLogin: createProjectLoginService({ store, tokens, clock, persons }),
    consoleSessions: createConsoleSessionService({ store, tokens, clock, audit }),
    validationRecords: createValidationRecordsService({ store }),
    webhooks: createWebhookDispatcher({
      store,
      sender: webhookSender,
      clock,
      onAttempt: (seconds, outcome) => metrics.webhookAttempt(seconds, outcome),
    }),
    faces: createFaceRecognitionService({ engine, readImage }),
    clients: createClientService({ store, tokens, clock, tokenTtlDays: config.tokenTtlDays, audit }),
    projects: createProjectService({ store, audit }),
    projectFlows: createProjectFlowService({
      store,
      audit,
      allowPrivateWebhookTargets: config.webhookAllowPrivateTargets,
    }),
    collections,
    readiness: createReadinessService({ store, index, engine }),
    webhookDeliveries: createWebhookDeliveriesService({ store, clock, audit }),
    stats: createStatsService({ store, clock }),
    audit,
    auditLogs: createAuditLogService({ store }),
    retention: createRetentionService({ store, clock, defaultDays: config.retentionDays, audit }),
  };
}

/**
 * The process's one logger (the HTTP server's too), redacting as http/logging.ts says; by default to `fd`
 * (the server logs to stdout, a CLI command to stderr, keeping its stdout for its output).
 */
function createLogger(config: Config, option: FastifyServerOptions['logger'], fd: 1 | 2): Logger {
  if (option === false) return pino({ enabled: false });
  if (typeof option !== 'object')
    return pino(loggerOptions(config.logLevel) as pino.LoggerOptions, pino.destination(fd));
  const options = option as pino.LoggerOptions & {
    stream?: pino.DestinationStream;
  };
  const { stream, ...rest } = options;
  return stream ? pino(rest, stream) : pino(rest);
}

type IndexKind = 'exact' | 'hnsw' | 'pgvector';

/**
 * Which index FACEGATE_VECTOR_INDEX selects on this database, and why. `pgvector` where it cannot be had stops
 * start-up naming the variable; `auto` takes pgvector on PostgreSQL with the `vector` extension, else HNSW.
 */
export async function chooseVectorIndex(
  setting: Config['vectorIndex'],
  db: SqlDriver | undefined,
): Promise<{ kind: IndexKind; reason: string }> {
  if (setting === 'exact' || setting === 'hnsw') return { kind: setting, reason: `FACEGATE_VECTOR_INDEX=${setting}` };
  const database = db === undefined ? 'a store given without its database' : db.dialect;
  const hasVector = db !== undefined && (await detectPgvector(db));
  if (setting === 'pgvector') {
    if (db?.dialect !== 'postgres') {
      throw new ConfigError(
        `FACEGATE_VECTOR_INDEX=pgvector needs PostgreSQL with the vector extension, but the database is ${database}: ` +
          'set FACEGATE_DATABASE_URL=postgres://… or FACEGATE_VECTOR_INDEX=hnsw',
      );
    }
    if (!hasVector) {
      throw new ConfigError(
        'FACEGATE_VECTOR_INDEX=pgvector needs the PostgreSQL extension "vector" (pgvector), which this database ' +
          'server does not have: install pgvector on it, or set FACEGATE_VECTOR_INDEX=hnsw (or auto)',
      );
    }
    return { kind: 'pgvector', reason: 'FACEGATE_VECTOR_INDEX=pgvector' };
  }
  if (hasVector) return { kind: 'pgvector', reason: 'auto: PostgreSQL has the vector extension' };
  return {
    kind: 'hnsw',
    reason: db?.dialect === 'postgres' ? 'auto: PostgreSQL without the vector extension' : `auto: ${database}`,
  };
}

/** Opens the store and builds the services; used by the CLI commands that need no HTTP server (logging to stderr). */
export async function openServices(
  config: Config,
  overrides: AppOverrides = {},
  logFd: 1 | 2 = 2,
  metrics: Metrics = noMetrics,
) {
  const clock = overrides.clock ?? systemClock;
  const log = createLogger(config, overrides.logger, logFd);
  const keys = loadOrCreateSecret(config.dataDir, 'template-key', config.templateKey).split(',');
  const cipher = createTemplateCipher(keys);
  const opened = overrides.store
    ? { store: overrides.store, driver: overrides.database }
    : overrides.database
      ? await openStoreOn(overrides.database, clock, cipher)
      : await openStore(config.databaseUrl, clock, cipher);
  const { store } = opened;
  let engineWorkers = 0;
  const lazy = overrides.faceEngine
    ? undefined
    : createFaceEngine(config, metrics, (workers) => {
        engineWorkers = workers;
      });
  // Each job carries its request's caller and end (services/engine-scope.ts).
  const engine = scopedFaceEngine(overrides.faceEngine ?? (lazy as FaceEngine));
  const warmUp = async () => {
    await lazy?.ready();
  };
  const index = overrides.vectorIndex ?? (await openVectorIndex());
  async function openVectorIndex(): Promise<VectorIndex> {
    const { kind, reason } = await chooseVectorIndex(config.vectorIndex, opened.driver).catch(async (err) => {
      if (!overrides.store && !overrides.database) await store.close();
      throw err;
    });
    log.info({ index: kind, reason }, `vector index: ${kind}`);
    const source = { ...store.faceData, collections: () => store.faceData.collectionsWithMembers() };
    const common = { dimension: engine.dimension, source, log };
    try {
      return kind === 'pgvector'
        ? await createVectorIndex({ kind, db: opened.driver as SqlDriver, ...common })
        : await createVectorIndex({
            kind,
            ...common,
            dataDir: config.dataDir,
            quantization: config.hnswQuantization,
            cipher,
            changes: store.indexChanges,
            load: (keys) => store.faceData.entriesByIds(keys),
          });
    } catch (err) {
      if (!overrides.store && !overrides.database) await store.close();
      throw err;
    }
  }
  const sender =
    overrides.webhookSender ?? createFetchWebhookSender({ allowPrivateTargets: config.webhookAllowPrivateTargets });
  const mailer = overrides.mailer !== undefined ? overrides.mailer : config.smtp ? createSmtpMailer(config.smtp) : null;
  const phoneGateway =
    overrides.phoneGateway !== undefined
      ? overrides.phoneGateway
      : config.smsWebhook
        ? createHttpsPhoneGateway({
            ...config.smsWebhook,
            // The operator's own gateway: it may well be on this machine or network.
            sender: createFetchWebhookSender({ allowPrivateTargets: true }),
            now: () => clock.now(),
          })
        : null;
  let closed = false;
  /** Closes what was opened here (not what the caller passed in), the index before the database it reads. */
  const close = async () => {
    if (closed) return;
    closed = true;
    // Every step runs even when one fails (a database already gone makes the index's flush throw), or what is left
    // open (the index's LISTEN connection, worker threads) keeps the process alive.
    await closeAll([
      () => (overrides.faceEngine ? undefined : engine.close()),
      async () => {
        if (overrides.vectorIndex) return;
        try {
          await index.flush();
        } finally {
          await index.close();
        }
      },
      () => (overrides.store || overrides.database ? undefined : store.close()),
      () => mailer?.close?.(),
    ]);
  };
  return {
    store,
    clock,
    log,
    warmUp,
    close,
    services: buildServices(config, store, clock, engine, index, sender, { mailer, phoneGateway }, metrics),
    /** Engine worker threads once the engine has started (0 before, and with an engine passed in). */
    engineWorkers: () => engineWorkers,
  };
}

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  // The scrape reads the store and the index, which exist once openServices has returned.
  let scraped: Awaited<ReturnType<typeof openServices>> | undefined;
  const metrics = createPromMetrics({
    validations: async () => (scraped ? scraped.store.stats.validationCounts() : []),
    webhookBacklog: async () => (scraped ? scraped.store.webhooks.backlog(null) : 0),
    indexSizes: async () => {
      if (!scraped) return [];
      const { store, services } = scraped;
      const collections = (await store.faceData.collectionsWithMembers()).slice(0, MAX_INDEX_SERIES);
      return Promise.all(collections.map(async (c) => ({ collection: c, size: await services.index.size(c) })));
    },
    engineWorkers: () => scraped?.engineWorkers() ?? 0,
  });
  const opened = await openServices(config, overrides, 1, metrics);
  scraped = opened;
  const { store, services, clock, warmUp, log } = opened;
  const http = await buildHttpServer(
    {
      ...services,
      envelope: createEnvelope(new URL(config.publicUrl).host, () => clock.now()),
      onWebhookSecretRotated: (clientId) => services.webhooks.forgetSecret(clientId),
    },
    {
      bodyLimitBytes: config.bodyLimitBytes,
      corsOrigins: config.corsOrigins,
      rateLimitPerMinute: config.rateLimitPerMinute,
      logLevel: config.logLevel,
      version: version(),
      loggerInstance: log,
      metrics: { endpoint: metrics, token: config.metricsToken, allow: config.metricsAllow },
    },
  );
  const jobs =
    overrides.backgroundJobs === false
      ? undefined
      : startJobs(
          [
            { name: 'webhooks', everyMs: 250, run: () => services.webhooks.runOnce() },
            { name: 'expiry', everyMs: 5000, run: () => services.validationExpiry.expireOverdue() },
            { name: 'retention', everyMs: RETENTION_EVERY_MS, run: () => services.retention.purgeOnce() },
          ],
          (job, err) => http.log.error({ err, job }, 'background job failed'),
        );
  const close = () => closeAll([() => http.close(), () => jobs?.stop(), () => opened.close()]);
  return { http, store, services, warmUp, close };
}

/** How often the retention purge runs (and a first time this long after start). */
const RETENTION_EVERY_MS = 15 * 60_000;

/** Collections past this many are left out of /metrics' index sizes (a series each). */
const MAX_INDEX_SERIES = 1000;

/** Runs every step in order, whatever fails, then throws the first failure. */
async function closeAll(steps: ReadonlyArray<() => unknown>): Promise<void> {
  let failure: { error: unknown } | undefined;
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
}
