import { canTransition } from '../domain/biometric-validation.js';
import { AppError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import { bodyOf } from './documents.js';
import type { PersonService } from './person.service.js';
import type { TokenService } from './token.service.js';
import { emitValidationEvent } from './validation-webhooks.js';

// `POST /v2/auth/project-login`: the integrator's backend exchanges an app-login token, once, for who logged in.
// The exchange completes the validation.

const ACCESS_TOKEN_MS = 60 * 60_000;

export function createProjectLoginService(deps: {
  store: Store;
  tokens: TokenService;
  clock: Clock;
  persons: PersonService;
}) {
  const { store, tokens, clock } = deps;
  return {
    /** Exchanges an app-login token, once, for the result: who logged in, for the integrator's backend. */
    async exchange(token: string | undefined) {
      if (!token) throw new AppError('unauthorized');
      const claims = await tokens.verify(token, 'appLogin');
      const login = await store.appLogins.findById(claims.client, claims.sub);
      if (!login) throw new AppError('notFound');
      if (login.exchangedAt) throw new AppError('tokenAlreadyUsed');
      const result = await store.transaction(async (tx) => {
        const exchangedAt = clock.now().toISOString();
        const used = await tx.appLogins.update(login.client, login._id, { ...bodyOf(login), exchangedAt }, login.__v);
        if (!used) throw new AppError('tokenAlreadyUsed');
        const v = login.biometricValidation
          ? await tx.biometricValidations.findById(login.client, login.biometricValidation)
          : undefined;
        if (v && canTransition(v.status, 'completed')) {
          const done = await tx.biometricValidations.update(
            v.client,
            v._id,
            { ...bodyOf(v), status: 'completed' },
            v.__v,
          );
          const flow = await tx.projectFlows.findById(v.client, v.projectFlow);
          if (done) await emitValidationEvent(tx, done, flow, 'biometric_validation_completed');
        }
        return used;
      });
      const accessToken = await tokens.sign(
        { typ: 'projectUser', client: login.client, sub: login.person ?? login._id, project: login.project },
        new Date(clock.now().getTime() + ACCESS_TOKEN_MS),
      );
      return {
        accessToken,
        appLogin: result,
        person: login.person ? await deps.persons.get(login.client, login.person) : null,
      };
    },
  };
}

export type ProjectLoginService = ReturnType<typeof createProjectLoginService>;
