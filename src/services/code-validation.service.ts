import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { AppLogin } from '../domain/app-login.js';
import {
  type CodeLanguage,
  type CodeValidationType,
  codeLimits,
  type EmailValidation,
  normaliseEmail,
  normalisePhone,
  type PhoneGatewayChoice,
  type PhoneValidation,
  type ValidationMethod,
} from '../domain/code-validation.js';
import type { NewDocument } from '../domain/document.js';
import { emptyListQuery } from '../domain/list-query.js';
import { codeBeforeFace, loginStepsOf } from '../domain/login-steps.js';
import { AppError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { DocumentRepository } from '../ports/document-repository.js';
import type { Mailer } from '../ports/mailer.js';
import type { OneTimeCodes } from '../ports/one-time-codes.js';
import type { PhoneGateway } from '../ports/phone-gateway.js';
import type { Store } from '../ports/store.js';
import type { AuthenticatorService } from './authenticator.service.js';
import { codeMail, codeText } from './code-messages.js';
import { bodyOf } from './documents.js';
import type { TokenService } from './token.service.js';

// Email and phone validations (§6.2): send a one-time code (or a one-time link), then check it once.
// Codes exist only in the message sent and as HMAC-SHA256 under a server key; they are compared in constant time.
// Each code allows `triesPerCode` wrong tries, each destination `triesPerDestination` over the window, and every try
// is claimed (an optimistic write of the incremented count) before the code is compared, so concurrent guesses
// cannot exceed the bound; sends and the resend cooldown are units of atomic counters (ports/code-counters.ts). Nothing here looks up whether an address belongs to anyone: every address is answered
// alike, so the answers tell nothing about who is enrolled.

const APP_LOGIN_TOKEN_MS = 15 * 60_000;
const CLAIM_RETRIES = 20;

export type Caller = { kind: 'client'; clientId: string } | { kind: 'public' };

interface CreateCommon {
  project: string;
  projectFlow: string;
  type: CodeValidationType;
  validationMethod: ValidationMethod;
  language: CodeLanguage;
  location?: Record<string, unknown> | undefined;
}
export interface CreateEmailInput extends CreateCommon {
  email: string;
}
export interface CreatePhoneInput extends CreateCommon {
  phone: string;
  countryCode: string;
  phoneGateway: PhoneGatewayChoice;
}
interface ValidateCommon {
  otp: string;
  projectFlow: string;
  project?: string | undefined;
  type?: CodeValidationType | undefined;
  /** The person's authenticator code, when the flow closes its logins with the authenticator (§6.2). */
  authenticatorOTP?: string | undefined;
}
export interface ValidateEmailInput extends ValidateCommon {
  email: string;
}
export interface ValidatePhoneInput extends ValidateCommon {
  phone: string;
  countryCode: string;
}

type Channel = 'email' | 'phone';
type AnyValidation = EmailValidation | PhoneValidation;

export function createCodeValidationService(deps: {
  store: Store;
  tokens: TokenService;
  clock: Clock;
  /** The HMAC key codes are stored under. */
  codeKey: string;
  publicUrl: string;
  mailer: Mailer | null;
  phoneGateway: PhoneGateway | null;
  authenticators: Pick<AuthenticatorService, 'verify'>;
}) {
  const { store, clock } = deps;
  const hashOf = (destination: string, code: string) =>
    createHmac('sha256', deps.codeKey).update(`${destination}\n${code}`).digest();
  const repoOf = (channel: Channel) =>
    (channel === 'email'
      ? store.emailValidations
      : store.phoneValidations) as unknown as DocumentRepository<AnyValidation>;
  const now = () => clock.now();

  const requireTransport = (channel: Channel) => {
    if (channel === 'email' && !deps.mailer)
      throw new AppError('transportNotConfigured', { shown: 'set FACEGATE_SMTP_URL and FACEGATE_MAIL_FROM' });
    if (channel === 'phone' && !deps.phoneGateway)
      throw new AppError('transportNotConfigured', {
        shown: 'set FACEGATE_SMS_WEBHOOK_URL and FACEGATE_SMS_WEBHOOK_SECRET',
      });
  };

  /** The destination's codes of the last window, newest first. */
  const recent = async (channel: Channel, clientId: string, destination: string) => {
    const since = new Date(now().getTime() - codeLimits.windowMinutes * 60_000).toISOString();
    return (
      await repoOf(channel).list(
        clientId,
        emptyListQuery({ where: { destination }, gte: { createdAt: since }, perPage: 100 }),
      )
    ).items;
  };
  const triesOf = (codes: AnyValidation[]) => codes.reduce((n, c) => n + c.attempts, 0);

  async function create(caller: Caller, channel: Channel, input: CreateEmailInput | CreatePhoneInput) {
    requireTransport(channel);
    const setup = await store.findValidationSetup(
      caller.kind === 'client' ? caller.clientId : null,
      input.project,
      input.projectFlow,
    );
    const { project, projectFlow: flow } = setup;
    if (project?.status !== 'active' || !flow || flow.project !== project._id || flow.status !== 'active')
      throw new AppError('projectNotFound');
    // Only a flow that turned the channel on (Verifik's loginSettings.email / .phone, and for a phone a gateway
    // that includes the one asked for) offers it: the feature is disabled otherwise, as Verifik's 404 says.
    const s = flow.loginSettings;
    if (channel === 'email' && s.email !== true) throw new AppError('projectNotFound');
    if (channel === 'phone') {
      const gateway = (input as CreatePhoneInput).phoneGateway;
      if (s.phone !== true || !(s.phoneGateway === gateway || s.phoneGateway === 'both'))
        throw new AppError('projectNotFound');
    }
    const clientId = project.client;
    const destination = 'email' in input ? normaliseEmail(input.email) : normalisePhone(input.countryCode, input.phone);

    const codes = await recent(channel, clientId, destination);
    if (triesOf(codes) >= codeLimits.triesPerDestination) throw new AppError('tooManyRequests');
    // The cooldown (per destination and flow) and the sends per destination are units taken atomically, so
    // concurrent requests cannot all pass a check made before any of them was written.
    const nowMs = now().getTime();
    const cooldownMs = codeLimits.resendCooldownSeconds * 1000;
    const cooldownKey = `cooldown:${channel}:${flow._id}:${destination}`;
    const sendsKey = `sends:${channel}:${destination}`;
    const cooldown = await store.codeCounters.hit(clientId, cooldownKey, 1, cooldownMs, nowMs);
    if (!cooldown.taken) {
      throw new AppError('resendCooldown', {
        shown: Math.max(1, Math.ceil((cooldown.windowStartMs + cooldownMs - nowMs) / 1000)),
      });
    }
    const sends = await store.codeCounters.hit(
      clientId,
      sendsKey,
      codeLimits.sendsPerDestination,
      codeLimits.windowMinutes * 60_000,
      nowMs,
    );
    if (!sends.taken) {
      await store.codeCounters.release(clientId, cooldownKey);
      throw new AppError('tooManyRequests');
    }
    // A new code replaces the destination's open ones in this flow.
    for (const c of codes) {
      if (c.projectFlow === flow._id && c.status === 'sent')
        await repoOf(channel).update(clientId, c._id, { ...bodyOf(c), status: 'expired' }, c.__v);
    }

    const minutes = codeMinutesOf(flow.loginSettings);
    const code =
      input.validationMethod === 'magicLink'
        ? randomBytes(24).toString('base64url')
        : String(randomInt(0, 10 ** codeLimits.digits)).padStart(codeLimits.digits, '0');
    const common = {
      client: clientId,
      project: project._id,
      projectFlow: flow._id,
      type: input.type,
      validationMethod: input.validationMethod,
      language: input.language,
      status: 'sent' as const,
      destination,
      expiresAt: new Date(now().getTime() + minutes * 60_000).toISOString(),
      attempts: 0,
      maxAttempts: codeLimits.triesPerCode,
      codeHash: hashOf(destination, code).toString('hex'),
      appLogin: null,
      validatedAt: null,
      location: input.location ?? null,
    };
    const doc =
      'email' in input
        ? await store.emailValidations.insert({ ...common, email: destination } satisfies NewDocument<EmailValidation>)
        : await store.phoneValidations.insert({
            ...common,
            phone: input.phone.replace(/\D/g, ''),
            countryCode: `+${input.countryCode.replace(/\D/g, '')}`,
            phoneGateway: input.phoneGateway,
          } satisfies NewDocument<PhoneValidation>);

    const link =
      input.validationMethod === 'magicLink'
        ? `${deps.publicUrl}/sign-in/${project._id}?${new URLSearchParams({
            type: 'magicLink',
            projectFlow: flow._id,
            ...('email' in input
              ? { email: destination }
              : { phone: input.phone.replace(/\D/g, ''), countryCode: `+${input.countryCode.replace(/\D/g, '')}` }),
            otp: code,
          })}`
        : undefined;
    const text = { language: input.language, project: project.name, minutes, code, ...(link ? { link } : {}) };
    try {
      if (channel === 'email') await (deps.mailer as Mailer).send(codeMail({ ...text, to: destination }));
      else
        await (deps.phoneGateway as PhoneGateway).send({
          to: destination,
          channel: (input as CreatePhoneInput).phoneGateway,
          language: input.language,
          text: codeText(text),
        });
    } catch (err) {
      await repoOf(channel).update(clientId, doc._id, { ...bodyOf(doc), status: 'failed' }, doc.__v);
      // Nothing went out: the person may ask again at once, and it does not count against the address.
      await store.codeCounters.release(clientId, cooldownKey);
      await store.codeCounters.release(clientId, sendsKey);
      throw new AppError('codeDeliveryFailed', { cause: err });
    }
    return doc;
  }

  /** Claims one try of the code: the optimistic write of attempts + 1 wins, or the try is retried on the new state. */
  async function claimTry(channel: Channel, v: AnyValidation): Promise<AnyValidation> {
    let current = v;
    for (let i = 0; i < CLAIM_RETRIES; i++) {
      if (current.status === 'failed' || current.attempts >= current.maxAttempts)
        throw new AppError('maxAttemptsExceeded');
      if (current.status === 'validated') throw new AppError('otpAlreadyUsed');
      if (current.status === 'expired') throw new AppError('otpExpired');
      const claimed = await repoOf(channel).update(
        current.client,
        current._id,
        { ...bodyOf(current), attempts: current.attempts + 1 },
        current.__v,
      );
      if (claimed) return claimed;
      const reread = await repoOf(channel).findById(current.client, current._id);
      if (!reread) throw new AppError('invalidOtp');
      current = reread;
    }
    throw new AppError('maxAttemptsExceeded');
  }

  async function validate(channel: Channel, input: ValidateEmailInput | ValidatePhoneInput) {
    const destination = 'email' in input ? normaliseEmail(input.email) : normalisePhone(input.countryCode, input.phone);
    const repo = repoOf(channel);
    const [latest] = (
      await repo.list(null, emptyListQuery({ where: { destination, projectFlow: input.projectFlow }, perPage: 1 }))
    ).items;
    // No code asked for this address answers as a wrong code does: nothing to learn about who exists.
    if (!latest || (input.project !== undefined && latest.project !== input.project)) throw new AppError('invalidOtp');
    const matches = (v: AnyValidation) =>
      timingSafeEqual(hashOf(destination, input.otp.trim()), Buffer.from(v.codeHash, 'hex'));
    if (latest.status === 'validated') throw new AppError(matches(latest) ? 'otpAlreadyUsed' : 'invalidOtp');
    if (latest.status === 'failed') throw new AppError('maxAttemptsExceeded');
    if (latest.status === 'expired') throw new AppError('otpExpired');
    if (Date.parse(latest.expiresAt) <= now().getTime()) {
      await repo.update(latest.client, latest._id, { ...bodyOf(latest), status: 'expired' }, latest.__v);
      throw new AppError('otpExpired');
    }
    // The destination's tries over the window, across its codes: a unit taken atomically before the code's own.
    const tries = await store.codeCounters.hit(
      latest.client,
      `tries:${channel}:${destination}`,
      codeLimits.triesPerDestination,
      codeLimits.windowMinutes * 60_000,
      now().getTime(),
    );
    if (!tries.taken) throw new AppError('maxAttemptsExceeded');

    const claimed = await claimTry(channel, latest);
    if (!matches(claimed)) {
      if (claimed.attempts >= claimed.maxAttempts)
        await repo.update(claimed.client, claimed._id, { ...bodyOf(claimed), status: 'failed' }, claimed.__v);
      throw new AppError('invalidOtp');
    }
    // Only a right code reaches here, so looking the address up tells nothing to someone who does not hold it.
    const flow = await store.projectFlows.findById(claimed.client, claimed.projectFlow);
    const steps = loginStepsOf(flow?.loginSettings ?? {});
    const person = claimed.type === 'login' ? await personAt(claimed, channel) : null;
    // The face is still due: the login stays pending, and its token only opens /biometric-validations/app-login.
    const faceDue = claimed.type === 'login' && codeBeforeFace(steps);
    if (claimed.type === 'login' && !faceDue && steps.authenticator) {
      // The code was right but does not sign in alone: it stays unused (its try is spent) until it comes back
      // with the authenticator's code.
      if (input.authenticatorOTP === undefined)
        return { secondFactor: true as const, type: claimed.type, destination, validation: claimed };
      if (!person) throw new AppError('authenticatorNotEnrolled');
      await deps.authenticators.verify(claimed.client, person._id, input.authenticatorOTP);
    }
    const at = now().toISOString();
    const result = await store.transaction(async (tx) => {
      const txRepo = (channel === 'email'
        ? tx.emailValidations
        : tx.phoneValidations) as unknown as DocumentRepository<AnyValidation>;
      let login: AppLogin | null = null;
      if (claimed.type === 'login') {
        login = await tx.appLogins.insert({
          client: claimed.client,
          project: claimed.project,
          projectFlow: claimed.projectFlow,
          status: faceDue ? 'pending' : 'validated',
          type: channel,
          biometricValidation: null,
          livenessSession: null,
          face: null,
          name: person?.name ?? destination,
          person: person?._id ?? null,
          identifier: destination,
          emailValidation: channel === 'email' ? claimed._id : null,
          phoneValidation: channel === 'phone' ? claimed._id : null,
          accessControlLog: null,
          exchangedAt: null,
        });
      }
      const done = await txRepo.update(
        claimed.client,
        claimed._id,
        { ...bodyOf(claimed), status: 'validated', validatedAt: at, appLogin: login?._id ?? null },
        claimed.__v,
      );
      // Another try of the same code won the race: this one is the reuse.
      if (!done) throw new AppError('otpAlreadyUsed');
      return { login, validation: done };
    });
    const token = result.login
      ? await deps.tokens.sign(
          { typ: 'appLogin', client: claimed.client, sub: result.login._id, project: claimed.project },
          new Date(now().getTime() + APP_LOGIN_TOKEN_MS),
        )
      : null;
    return {
      secondFactor: false as const,
      token,
      type: claimed.type,
      destination,
      appLogin: result.login,
      validation: result.validation,
      nextStep: faceDue ? ('liveness' as const) : null,
    };
  }

  /**
   * The person a login code names: the one person of the project's collection whose stored email (or phone, with
   * or without its country code) is the code's address; null when none is, or when several are (no guessing).
   */
  async function personAt(v: AnyValidation, channel: Channel) {
    const setup = await store.findValidationSetup(v.client, v.project, v.projectFlow);
    if (!setup.collection || !store.persons.filterable.includes(channel)) return null;
    // An email is compared case-insensitively (LIKE is, then exactly); a phone as E.164, without its '+', or as the
    // national number the validation was sent to.
    const query =
      channel === 'email'
        ? emptyListQuery({ like: { email: v.destination }, where: { status: 'active' }, perPage: 50 })
        : emptyListQuery({
            in: { phone: [...new Set([v.destination, v.destination.slice(1), (v as PhoneValidation).phone])] },
            where: { status: 'active' },
            perPage: 50,
          });
    const found = await store.persons.list(v.client, query);
    const candidates = found.items.filter(
      (p) => !p.deleted && (channel === 'phone' || p.email?.trim().toLowerCase() === v.destination),
    );
    if (candidates.length === 0) return null;
    const members = await store.faceData.collectionsOf(
      v.client,
      candidates.map((p) => p._id),
    );
    const inCollection = candidates.filter((p) =>
      members.some((m) => m.personId === p._id && m.collectionId === setup.collection?._id),
    );
    return inCollection.length === 1 ? (inCollection[0] ?? null) : null;
  }

  const oneTimeCodes: OneTimeCodes = {
    async passedFactor(login) {
      const channel = login.type === 'email' ? 'email' : login.type === 'phone' ? 'phone' : undefined;
      const id = channel === 'email' ? login.emailValidation : login.phoneValidation;
      if (!channel || !id) return undefined;
      const v = await repoOf(channel).findById(login.client, id);
      if (v?.status !== 'validated' || !v.validatedAt) return undefined;
      return { channel, destination: v.destination, validation: v._id, validatedAt: v.validatedAt };
    },
  };

  return {
    createEmail: async (caller: Caller, input: CreateEmailInput) =>
      (await create(caller, 'email', input)) as EmailValidation,
    createPhone: async (caller: Caller, input: CreatePhoneInput) =>
      (await create(caller, 'phone', input)) as PhoneValidation,
    validateEmail: (input: ValidateEmailInput) => validate('email', input),
    validatePhone: (input: ValidatePhoneInput) => validate('phone', input),
    oneTimeCodes,
    emailValidations: store.emailValidations,
    phoneValidations: store.phoneValidations,
  };
}

/** A flow's code lifetime in minutes (`loginSettings.codeMinutes`, bounded), else the default. */
export function codeMinutesOf(settings: { codeMinutes?: number | undefined }): number {
  const m = settings.codeMinutes;
  if (typeof m !== 'number' || !Number.isFinite(m)) return codeLimits.defaultMinutes;
  return Math.min(codeLimits.maxMinutes, Math.max(codeLimits.minMinutes, Math.round(m)));
}

export type CodeValidationService = ReturnType<typeof createCodeValidationService>;
