import { randomBytes, randomInt } from 'node:crypto';
import { pickChallenge } from '../domain/active-challenge.js';
import type { AppLogin } from '../domain/app-login.js';
import { toKeyValues } from '../domain/biometric-validation.js';
import { codeBeforeFace, loginStepsOf } from '../domain/login-steps.js';
import { newObjectId } from '../domain/object-id.js';
import type { FlowType, ProjectFlow } from '../domain/project-flow.js';
import { AppError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { Mailer } from '../ports/mailer.js';
import type { Store } from '../ports/store.js';
import { validationLinkMail } from './code-messages.js';
import type { TokenService } from './token.service.js';
import { emitValidationEvent } from './validation-webhooks.js';
import { checkWebhookTarget } from './webhook-target.js';

// Creating a biometric validation (`POST /v2/biometric-validations`, and `/app-login` as a second factor): its
// liveness session (with the active challenge, if the flow asks for one), the validation, and the session's token.

export interface CreateValidationInput {
  project: string;
  projectFlow: string;
  /** Required from a client; ignored from the public (a guest identifier is chosen). */
  identifier?: string | undefined;
  type: FlowType;
  expiresAt?: string | undefined;
  redirectUrl?: string | undefined;
  webhookUrl?: string | undefined;
  requires2FA?: boolean | undefined;
  ipAddress?: string | undefined;
  sendViaEmail?: boolean | undefined;
  email?: string | undefined;
  language?: 'en' | 'es' | undefined;
  location?: Record<string, string | number | boolean | null> | undefined;
}

/** Who is creating: an integrator with an API token, or the public hosted page (no token). */
export type Caller = { kind: 'client'; clientId: string } | { kind: 'public' };

const MAX_SESSION_MS = 60 * 60_000;
const MIN_SESSION_MS = 30_000;

const wholeSecond = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);
const randomGuest = () => `guest-${randomBytes(8).toString('hex')}`;

