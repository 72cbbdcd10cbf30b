import type { AppLogin } from '../domain/app-login.js';
import type { BiometricValidation } from '../domain/biometric-validation.js';
import type { ListQuery } from '../domain/list-query.js';
import type { Store } from '../ports/store.js';
import { mustFind } from './documents.js';

// The read side of validations, for the integrator (API token, one tenant): `GET/DELETE /v2/biometric-validations`,
// `GET /v2/liveness-sessions` and `GET /v2/app-logins` (with `populates[]=biometricValidation`).

export function createValidationRecordsService(deps: { store: Store }) {
  const { store } = deps;

  /** `populates` naming `biometricValidation`, `emailValidation` or `phoneValidation` replaces the id by the document,
   * as Verifik's MongoORM does (typed as the stored login: the response schema accepts either form). */
  const populate = async (clientId: string, login: AppLogin, populates: readonly string[]): Promise<AppLogin> => {
    let out: Record<string, unknown> = { ...login };
    if (populates.includes('biometricValidation') && login.biometricValidation) {
      const v = await store.biometricValidations.findById(clientId, login.biometricValidation);
      if (v) out = { ...out, biometricValidation: v };
    }
    if (populates.includes('emailValidation') && login.emailValidation) {
      const v = await store.emailValidations.findById(clientId, login.emailValidation);
      if (v) out = { ...out, emailValidation: v };
    }
    if (populates.includes('phoneValidation') && login.phoneValidation) {
      const v = await store.phoneValidations.findById(clientId, login.phoneValidation);
      if (v) out = { ...out, phoneValidation: v };
    }
    return out as unknown as AppLogin;
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
