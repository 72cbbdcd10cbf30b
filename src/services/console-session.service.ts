import type { Client } from '../domain/client.js';
import { loginStepsOf } from '../domain/login-steps.js';
import { isObjectId } from '../domain/object-id.js';
import { AppError } from '../errors.js';
import type { AuditActor } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import type { AuditSource, AuditTrail } from './audit-trail.js';
import type { TokenClaims, TokenService } from './token.service.js';

// Operators signing in to the console with the tenant's own product (#17): a project the tenant marks
// `consoleAccess: true` is its operators' sign-in project; its login flow asks for the email code, then the face.
// The access token of that login's project-login exchange (kind `projectUser`, which opens nothing else) is traded
// here for a console session: a token of kind `consoleSession` that authenticates like the API token on the
// console's routes, and is audited as the operator. It is refused unless the login passed both factors of a flow
// that asks for both, on the project named, of the same tenant, with the person's own email.
//
// Revocation: the session carries the client's token generation (renew-and-revoke ends it, as every other token),
// and every request re-reads the project and the person, so turning `consoleAccess` off or deleting the operator's
// person ends their sessions at once. Signing out ends one session alone: the token names its session (`sid`, the
// app login that opened it) and the ended ones are kept (ports/console-session-ends.ts) until they would have
// expired, so a copied token stops working when its operator signs out.

/** How long a console session lasts: a working day. Not renewed; the operator signs in again. */
export const CONSOLE_SESSION_MS = 8 * 3600_000;

export interface Operator {
  client: Client;
  actor: AuditActor & { type: 'operator'; id: string; name: string };
  project: string;
  /** The session's id, which signing out ends. */
  sid: string;
}

