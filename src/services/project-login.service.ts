import type { AppLogin } from '../domain/app-login.js';
import { canTransition } from '../domain/biometric-validation.js';
import { isObjectId } from '../domain/object-id.js';
import type { Project } from '../domain/project.js';
import { AppError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import type { AuditSource } from './audit-trail.js';
import { bodyOf } from './documents.js';
import type { PersonService } from './person.service.js';
import type { TokenService } from './token.service.js';
import { emitValidationEvent } from './validation-webhooks.js';

// `POST /v2/auth/project-login`: the integrator's backend exchanges an app-login token, once, for who logged in.
// The exchange completes the validation. The access token it returns (kind `projectUser`) opens one route only,
// `GET /v2/auth/session?origin=app`: who is signed in and the project's public settings. Every other route verifies
// a token of its own kind, so this one is refused there. It lasts an hour and dies with the client's
// renew-and-revoke (it carries the client's token generation).

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
    /** `from`: the caller's address, for the audit log's record of the person (face data) this hands out. */
    async exchange(token: string | undefined, from?: Pick<AuditSource, 'ip' | 'userAgent'>) {
      if (!token) throw new AppError('unauthorized');
      const claims = await tokens.verify(token, 'appLogin');
      const login = await store.appLogins.findById(claims.client, claims.sub);
      if (!login) throw new AppError('notFound');
      if (login.exchangedAt) throw new AppError('tokenAlreadyUsed');
      // A code that only opens the way to the face (a flow whose steps put the face after it) signs nobody in.
      if (login.status !== 'validated') throw new AppError('secondFactorRequired');
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
      const client = await store.clients.findById(login.client, login.client);
      if (!client) throw new AppError('invalidToken');
      const accessToken = await tokens.sign(
        {
          typ: 'projectUser',
          client: login.client,
          sub: login._id,
          project: login.project,
          gen: client.tokenGeneration,
        },
        new Date(clock.now().getTime() + ACCESS_TOKEN_MS),
      );
      return {
        accessToken,
        appLogin: result,
        person: login.person
          ? await deps.persons.get(
              login.client,
              login.person,
              from && { ...from, actor: { type: 'project-login', id: login._id, name: login.name } },
            )
          : null,
      };
    },

    /** `GET /v2/auth/session?origin=app`: who the access token of an exchange signs in, and the project's settings. */
    async session(token: string | undefined): Promise<ProjectSession> {
      if (!token) throw new AppError('unauthorized');
      const claims = await tokens.verify(token, 'projectUser');
      if (!isObjectId(claims.client) || !isObjectId(claims.sub)) throw new AppError('invalidToken');
      const client = await store.clients.findById(claims.client, claims.client);
      if (!client) throw new AppError('invalidToken');
      if (claims.gen !== client.tokenGeneration) throw new AppError('tokenRevoked');
      if (client.status !== 'active') throw new AppError('forbidden');
      const login = await store.appLogins.findById(client._id, claims.sub);
      if (!login) throw new AppError('invalidToken');
      const project = await store.projects.findById(client._id, login.project);
      if (!project) throw new AppError('notFound');
      const found = login.person ? await store.persons.findById(client._id, login.person) : undefined;
      const person = found && !found.deleted ? found : null;
      const address = (type: AppLogin['type']) => (login.type === type ? login.identifier : null);
      return {
        expiresAt: new Date(claims.exp * 1000),
        user: {
          _id: person?._id ?? login._id,
          name: person?.name ?? login.name,
          email: person?.email ?? address('email'),
          phone: person?.phone ?? address('phone'),
          staff: false,
          credits: null,
          person: person?._id ?? null,
          appLogin: login._id,
          type: login.type,
          project: login.project,
          projectFlow: login.projectFlow,
        },
        settings: {
          project: project._id,
          name: project.name,
          allowedCountries: project.allowedCountries,
          contactEmail: project.contactEmail,
          privacyUrl: project.privacyUrl,
          termsAndConditionsUrl: project.termsAndConditionsUrl,
          branding: project.branding,
          dataProtection: project.dataProtection,
        },
      };
    },
  };
}

/** The signed-in user of an app login: the person recognised, or the login's email/phone identity. */
export interface ProjectSession {
  expiresAt: Date;
  user: {
    /** The person's id, or the app login's for an address no person is enrolled under. */
    _id: string;
    name: string;
    email: string | null;
    phone: string | null;
    staff: false;
    credits: null;
    person: string | null;
    appLogin: string;
    type: AppLogin['type'];
    project: string;
    projectFlow: string;
  };
  settings: Pick<
    Project,
    | 'name'
    | 'allowedCountries'
    | 'contactEmail'
    | 'privacyUrl'
    | 'termsAndConditionsUrl'
    | 'branding'
    | 'dataProtection'
  > & { project: string };
}

export type ProjectLoginService = ReturnType<typeof createProjectLoginService>;
