import type { AppLogin } from '../../domain/app-login.js';
import type { BiometricValidation, LivenessSession } from '../../domain/biometric-validation.js';
import type { Client } from '../../domain/client.js';
import type { EmailValidation, PhoneValidation } from '../../domain/code-validation.js';
import type { Collection } from '../../domain/collection.js';
import type { Person } from '../../domain/person.js';
import type { Project } from '../../domain/project.js';
import type { ProjectFlow } from '../../domain/project-flow.js';
import type { Clock } from '../../ports/clock.js';
import type { Repositories, Store } from '../../ports/store.js';
import type { TemplateCipher } from '../crypto/template-cipher.js';
import { createAuditLogTable } from './audit-log-table.js';
import { createAuthenticatorTable } from './authenticator-table.js';
import { createCodeCounterTable } from './code-counter-table.js';
import { createConsoleSessionEndTable } from './console-session-end-table.js';
import { createDocumentTable, type TableDefinition } from './document-table.js';
import { createFaceDataTable } from './face-data-table.js';
import { createIndexChangeTable } from './index-change-table.js';
import { migrate } from './migrations/migration.js';
import { postgresMigrations } from './migrations/postgres.js';
import { sqliteMigrations } from './migrations/sqlite.js';
import { createPostgresDriver } from './postgres-driver.js';
import { createRetentionQuery } from './retention-query.js';
import type { SqlDriver, Statement } from './sql-driver.js';
import { createSqliteDriver } from './sqlite-driver.js';
import { createStatsQueries } from './stats-query.js';
import { createValidationSetupQuery } from './validation-setup-query.js';
import { createWebhookOutboxTable } from './webhook-outbox-table.js';

export const tables = {
  clients: {
    table: 'clients',
    tenantColumn: 'id',
    columns: {
      name: { column: 'name', type: 'text' },
      status: { column: 'status', type: 'text' },
      tokenGeneration: { column: 'token_generation', type: 'int' },
      webhookSecret: { column: 'webhook_secret', type: 'text' },
    },
  },
  projects: {
    table: 'projects',
    tenantColumn: 'client_id',
    columns: {
      name: { column: 'name', type: 'text' },
      status: { column: 'status', type: 'text' },
    },
  },
  projectFlows: {
    table: 'project_flows',
    tenantColumn: 'client_id',
    columns: {
      project: { column: 'project_id', type: 'text' },
      type: { column: 'type', type: 'text' },
      status: { column: 'status', type: 'text' },
      name: { column: 'name', type: 'text' },
    },
  },
  collections: {
    table: 'collections',
    tenantColumn: 'client_id',
    columns: {
      project: { column: 'project_id', type: 'text' },
      code: { column: 'code', type: 'text' },
      name: { column: 'name', type: 'text' },
    },
  },
  persons: {
    table: 'persons',
    tenantColumn: 'client_id',
    columns: {
      name: { column: 'name', type: 'text' },
      gender: { column: 'gender', type: 'text' },
      date_of_birth: { column: 'date_of_birth', type: 'text' },
      nationality: { column: 'nationality', type: 'text' },
      identifier: { column: 'identifier', type: 'text' },
      status: { column: 'status', type: 'text' },
      // What a login code finds its person by (migration 9).
      email: { column: 'email', type: 'text' },
      phone: { column: 'phone', type: 'text' },
    },
  },
  livenessSessions: {
    table: 'liveness_sessions',
    tenantColumn: 'client_id',
    columns: {
      project: { column: 'project_id', type: 'text' },
      projectFlow: { column: 'flow_id', type: 'text' },
      identifier: { column: 'identifier', type: 'text' },
      status: { column: 'status', type: 'text' },
      expiresAt: { column: 'expires_at', type: 'date' },
    },
  },
  biometricValidations: {
    table: 'biometric_validations',
    tenantColumn: 'client_id',
    columns: {
      project: { column: 'project_id', type: 'text' },
      projectFlow: { column: 'flow_id', type: 'text' },
      livenessSession: { column: 'session_id', type: 'text' },
      type: { column: 'type', type: 'text' },
      status: { column: 'status', type: 'text' },
      identifier: { column: 'identifier', type: 'text' },
      expiresAt: { column: 'expires_at', type: 'date' },
    },
  },
  appLogins: {
    table: 'app_logins',
    tenantColumn: 'client_id',
    columns: {
      project: { column: 'project_id', type: 'text' },
      projectFlow: { column: 'flow_id', type: 'text' },
      biometricValidation: { column: 'validation_id', type: 'text' },
      person: { column: 'person_id', type: 'text' },
      type: { column: 'type', type: 'text' },
      status: { column: 'status', type: 'text' },
    },
  },
  emailValidations: {
    table: 'email_validations',
    tenantColumn: 'client_id',
    columns: {
      project: { column: 'project_id', type: 'text' },
      projectFlow: { column: 'flow_id', type: 'text' },
      destination: { column: 'destination', type: 'text' },
      status: { column: 'status', type: 'text' },
      expiresAt: { column: 'expires_at', type: 'date' },
    },
  },
  phoneValidations: {
    table: 'phone_validations',
    tenantColumn: 'client_id',
    columns: {
      project: { column: 'project_id', type: 'text' },
      projectFlow: { column: 'flow_id', type: 'text' },
      destination: { column: 'destination', type: 'text' },
      status: { column: 'status', type: 'text' },
      expiresAt: { column: 'expires_at', type: 'date' },
    },
  },
} satisfies Record<
  Exclude<keyof Repositories, 'faceData' | 'authenticators' | 'webhooks' | 'indexChanges'>,
  TableDefinition