export function createConsoleSessionService(deps: {
  store: Store;
  tokens: TokenService;
  clock: Clock;
  audit: AuditTrail;
}) {
  const { store, tokens, clock } = deps;

  const activeClient = async (clientId: unknown, gen: unknown): Promise<Client> => {
    if (typeof clientId !== 'string' || !isObjectId(clientId)) throw new AppError('invalidToken');
    const client = await store.clients.findById(clientId, clientId);
    if (!client) throw new AppError('invalidToken');
    if (gen !== client.tokenGeneration) throw new AppError('tokenRevoked');
    if (client.status !== 'active') throw new AppError('forbidden');
    return client;
  };

  /**
   * The tenant and operator behind a session's claims, and whether it was signed out of (left to the caller: a
   * sign-out racing another sign-out of the same session is not refused).
   */
  const sessionOf = async (claims: TokenClaims): Promise<{ operator: Operator; ended: boolean }> => {
    const client = await activeClient(claims.client, claims.gen);
    if (!isObjectId(claims.sub) || typeof claims.project !== 'string') throw new AppError('invalidToken');
    // A session from before sign-out ended sessions cannot be ended: it is over too.
    if (!isObjectId(claims.sid)) throw new AppError('tokenRevoked');
    // Read together: on PostgreSQL the sign-out check costs no round trip of its own.
    const [project, person, ended] = await Promise.all([
      store.projects.findById(client._id, claims.project),
      store.persons.findById(client._id, claims.sub),
      store.consoleSessionEnds.hasEnded(client._id, claims.sid),
    ]);
    if (project?.consoleAccess !== true) throw new AppError('tokenRevoked');
    if (!person || person.deleted) throw new AppError('tokenRevoked');
    const actor = { type: 'operator' as const, id: person._id, name: person.name };
    return { operator: { client, project: project._id, sid: claims.sid, actor }, ended };
  };

  return {
    /**
     * `POST /v2/auth/console-session`: the project-login access token of an operator's login for a session.
     * `from`: the caller's address, for the audit log's record of the sign-in.
     */
    async open(accessToken: string | undefined, projectId: string, from?: Pick<AuditSource, 'ip' | 'userAgent'>) {
      if (!accessToken) throw new AppError('unauthorized');
      const claims = await tokens.verify(accessToken, 'projectUser');
      if (!isObjectId(claims.sub)) throw new AppError('invalidToken');
      const client = await activeClient(claims.client, claims.gen);
      // Another tenant's project is not found, as everywhere; this tenant's other project is not this login's.
      const project = await store.projects.findById(client._id, projectId);
      if (!project) throw new AppError('notFound');
      const login = await store.appLogins.findById(client._id, claims.sub);
      if (!login) throw new AppError('invalidToken');
      if (login.project !== project._id) throw new AppError('tokenNotRight');
      if (project.consoleAccess !== true) throw new AppError('consoleAccessOff');
      const flow = await store.projectFlows.findById(client._id, login.projectFlow);
      const steps = flow ? loginStepsOf(flow.loginSettings) : undefined;
      // Both factors, as the flow asked and the login shows: the face login hangs from the email code's validation.
      const bothFactors =
        steps?.code === 'email' &&
        steps.face &&
        login.type === 'faceLiveness' &&
        login.status === 'validated' &&
        login.emailValidation !== null &&
        login.person !== null;
      if (!bothFactors || !login.person || !login.emailValidation) throw new AppError('consoleNeedsCodeAndFace');
      const person = await store.persons.findById(client._id, login.person);
      const code = await store.emailValidations.findById(client._id, login.emailValidation);
      // The code went to the operator's own address (the face alone would let an enrolled person in with any mailbox).
      const sameEmail =
        person && !person.deleted && person.email && code && code.email.toLowerCase() === person.email.toLowerCase();
      if (!person || !sameEmail) throw new AppError('consoleNeedsCodeAndFace');
      // Whole seconds, as the token's `exp` holds it.
      const expiresAt = new Date(Math.floor((clock.now().getTime() + CONSOLE_SESSION_MS) / 1000) * 1000);
      const token = await tokens.sign(
        {
          typ: 'consoleSession',
          client: client._id,
          sub: person._id,
          project: project._id,
          gen: client.tokenGeneration,
          // An app login is exchanged once (project-login), so its id names one session.
          sid: login._id,
        },
        expiresAt,
      );
      const actor = { type: 'operator' as const, id: person._id, name: person.name };
      await deps.audit.record(client._id, from && { ...from, actor }, 'console.signIn', {
        type: 'project',
        id: project._id,
      });
      return { token, expiresAt, operator: { _id: person._id, name: person.name, email: person.email } };
    },

    /** The tenant and operator behind a console session, checked again on every request (see above). */
    async authenticate(token: string): Promise<Operator> {
      const { operator, ended } = await sessionOf(await tokens.verify(token, 'consoleSession'));
      if (ended) throw new AppError('tokenRevoked');
      return operator;
    },

    /**
     * `DELETE /v2/auth/console-session`: the operator signs out; the session's token is refused from then on.
     * Again with the same token, it answers as the first time (and is audited once).
     */
    async end(token: string, from?: Pick<AuditSource, 'ip' | 'userAgent'>): Promise<void> {
      const claims = await tokens.verify(token, 'consoleSession');
      // Ended already: answered as the first time, whatever has happened to the tenant or the operator since.
      if (isObjectId(claims.sid) && (await store.consoleSessionEnds.hasEnded(claims.client, claims.sid))) return;
      // A session revoked otherwise answers as on any route (403 token_revoked); a live one's operator is the actor.
      const { operator } = await sessionOf(claims);
      const expiresAt = new Date(claims.exp * 1000);
      const ended = await store.consoleSessionEnds.end(operator.client._id, operator.sid, clock.now(), expiresAt);
      if (!ended) return;
      await deps.audit.record(operator.client._id, from && { ...from, actor: operator.actor }, 'console.signOut', {
        type: 'project',
        id: operator.project,
      });
    },
  };
}

export type ConsoleSessionService = ReturnType<typeof createConsoleSessionService>;
