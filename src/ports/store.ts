import type { AppLogin } from '../domain/app-login.js';
import type { BiometricValidation, LivenessSession } from '../domain/biometric-validation.js';
import type { Client } from '../domain/client.js';
import type { EmailValidation, PhoneValidation } from '../domain/code-validation.js';
import type { Collection } from '../domain/collection.js';
import type { Person } from '../domain/person.js';
import type { Project } from '../domain/project.js';
import type { ProjectFlow } from '../domain/project-flow.js';
import type { AuditLog } from './audit-log.js';
import type { AuthenticatorRepository } from './authenticator.js';
import type { CodeCounters } from './code-counters.js';
import type { ConsoleSessionEnds } from './console-session-ends.js';
import type { DocumentRepository } from './document-repository.js';
import type { FaceDataRepository } from './face-data.js';
import type { IndexChangeLog } from './index-change-log.js';
import type { RetentionStore } from './retention.js';
import type { StatsQueries } from './stats.js';
import type { WebhookOutbox } from './webhook-outbox.js';

export interface Repositories {
  clients: DocumentRepository<Client>;
  projects: DocumentRepository<Project>;
  projectFlows: DocumentRepository<ProjectFlow>;
  collections: DocumentRepository<Collection>;
  persons: DocumentRepository<Person>;
  faceData: FaceDataRepository;
  authenticators: AuthenticatorRepository;
  livenessSessions: DocumentRepository<LivenessSession>;
  biometricValidations: DocumentRepository<BiometricValidation>;
  appLogins: DocumentRepository<AppLogin>;
  emailValidations: DocumentRepository<EmailValidation>;
  phoneValidations: DocumentRepository<PhoneValidation>;
  webhooks: WebhookOutbox;
  indexChanges: IndexChangeLog;
}

/** What a batch may do: insert documents and enqueue webhook events, nothing that reads. */
export type BatchRepositories = {
  [K in Exclude<keyof Repositories, 'faceData' | 'authenticators' | 'webhooks' | 'indexChanges'>]: Pick<
    Repositories[K],
    'insert'
  >;
} & { webhooks: Pick<WebhookOutbox, 'enqueue'> };

/** What creating a validation reads; each part is missing when it does not exist (or is another client's). */
export interface ValidationSetup {
  /** The project's client (for its token generation). */
  client?: Client;
  project?: Project;
  projectFlow?: ProjectFlow;
  /** The project's first collection, the one its validations search and enrol into. */
  collection?: Collection;
}

export interface Store extends Repositories {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs `fn` atomically: every repository it is given writes in one database transaction. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  /**
   * Runs `fn`, which only inserts, and writes all it inserted atomically once it returns: on PostgreSQL in one
   * round trip, where a transaction costs one per statement plus BEGIN and COMMIT. The inserts resolve at once
   * with the documents they will write; if the write fails, the batch rejects and nothing is written.
   */
  batch<T>(fn: (tx: BatchRepositories) => Promise<T>): Promise<T>;
  /**
   * The project (within the client, or any client's when null), the flow of that id within the project's client,
   * and the project's first collection, in one round trip.
   */
  findValidationSetup(clientId: string | null, projectId: string, flowId: string): Promise<ValidationSetup>;
  /** Read-only aggregates for the dashboard (GET /v2/stats/…). */
  stats: StatsQueries;
  /** Append-only. */
  auditLog: AuditLog;
  /** Deletes what projects keep only for a while (the retention job's). */
  retention: RetentionStore;
  /** The one-time-code limits' atomic counters. */
  codeCounters: CodeCounters;
  /** The console sessions their operators signed out of. */
  consoleSessionEnds: ConsoleSessionEnds;
  /** Checks the database answers (used by /health). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
