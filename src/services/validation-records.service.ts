import type { AppLogin } from '../domain/app-login.js';
import type { BiometricValidation } from '../domain/biometric-validation.js';
import type { ListQuery } from '../domain/list-query.js';
import type { Store } from '../ports/store.js';
import { mustFind } from './documents.js';

// The read side of validations, for the integrator (API token, one tenant): `GET/DELETE /v2/biometric-validations`,
// `GET /v2/liveness-sessions` and `GET /v2/app-logins` (with `populates[]=biometricValidation`).

export function createValidationRecordsService(deps: { store: Store }) {
  const { store } = deps;

  /** `populates` naming `biometricValidation` replaces the id by the document, as Verifik's MongoORM does. */
  const populate = async (
    clientId: string,
    login: AppLogin,
    populates: readonly string[],
  ): Promise<AppLogin | (Omit<AppLogin, 'biometricValidation'> & { biometricValidation: BiometricValidation })> => {
    if (!populates.includes('biometricValidation')) return login;
    const v = await store.biometricValidations.findById(clientId, login.biometricValidation);
    return v ? { ...login, biometricValidation: v } : login;
  };

  return {
    biometricValidations: {
      filterable: store.biometricValidations.filterable,
      list: (clientId: string, query: ListQuery) => store.biometricValidations.list(clientId, query),
      get: (clientId: string, id: string) =>
        mustFind(store.biometricValidations.findById(clientId, id), 'biometricValidationNotFound'),
      /** Deletes a validation of this client and its liveness session, together; returns what was deleted. */
      async delete(clientId: string, id: string): Promise<BiometricValidation> {
        const v = await mustFind(store.biometricValidations.findById(clientId, id), 'biometricValidationNotFound');
        await store.transaction(async (tx) => {
          await tx.biometricValidations.delete(clientId, v._id);
          await tx.livenessSessions.delete(clientId, v.livenessSession);
        });
        return v;
      },
    },

    livenessSessions: {
      filterable: store.livenessSessions.filterable,
      list: (clientId: string, query: ListQuery) => store.livenessSessions.list(clientId, query),
      get: (clientId: string, id: string) => mustFind(store.livenessSessions.findById(clientId, id)),
    },

    appLogins: {
      filterable: store.appLogins.filterable,
      async list(clientId: string, query: ListQuery, populates: readonly string[] = []) {
        const r = await store.appLogins.list(clientId, query);
        return { items: await Promise.all(r.items.map((l) => populate(clientId, l, populates))), total: r.total };
      },
      async get(clientId: string, id: string, populates: readonly string[] = []) {
        return populate(clientId, await mustFind(store.appLogins.findById(clientId, id)), populates);
      },
    },
  };
}

export type ValidationRecordsService = ReturnType<typeof createValidationRecordsService>;