export function createValidationCreateService(deps: {
  store: Store;
  tokens: TokenService;
  clock: Clock;
  publicUrl: string;
  /** Whether a webhookUrl may be a loopback, link-local or private address (FACEGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS). */
  allowPrivateWebhookTargets?: boolean;
  random?: () => number;
  /** The identifier of a validation created without a token. */
  guestIdentifier?: () => string;
  /** Mails the page's link for `sendViaEmail` (FACEGATE_SMTP_URL); null or absent: such a create is refused. */
  mailer?: Mailer | null;
}) {
  const { store, tokens, clock } = deps;
  const random = deps.random ?? (() => randomInt(2 ** 32) / 2 ** 32);
  const guestIdentifier = deps.guestIdentifier ?? randomGuest;

  /**
   * Public callers cannot choose who they are: an identifier names a person the integrator knows, and honouring a
   * stranger's would let them enrol under it, or probe with `person_already_set` who is enrolled. Onboarding under
   * an integrator's identifier needs a validation created with the API token.
   */
  const identifierFor = (caller: Caller, requested: string | undefined): string => {
    if (caller.kind === 'public') return guestIdentifier();
    if (!requested) throw new AppError('missingParameter', { message: 'missing identifier' });
    return requested;
  };

  const sessionExpiry = (flow: ProjectFlow, requested: string | undefined): Date => {
    const now = clock.now().getTime();
    if (requested === undefined) return wholeSecond(now + flow.sessionMinutes * 60_000);
    const at = Date.parse(requested);
    if (Number.isNaN(at) || at < now + MIN_SESSION_MS || at > now + MAX_SESSION_MS) {
      throw new AppError('missingParameter', {
        message: '"expiresAt" must be between 30 seconds and 60 minutes from now',
      });
    }
    return wholeSecond(at);
  };

  const service = {
    /**
     * A login as a second factor after an app login (`/app-login`): the app-login token names the client and the
     * app login the new validation hangs from.
     */
    async createAfterAppLogin(appLoginToken: string, input: CreateValidationInput) {
      const claims = await tokens.verify(appLoginToken, 'appLogin').catch(() => {
        throw new AppError('tokenNotRight');
      });
      if (input.type !== 'login') throw new AppError('missingParameter', { message: '"type" must be login' });
      const parent = await store.appLogins.findById(claims.client, claims.sub);
      // The hosted page has no identifier of its own here: the code's address (or person) is who signs in.
      const identifier = input.identifier ?? parent?.identifier;
      return service.create(
        { kind: 'client', clientId: claims.client },
        { ...input, ...(identifier ? { identifier } : {}) },
        { parentAppLogin: claims.sub },
      );
    },

    async create(caller: Caller, input: CreateValidationInput, options: { parentAppLogin?: string } = {}) {
      const identifier = identifierFor(caller, input.identifier);
      let parent: AppLogin | undefined;
      if (options.parentAppLogin !== undefined && caller.kind === 'client') {
        // A second factor hangs off a login that has not been exchanged yet: once the integrator's backend has
        // exchanged it at project-login, its token is spent here too (#14).
        parent = await store.appLogins.findById(caller.clientId, options.parentAppLogin);
        if (!parent || parent.status === 'failed') throw new AppError('tokenNotRight');
        if (parent.exchangedAt) throw new AppError('tokenAlreadyUsed');
        // A code that only opens the way to the face (README "Login steps") does so in its own flow only.
        if (parent.status === 'pending' && parent.projectFlow !== input.projectFlow)
          throw new AppError('tokenNotRight');
      }
      const {
        client,
        project,
        projectFlow: flow,
        collection,
      } = await store.findValidationSetup(
        caller.kind === 'client' ? caller.clientId : null,
        input.project,
        input.projectFlow,
      );
      if (project?.status !== 'active') throw new AppError('projectNotFound');
      const clientId = project.client;
      if (!flow || flow.project !== project._id || flow.status !== 'active') throw new AppError('projectNotFound');
      if (flow.type !== input.type) {
        throw new AppError('missingParameter', { message: `"type" must be ${flow.type} for this project flow` });
      }
      if (flow.type === 'login' && !flow.loginSettings.faceLiveness) throw new AppError('projectNotFound');
      // A flow that asks for a code before the face grants a face only after that code (whatever the page does).
      if (flow.type === 'login' && codeBeforeFace(loginStepsOf(flow.loginSettings)) && !parent)
        throw new AppError('codeRequired');
      if (
        caller.kind === 'public' &&
        (input.redirectUrl || input.webhookUrl || input.expiresAt || input.sendViaEmail)
      ) {
        // A stranger must not point someone else's flow at their own redirect or webhook.
        throw new AppError('publicCreateNeedsToken');
      }
      checkWebhookTarget(input.webhookUrl, deps.allowPrivateWebhookTargets ?? false);
      if (!collection) throw new AppError('collectionNotSet');
      if (!client) throw new AppError('projectNotFound');
      const url = `${deps.publicUrl}/sign-in/${project._id}?type=${input.type === 'login' ? 'liveness' : 'onboarding'}`;
      const expiresAt = sessionExpiry(flow, input.expiresAt).toISOString();
      // The session's id is chosen here so that its token exists before anything is stored (the mail carries it).
      const sessionId = newObjectId();
      const token = await tokens.sign(
        // The client's token generation: renew-and-revoke ends the sessions opened before it (#14).
        { typ: 'liveness', client: clientId, sub: sessionId, project: project._id, gen: client.tokenGeneration },
        new Date(expiresAt),
      );
      if (input.sendViaEmail) {
        // Mailed before anything is stored: a mail that cannot go creates nothing. The link opens this validation
        // (its session token in the fragment, which no server or log ever sees), so the person signs in as the
        // integrator's identifier.
        if (!input.email) throw new AppError('missingParameter', { message: 'missing email' });
        if (!deps.mailer)
          throw new AppError('transportNotConfigured', { shown: 'set FACEGATE_SMTP_URL and FACEGATE_MAIL_FROM' });
        const mail = validationLinkMail({
          to: input.email,
          language: input.language ?? 'en',
          project: project.name,
          url: `${url}&language=${input.language ?? 'en'}#token=${token}`,
        });
        await deps.mailer.send(mail).catch((cause: unknown) => {
          throw new AppError('codeDeliveryFailed', { cause });
        });
      }
      const now = clock.now().toISOString();
      const challenge = flow.loginSettings.livenessMode === 'active' ? pickChallenge(random) : null;

      // Inserts only: one statement on PostgreSQL, where a transaction would take four round trips.
      const { session, validation } = await store.batch(async (tx) => {
        const session = await tx.livenessSessions.insert({
          _id: sessionId,
          client: clientId,
          project: project._id,
          projectFlow: flow._id,
          identifier,
          status: 'active',
          livenessResult: [],
          comparisonResult: [],
          generalInformation: [],
          documentTypeFields: [],
          location: input.location ? toKeyValues(input.location) : [],
          proFields: [],
          studioFields: [],
          promptFields: [],
          expiresAt,
          activatedAt: now,
          challenge,
          challengeIssuedAt: null,
        });
        const validation = await tx.biometricValidations.insert({
          client: clientId,
          project: project._id,
          projectFlow: flow._id,
          livenessSession: session._id,
          status: 'new',
          type: input.type,
          url,
          livenessScore: 0,
          assignedCollection: collection._id,
          collectionCode: collection.code,
          requires2FA: input.requires2FA ?? false,
          identifier,
          expiresAt,
          redirectUrl: input.redirectUrl ?? null,
          webhookUrl: input.webhookUrl ?? null,
          ipAddress: input.ipAddress ?? null,
          language: input.language ?? 'en',
          sendViaEmail: input.sendViaEmail ?? false,
          email: input.email ?? null,
          attempts: 0,
          maxAttempts: flow.maxAttempts,
          failureReason: null,
          person: null,
          appLogin: null,
          parentAppLogin: options.parentAppLogin ?? null,
          completedAt: null,
          processingUntil: null,
        });
        await emitValidationEvent(tx, validation, flow, 'biometric_validation_new');
        return { session, validation };
      });
      return { livenessSession: session, biometricValidation: validation, token };
    },
  };
  return service;
}

export type ValidationCreateService = ReturnType<typeof createValidationCreateService>;
