import { randomBytes, randomUUID } from 'node:crypto';
import type { Client } from '../../src/domain/client.js';
import type { Collection } from '../../src/domain/collection.js';
import type { NewDocument } from '../../src/domain/document.js';
import type { Person } from '../../src/domain/person.js';
import type { Project } from '../../src/domain/project.js';
import type { ProjectFlow } from '../../src/domain/project-flow.js';

// Fixture factories with overrides; tests insert what they build through the real store.

export const aClient = (o: Partial<NewDocument<Client>> = {}): NewDocument<Client> => ({
  name: 'acme',
  email: null,
  status: 'active',
  tokenGeneration: 1,
  webhookSecret: randomBytes(16).toString('hex'),
  ...o,
});

export const aProject = (client: string, o: Partial<NewDocument<Project>> = {}): NewDocument<Project> => ({
  client,
  name: 'Acme login',
  status: 'active',
  identifier: null,
  allowedCountries: ['Colombia'],
  contactEmail: null,
  privacyUrl: null,
  termsAndConditionsUrl: null,
  branding: {},
  dataProtection: {},
  ...o,
});

export const aFlow = (client: string, project: string, o: Partial<NewDocument<ProjectFlow>> = {}) =>
  ({
    client,
    project,
    type: 'login',
    status: 'active',
    name: 'login',
    version: 1,
    redirectUrl: null,
    webhookUrl: null,
    sessionMinutes: 4,
    maxAttempts: 3,
    loginSettings: {
      faceLiveness: true,
      livenessMinScore: 0.6,
      searchMinScore: 0.85,
      searchMode: 'ACCURATE',
      livenessMode: 'passive',
      showFaceLivenessRecommendation: false,
    },
    onboardingSettings: { liveness: { livenessMinScore: 0.6, searchMinScore: 0.9, searchMode: 'ACCURATE' } },
    ...o,
  }) satisfies NewDocument<ProjectFlow>;

export const aCollection = (client: string, o: Partial<NewDocument<Collection>> = {}): NewDocument<Collection> => ({
  client,
  name: 'employees',
  description: null,
  code: randomUUID(),
  project: null,
  deleted: false,
  ...o,
});

export const aPerson = (client: string, o: Partial<NewDocument<Person>> = {}): NewDocument<Person> => ({
  client,
  name: 'Ana',
  gender: null,
  date_of_birth: '1990-01-02',
  nationality: null,
  notes: null,
  email: null,
  phone: null,
  identifier: null,
  status: 'active',
  deleted: false,
  ...o,
});