>;

/**
 * The repositories over one driver (the pool, or one transaction's connection). Built on first use: a transaction
 * usually touches two or three of them, and this runs once per transaction.
 */
function repositoriesOn(db: SqlDriver, clock: Clock, cipher: TemplateCipher, databaseUrl: string | null): Repositories {
  const factories: { [K in keyof Repositories]: () => Repositories[K] } = {
    clients: () => createDocumentTable<Client>(db, tables.clients, clock),
    projects: () => createDocumentTable<Project>(db, tables.projects, clock),
    projectFlows: () => createDocumentTable<ProjectFlow>(db, tables.projectFlows, clock),
    collections: () => createDocumentTable<Collection>(db, tables.collections, clock),
    persons: () => createDocumentTable<Person>(db, tables.persons, clock),
    faceData: () => createFaceDataTable(db, cipher, clock),
    authenticators: () => createAuthenticatorTable(db, cipher, clock),
    livenessSessions: () => createDocumentTable<LivenessSession>(db, tables.livenessSessions, clock),
    biometricValidations: () => createDocumentTable<BiometricValidation>(db, tables.biometricValidations, clock),
    appLogins: () => createDocumentTable<AppLogin>(db, tables.appLogins, clock),
    emailValidations: () => createDocumentTable<EmailValidation>(db, tables.emailValidations, clock),
    phoneValidations: () => createDocumentTable<PhoneValidation>(db, tables.phoneValidations, clock),
    webhooks: () => createWebhookOutboxTable(db, clock),
    indexChanges: () => createIndexChangeTable(db, clock, databaseUrl),
  };
  const repos = {} as Repositories;
  for (const name of Object.keys(factories) as (keyof Repositories)[]) {
    Object.defineProperty(repos, name, {
      enumerable: true,
      get() {
        const value = factories[name]();
        Object.defineProperty(repos, name, { value, enumerable: true });
        return value;
      },
      configurable: true,
    });
  }
  return repos;
}

/**
 * A driver that only records writes, for the repositories of a batch: their inserts build the statement and the
 * document without needing an answer, so the statements can be sent together once the batch is complete.
 */
function recordingDriver(dialect: SqlDriver['dialect'], statements: Statement[]): SqlDriver {
  const readsNothing = () => Promise.reject(new Error('a batch only writes'));
  return {
    dialect,
    all: readsNothing,
    get: readsNothing,
    run: async (sql, params = []) => {
      statements.push({ sql, params });
      return 1;
    },
    batch: readsNothing,
    exec: readsNothing,
    transaction: readsNothing,
    close: async () => {},
  };
}

export function createSqlStore(
  db: SqlDriver,
  clock: Clock,
  cipher: TemplateCipher,
  databaseUrl: string | null = null,
): Store {
  return {
    dialect: db.dialect,
    // Spreading reads every getter: the store's own repositories are built once, here.
    ...repositoriesOn(db, clock, cipher, databaseUrl),
    transaction: (fn) => db.transaction((tx) => fn(repositoriesOn(tx, clock, cipher, databaseUrl))),
    batch: async (fn) => {
      const statements: Statement[] = [];
      const out = await fn(repositoriesOn(recordingDriver(db.dialect, statements), clock, cipher, null));
      await db.batch(statements);
      return out;
    },
    findValidationSetup: createValidationSetupQuery(db),
    stats: createStatsQueries(db),
    auditLog: createAuditLogTable(db, clock),
    retention: createRetentionQuery(db),
    codeCounters: createCodeCounterTable(db),
    consoleSessionEnds: createConsoleSessionEndTable(db),
    ping: async () => {
      await db.get('SELECT 1 AS ok');
    },
    close: () => db.close(),
  };
}

/** Applies the PostgreSQL or SQLite migrations to an open database (one the caller owns) and returns the store. */
export async function openStoreOn(
  driver: SqlDriver,
  clock: Clock,
  cipher: TemplateCipher,
): Promise<{ store: Store; driver: SqlDriver }> {
  await migrate(driver, driver.dialect === 'sqlite' ? sqliteMigrations : postgresMigrations);
  return { store: createSqlStore(driver, clock, cipher), driver };
}

/** Opens the database named by the URL, applies its dialect's migrations, and returns the store. */
export async function openStore(
  databaseUrl: string,
  clock: Clock,
  cipher: TemplateCipher,
): Promise<{ store: Store; driver: SqlDriver }> {
  const driver = databaseUrl.startsWith('sqlite:')
    ? createSqliteDriver(databaseUrl.slice('sqlite:'.length))
    : createPostgresDriver(databaseUrl);
  try {
    await migrate(driver, driver.dialect === 'sqlite' ? sqliteMigrations : postgresMigrations);
  } catch (err) {
    await driver.close().catch(() => undefined);
    throw err;
  }
  return { store: createSqlStore(driver, clock, cipher, databaseUrl), driver };
}
