import type { AppLogin } from '../domain/app-login.js';
import type { BiometricValidation, LivenessSession } from '../domain/biometric-validation.js';
import type { Client } from '../domain/client.js';
import type { Collection } from '../domain/collection.js';
import type { Person } from '../domain/person.js';
import type { Project } from '../domain/project.js';
import type { ProjectFlow } from '../domain/project-flow.js';
import type { DocumentRepository } from './document-repository.js';
import type { FaceDataRepository } from './face-data.js';
import type { IndexChangeLog } from './index-change-log.js';
import type { WebhookOutbox } from './webhook-outbox.js';

export interface Repositories {
  clients: DocumentRepository<Client>;
  projects: DocumentRepository<Project>;
  projectFlows: DocumentRepository<ProjectFlow>;
  collections: DocumentRepository<Collection>;
  persons: DocumentRepository<Person>;
  faceData: FaceDataRepository;
  livenessSessions: DocumentRepository<LivenessSession>;
  biometricValidations: DocumentRepository<BiometricValidation>;
  appLogins: DocumentRepository<AppLogin>;
  webhooks: WebhookOutbox;
  indexChanges: IndexChangeLog;
}

export interface Store extends Repositories {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs `fn` atomically: every repository it is given writes in one database transaction. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  /** Checks the database answers (used by /health). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
