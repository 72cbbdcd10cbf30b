import { randomInt } from 'node:crypto';
import {
  type ChallengeStep,
  FRAMES_PER_STEP,
  type FrameFeatures,
  followsChallenge,
  pickChallenge,
} from '../domain/active-challenge.js';
import type { AppLogin } from '../domain/app-login.js';
import {
  type BiometricValidation,
  canTransition,
  isOpen,
  type LivenessSession,
  toKeyValues,
} from '../domain/biometric-validation.js';
import { emptyListQuery } from '../domain/list-query.js';
import type { FlowType, ProjectFlow } from '../domain/project-flow.js';
import { livenessVerdict, roundScore } from '../domain/scores.js';
import { AppError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { AnalyseOptions, FaceEngine, FaceSample } from '../ports/face-engine.js';
import type { BatchRepositories, Store } from '../ports/store.js';
import { bodyOf } from './documents.js';
import { mostFrontal, requireSameFace, sharpestFrontal } from './frame-burst.js';
import type { ImageReader } from './image-input.js';
import { burstLiveness, requireLive } from './liveness-check.js';
import type { PersonService } from './person.service.js';
import type { SearchService } from './search.service.js';
import type { TokenService } from './token.service.js';
import { webhookEvent } from './webhook-events.js';

// The heart of Facegate: a biometric validation is a short session in which one selfie (or a short burst of
// frames: always in active mode, from the hosted page in passive mode) is checked for liveness, searched 1:N in
// the project's collection, and then logs a known person in or enrols a new one. Every state change is a
// conditional write on the document's version, made in the same transaction as the webhook events that announce it.

export interface CreateValidationInput {
  project: string;
  projectFlow: string;
  identifier: string;
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

export interface ValidateInput {
  image?: string | undefined;
  frames?: string[] | undefined;
  os: string;
  location?: Record<string, string | number | boolean | null> | undefined;
}

/** Who is creating: an integrator with an API token, or the public hosted page (no token). */
export type Caller = { kind: 'client'; clientId: string } | { kind: 'public' };

const MAX_SESSION_MS = 60 * 60_000;
const MIN_SESSION_MS = 30_000;
const APP_LOGIN_TOKEN_MS = 15 * 60_000;
const PROCESSING_LEASE_MS = 60_000;
/**
 * Frames of a passive burst. At least two, or it is a single photo; at most eight, so that one attempt costs the
 * engine a bounded amount of work (the hosted page sends three).
 */
const PASSIVE_FRAMES = { min: 2, max: 8 } as const;
/** Frames of a passive burst that may be left out (the same gates as a single image, applied per frame). */
const SKIPPABLE_FRAME: ReadonlySet<string> = new Set(['noFace', 'faceTooSmall', 'faceTooBlurred', 'faceNotFrontal']);
const NO_SKIPPING: ReadonlySet<string> = new Set();
const isSample = (o: FaceSample | AppError): o is FaceSample => !(o instanceof AppError);
/** Image errors that say "retake the photo": they do not use up one of the session's attempts. */
const RETAKE = new Set([
  'noFace',
  'multipleFaces',
  'faceTooSmall',
  'faceTooBlurred',
  'faceNotFrontal',
  'imageInvalid',
  'preconditionFailed',
]);

const wholeSecond = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

export function createBiometricValidationService(deps: {
  store: Store;
  tokens: TokenService;
  clock: Clock;
  engine: FaceEngine;
  search: SearchService;
  persons: PersonService;
  readImage: ImageReader;
  publicUrl: string;
  random?: () => number;
}) {
  const { store, tokens, clock, engine } = deps;
  const random = deps.random ?? (() => randomInt(2 ** 32) / 2 ** 32);

  const webhookUrlOf = (v: BiometricValidation, flow: ProjectFlow | undefined) =>
    v.webhookUrl ?? flow?.webhookUrl ?? null;

  const emit = async (
    tx: Pick<BatchRepositories, 'webhooks'>,
    v: BiometricValidation,
    flow: ProjectFlow | undefined,
    type: string,
    object?: unknown,
  ) => {
    const url = webhookUrlOf(v, flow);
    if (url) await tx.webhooks.enqueue(webhookEvent(v.client, url, type, object ?? v));
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

  /** Finds the session and validation a liveness-session token names, or the reason it cannot be used. */
  const openSession = async (token: string | undefined) => {
    if (!token) throw new AppError('livenessSessionTokenMissing');
    const claims = await tokens.verify(token, 'liveness').catch((err: unknown) => {
      throw err instanceof AppError && err.kind === 'tokenExpired' ? new AppError('livenessSessionExpired') : err;
    });
    const session = await store.livenessSessions.findById(claims.client, claims.sub);
    const validation =
      session && (await store.biometricValidations.findOne(claims.client, { livenessSession: session._id }));
    if (!session || !validation) throw new AppError('biometricValidationNotFound');
    return { session, validation };
  };

  const expire = async (v: BiometricValidation): Promise<boolean> => {
    const flow = await store.projectFlows.findById(v.client, v.projectFlow);
    return store.transaction(async (tx) => {
      const updated = await tx.biometricValidations.update(v.client, v._id, { ...bodyOf(v), status: 'expired' }, v.__v);
      if (!updated) return false;
      const s = await tx.livenessSessions.findById(v.client, v.livenessSession);
      if (s?.status === 'active')
        await tx.livenessSessions.update(v.client, s._id, { ...bodyOf(s), status: 'expired' }, s.__v);
      await emit(tx, updated, flow, 'biometric_validation_expired');
      return true;
    });
  };

  const service = {
    async create(caller: Caller, input: CreateValidationInput, options: { parentAppLogin?: string } = {}) {
      const {
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
      if (caller.kind === 'public' && (input.redirectUrl || input.webhookUrl || input.expiresAt)) {
        // A stranger must not point someone else's flow at their own redirect or webhook.
        throw new AppError('unauthorized', { message: 'redirectUrl, webhookUrl and expiresAt need an API token' });
      }
      if (!collection) throw new AppError('collectionNotSet');
      const expiresAt = sessionExpiry(flow, input.expiresAt).toISOString();
      const now = clock.now().toISOString();
      const challenge = flow.loginSettings.livenessMode === 'active' ? pickChallenge(random) : null;

      // Inserts only: one statement on PostgreSQL, where a transaction would take four round trips.
      const { session, validation } = await store.batch(async (tx) => {
        const session = await tx.livenessSessions.insert({
          client: clientId,
          project: project._id,
          projectFlow: flow._id,
          identifier: input.identifier,
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
        });
        const validation = await tx.biometricValidations.insert({
          client: clientId,
          project: project._id,
          projectFlow: flow._id,
          livenessSession: session._id,
          status: 'new',
          type: input.type,
          url: `${deps.publicUrl}/sign-in/${project._id}?type=${input.type === 'login' ? 'liveness' : 'onboarding'}`,
          livenessScore: 0,
          assignedCollection: collection._id,
          collectionCode: collection.code,
          requires2FA: input.requires2FA ?? false,
          identifier: input.identifier,
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
        await emit(tx, validation, flow, 'biometric_validation_new');
        return { session, validation };
      });
      const token = await tokens.sign(
        { typ: 'liveness', client: clientId, sub: session._id, project: project._id },
        new Date(expiresAt),
      );
      return { livenessSession: session, biometricValidation: validation, token };
    },

    /** The active-liveness steps of a session (empty in passive mode). */
    async challenge(token: string | undefined) {
      const { session, validation } = await openSession(token);
      if (!isOpen(validation.status)) throw new AppError('livenessSessionClosed');
      return {
        mode: session.challenge ? ('active' as const) : ('passive' as const),
        steps: session.challenge ?? [],
        framesPerStep: session.challenge ? FRAMES_PER_STEP : 0,
        // A page handed an integrator's validation follows the language it was created with.
        language: validation.language,
      };
    },

    /** A cheap detection for the hosted page's guidance; it does not count as an attempt. */
    async preview(token: string | undefined, image: string) {
      const { validation } = await openSession(token);
      if (!isOpen(validation.status)) throw new AppError('livenessSessionClosed');
      return engine.detect(await deps.readImage(image, 'image'));
    },

    async validate(token: string | undefined, input: ValidateInput) {
      const opened = await openSession(token);
      let v = opened.validation;
      const session = opened.session;
      if (clock.now().getTime() >= Date.parse(v.expiresAt)) {
        if (isOpen(v.status)) await expire(v);
        throw new AppError('livenessSessionExpired');
      }
      if (v.status === 'expired') throw new AppError('livenessSessionExpired');
      if (v.status === 'failed') throw new AppError('attemptsExhausted');
      if (!isOpen(v.status)) throw new AppError('livenessSessionClosed');
      if (v.processingUntil && Date.parse(v.processingUntil) > clock.now().getTime()) {
        throw new AppError('validationInProgress');
      }

      // Claim the session: one attempt at a time, counted before any work is done.
      const claimed = await store.biometricValidations.update(
        v.client,
        v._id,
        {
          ...bodyOf(v),
          status: 'pending',
          attempts: v.attempts + 1,
          processingUntil: new Date(clock.now().getTime() + PROCESSING_LEASE_MS).toISOString(),
        },
        v.__v,
      );
      if (!claimed) throw new AppError('validationInProgress');
      v = claimed;
      const flow = await store.projectFlows.findById(v.client, v.projectFlow);
      if (!flow) throw new AppError('projectNotFound');

      try {
        const sample = await service.liveSample(session, flow, input);
        return await (v.type === 'login' ? loginWith(v, session, flow, sample) : onboardWith(v, session, flow, sample));
      } catch (err) {
        await recordFailure(v, session, flow, err);
        throw err;
      }
    },

    /**
     * Passive: one live image, or a short live burst of one face (the hosted page's: a single webcam frame of a live
     * face can score near zero, so the burst's median frame decides). Active: a live burst of frames of one face
     * that follows the session's challenge.
     */
    async liveSample(session: LivenessSession, flow: ProjectFlow, input: ValidateInput): Promise<FaceSample> {
      const minScore = session.challenge
        ? flow.loginSettings.livenessMinScore
        : livenessMin(flow, sessionType(session, flow));
      if (!session.challenge && input.frames) {
        const n = input.frames.length;
        if (n < PASSIVE_FRAMES.min || n > PASSIVE_FRAMES.max) {
          throw new AppError('missingParameter', {
            message: `"frames" must hold ${PASSIVE_FRAMES.min} to ${PASSIVE_FRAMES.max} images in passive mode (or send one "image")`,
          });
        }
        const { best, liveness } = await passiveBurst(input.frames, minScore);
        return { ...best, liveness };
      }
      if (!session.challenge) {
        if (!input.image) throw new AppError('missingParameter', { message: 'missing image' });
        const sample = await engine.analyse(await deps.readImage(input.image, 'image'), {
          liveness: true,
          thumbnail: true,
        });
        requireLive([sample.liveness ?? 0], minScore);
        return sample;
      }
      const frames = input.frames ?? [];
      const expected = session.challenge.length * FRAMES_PER_STEP;
      if (frames.length !== expected) {
        throw new AppError('missingParameter', {
          message: `"frames" must hold ${expected} images (${FRAMES_PER_STEP} per step)`,
        });
      }
      // Every frame counts toward the challenge, so none is skipped (and the gates are off: heads turn on purpose).
      const analysed = await analyseFrames(
        frames,
        { liveness: true, thumbnail: true, pose: true, qualityGates: false },
        NO_SKIPPING,
      );
      const { samples, best, liveness } = judgeBurst(analysed.filter(isSample), minScore, mostFrontal);
      const features: FrameFeatures[] = samples.map((s) => ({
        yaw: s.pose?.yaw ?? 0,
        eyesOpen: s.pose?.eyesOpen ?? 1,
      }));
      if (!followsChallenge(session.challenge as ChallengeStep[], features)) throw new AppError('challengeFailed');
      return { ...best, liveness };
    },

    /** Marks open validations past their expiry as expired; returns how many it expired. */
    async expireOverdue(limit = 200): Promise<number> {
      const overdue = await store.biometricValidations.list(
        null,
        emptyListQuery({
          in: { status: ['new', 'pending'] },
          lte: { expiresAt: clock.now().toISOString() },
          sort: [{ field: 'expiresAt', desc: false }],
          perPage: limit,
        }),
      );
      let n = 0;
      for (const v of overdue.items) if (await expire(v)) n++;
      return n;
    },

    /** Exchanges an app-login token, once, for the result: who logged in, for the integrator's backend. */
    async projectLogin(token: string | undefined) {
      if (!token) throw new AppError('unauthorized');
      const claims = await tokens.verify(token, 'appLogin');
      const login = await store.appLogins.findById(claims.client, claims.sub);
      if (!login) throw new AppError('notFound');
      if (login.exchangedAt) throw new AppError('tokenAlreadyUsed');
      const result = await store.transaction(async (tx) => {
        const exchangedAt = clock.now().toISOString();
        const used = await tx.appLogins.update(login.client, login._id, { ...bodyOf(login), exchangedAt }, login.__v);
        if (!used) throw new AppError('tokenAlreadyUsed');
        const v = await tx.biometricValidations.findById(login.client, login.biometricValidation);
        if (v && canTransition(v.status, 'completed')) {
          const done = await tx.biometricValidations.update(
            v.client,
            v._id,
            { ...bodyOf(v), status: 'completed' },
            v.__v,
          );
          const flow = await tx.projectFlows.findById(v.client, v.projectFlow);
          if (done) await emit(tx, done, flow, 'biometric_validation_completed');
        }
        return used;
      });
      const accessToken = await tokens.sign(
        { typ: 'projectUser', client: login.client, sub: login.person, project: login.project },
        new Date(clock.now().getTime() + 60 * 60_000),
      );
      return { accessToken, appLogin: result, person: await deps.persons.get(login.client, login.person) };
    },
  };

  /**
   * Analyses every frame of a burst. A frame refused for one of the `skippable` reasons comes back as that error
   * instead of failing the burst; any other refusal (an unreadable image) fails it.
   */
  const analyseFrames = (frames: readonly string[], options: AnalyseOptions, skippable: ReadonlySet<string>) =>
    Promise.all(
      frames.map(async (f, i): Promise<FaceSample | AppError> => {
        try {
          return await engine.analyse(await deps.readImage(f, `frames[${i}]`), options);
        } catch (err) {
          if (err instanceof AppError && skippable.has(err.kind)) return err;
          throw err;
        }
      }),
    );

  /** A burst of one live face: its median frame's liveness, and the frame `choose` picks to stand for it. */
  const judgeBurst = (samples: FaceSample[], minScore: number, choose: (s: readonly FaceSample[]) => FaceSample) => {
    const liveness = burstLiveness(samples.map((s) => s.liveness ?? 0));
    requireLive([liveness], minScore);
    const best = choose(samples);
    requireSameFace(samples, best, (a, b) => engine.similarity(a, b));
    return { samples, best, liveness };
  };

  /**
   * The passive burst: a frame that only needs a retake (blurred by a movement, no face for an instant) is left out
   * while most of the burst is usable, so one bad frame does not send the person back to the camera. Otherwise the
   * first frame's reason is the answer. An image that is not an image is never skipped.
   */
  const passiveBurst = async (frames: readonly string[], minScore: number) => {
    const outcomes = await analyseFrames(frames, { liveness: true, thumbnail: true }, SKIPPABLE_FRAME);
    const usable = outcomes.filter(isSample);
    if (usable.length < PASSIVE_FRAMES.min || usable.length * 2 < frames.length) {
      throw outcomes.find((o) => o instanceof AppError);
    }
    return judgeBurst(usable, minScore, sharpestFrontal);
  };

  const sessionType = (_s: LivenessSession, flow: ProjectFlow) => flow.type;
  const livenessMin = (flow: ProjectFlow, type: FlowType) =>
    type === 'login' ? flow.loginSettings.livenessMinScore : flow.onboardingSettings.liveness.livenessMinScore;

  /** Persons of the collection enrolled under this identifier. */
  const enrolledUnder = async (v: BiometricValidation): Promise<string[]> => {
    const persons = await store.persons.list(
      v.client,
      emptyListQuery({ where: { identifier: v.identifier }, sort: [{ field: 'createdAt', desc: false }], perPage: 50 }),
    );
    const ids = persons.items.map((p) => p._id);
    const members = await store.faceData.collectionsOf(v.client, ids);
    return ids.filter((id) => members.some((m) => m.personId === id && m.collectionId === v.assignedCollection));
  };

  const collectionOf = async (v: BiometricValidation) => {
    const c = await store.collections.findById(v.client, v.assignedCollection);
    if (!c) throw new AppError('collectionNotSet');
    return c;
  };

  const succeed = async (
    v: BiometricValidation,
    session: LivenessSession,
    flow: ProjectFlow,
    sample: FaceSample,
    result: {
      personId: string;
      personName: string;
      face: string | null;
      comparison: Record<string, string | number | boolean | null>;
    },
    events: string[],
  ) => {
    const now = clock.now().toISOString();
    const livenessScore = roundScore(sample.liveness ?? 0);
    const out = await store.transaction(async (tx) => {
      const appLogin = await tx.appLogins.insert({
        client: v.client,
        project: v.project,
        projectFlow: v.projectFlow,
        status: 'validated',
        type: 'faceLiveness',
        biometricValidation: v._id,
        livenessSession: session._id,
        face: result.face,
        name: result.personName,
        person: result.personId,
        identifier: v.identifier,
        emailValidation: null,
        phoneValidation: null,
        accessControlLog: null,
        exchangedAt: null,
      } satisfies Omit<AppLogin, '_id' | 'createdAt' | 'updatedAt' | '__v'>);
      const validated = await tx.biometricValidations.update(
        v.client,
        v._id,
        {
          ...bodyOf(v),
          status: 'validated',
          livenessScore,
          person: result.personId,
          appLogin: appLogin._id,
          failureReason: null,
          completedAt: now,
          processingUntil: null,
        },
        v.__v,
      );
      // Another request changed the validation meanwhile (it expired, or was deleted): nothing is granted.
      if (!validated) throw new AppError('validationInProgress');
      const s = await tx.livenessSessions.findById(v.client, session._id);
      const completed =
        s &&
        (await tx.livenessSessions.update(
          v.client,
          s._id,
          {
            ...bodyOf(s),
            status: 'completed',
            livenessResult: livenessEntries(sample, flow, v.type),
            comparisonResult: toKeyValues(result.comparison),
          },
          s.__v,
        ));
      for (const e of events) await emit(tx, validated, flow, e);
      return { appLogin, validation: validated, session: completed ?? s ?? null };
    });
    const token = await tokens.sign(
      { typ: 'appLogin', client: v.client, sub: out.appLogin._id, project: v.project },
      new Date(clock.now().getTime() + APP_LOGIN_TOKEN_MS),
    );
    return {
      appLogin: out.appLogin,
      livenessSession: out.session,
      biometricValidation: out.validation,
      person: result.personId,
      token,
    };
  };

  const livenessEntries = (sample: FaceSample, flow: ProjectFlow, type: FlowType) =>
    toKeyValues({ ...livenessVerdict(sample.liveness ?? 0, livenessMin(flow, type)) });

  async function loginWith(v: BiometricValidation, session: LivenessSession, flow: ProjectFlow, sample: FaceSample) {
    const collection = await collectionOf(v);
    const minScore = flow.loginSettings.searchMinScore;
    const [hit] = await deps.search.run(v.client, {
      probes: [sample],
      collections: [collection],
      minScore,
      mode: flow.loginSettings.searchMode,
      maxResults: 1,
    });
    // If the identifier names someone enrolled here, only that person may log in with this session.
    const expected = await enrolledUnder(v);
    if (!hit || (expected.length > 0 && !expected.includes(hit.person._id))) {
      // No score in the answer: the caller may be an attacker, and a score is a gradient to climb.
      throw new AppError('personNotFound');
    }
    return succeed(
      v,
      session,
      flow,
      sample,
      {
        personId: hit.person._id,
        personName: hit.person.name,
        face: hit.person.thumbnails[0]?.id ?? null,
        comparison: { score: hit.score, min_score: minScore, passed: true, person: hit.person._id },
      },
      ['biometric_validation_validated'],
    );
  }

  async function onboardWith(v: BiometricValidation, session: LivenessSession, flow: ProjectFlow, sample: FaceSample) {
    const collection = await collectionOf(v);
    const settings = flow.onboardingSettings.liveness;
    if ((await enrolledUnder(v)).length > 0) throw new AppError('personAlreadySet');
    const [dupe] = await deps.search.run(v.client, {
      probes: [sample],
      collections: [collection],
      minScore: settings.searchMinScore,
      mode: settings.searchMode,
      maxResults: 1,
    });
    if (dupe) throw new AppError('duplicatedPerson');
    const person = await deps.persons.enrol(
      v.client,
      { name: v.identifier, identifier: v.identifier, collections: [collection._id] },
      [sample],
    );
    return succeed(
      v,
      session,
      flow,
      sample,
      {
        personId: person._id,
        personName: person.name,
        face: person.thumbnails[0]?.id ?? null,
        comparison: { score: 0, min_score: settings.searchMinScore, passed: true, person: person._id },
      },
      ['biometric_validation_created_person', 'biometric_validation_validated'],
    );
  }

  /** Records a failed attempt: why, the scores, and `failed` once the attempts are used up. */
  async function recordFailure(v: BiometricValidation, session: LivenessSession, flow: ProjectFlow, err: unknown) {
    const reason = err instanceof AppError ? err.code : 'internal_error';
    const retake = err instanceof AppError && RETAKE.has(err.kind);
    const attempts = retake ? v.attempts - 1 : v.attempts;
    const exhausted = !retake && attempts >= v.maxAttempts;
    const score =
      err instanceof AppError && err.kind === 'livenessFailed' ? Number(err.message.split('@')[1]) : undefined;
    await store.transaction(async (tx) => {
      const updated = await tx.biometricValidations.update(
        v.client,
        v._id,
        {
          ...bodyOf(v),
          status: exhausted ? 'failed' : v.status,
          attempts,
          failureReason: reason,
          livenessScore: score ?? v.livenessScore,
          processingUntil: null,
        },
        v.__v,
      );
      if (!updated) return;
      if (score !== undefined) {
        const s = await tx.livenessSessions.findById(v.client, session._id);
        if (s) {
          const min = livenessMin(flow, v.type);
          await tx.livenessSessions.update(
            v.client,
            s._id,
            { ...bodyOf(s), livenessResult: toKeyValues({ liveness_score: score, min_score: min, passed: false }) },
            s.__v,
          );
        }
        await emit(tx, updated, flow, 'biometric_validation_liveness_failed');
      }
      if (exhausted) await emit(tx, updated, flow, 'biometric_validation_failed');
    });
  }

  return service;
}

export type BiometricValidationService = ReturnType<typeof createBiometricValidationService>;
