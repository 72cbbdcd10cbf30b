import {
  type BiometricValidation,
  type FaceResult,
  isOpen,
  type LivenessSession,
  MAX_CODE_ATTEMPTS,
  toKeyValues,
} from '../domain/biometric-validation.js';
import { livenessMinScoreOf, type ProjectFlow } from '../domain/project-flow.js';
import { AppError, usesAttempt } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import type { AuthenticatorService } from './authenticator.service.js';
import { bodyOf } from './documents.js';
import type { ValidationExpiryService } from './validation-expiry.service.js';
import type { LiveSampler, ValidateInput } from './validation-liveness.js';
import type { ValidationOutcomes } from './validation-outcome.js';
import type { ValidationSessionService } from './validation-session.service.js';
import { emitValidationEvent } from './validation-webhooks.js';

// `POST /v2/biometric-validations/validate`: one attempt of a session. The attempt claims the session (a conditional
// write on its version, so two selfies cannot both succeed), checks liveness in the session's mode, then logs in or
// enrols; a failure is recorded on the validation and its session, and fails the validation once attempts run out.

const PROCESSING_LEASE_MS = 60_000;

/** The liveness score a failed liveness check kept in its error (never in the response). */
const livenessScoreOf = (err: unknown): number | undefined => {
  if (!(err instanceof AppError) || err.kind !== 'livenessFailed') return undefined;
  const score = err.detail?.['livenessScore'];
  return typeof score === 'number' ? score : undefined;
};

export function createValidateService(deps: {
  store: Store;
  clock: Clock;
  sessions: Pick<ValidationSessionService, 'open'>;
  expiry: Pick<ValidationExpiryService, 'expire'>;
  liveSample: LiveSampler;
  outcomes: ValidationOutcomes;
  authenticators: Pick<AuthenticatorService, 'verify'>;
}) {
  const { store, clock } = deps;

  /**
   * Records a failed attempt: why, the scores, and `failed` once the attempts are used up. A failure the catalogue
   * marks `usesAttempt: false` (a photo to retake, a busy engine) gives the attempt back.
   */
  async function recordFailure(v: BiometricValidation, session: LivenessSession, flow: ProjectFlow, err: unknown) {
    const reason = err instanceof AppError ? err.code : 'internal_error';
    const counted = usesAttempt(err);
    const attempts = counted ? v.attempts : v.attempts - 1;
    const exhausted = counted && attempts >= v.maxAttempts;
    const score = livenessScoreOf(err);
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
          const min = livenessMinScoreOf(flow, v.type);
          await tx.livenessSessions.update(
            v.client,
            s._id,
            { ...bodyOf(s), livenessResult: toKeyValues({ liveness_score: score, min_score: min, passed: false }) },
            s.__v,
          );
        }
        await emitValidationEvent(tx, updated, flow, 'biometric_validation_liveness_failed');
      }
      if (exhausted) await emitValidationEvent(tx, updated, flow, 'biometric_validation_failed');
    });
  }

  /**
   * The second step of a login that requires a second factor: the face passed (the validation holds what it
   * found), and now the person's authenticator code decides. A wrong code counts toward the validation's
   * `MAX_CODE_ATTEMPTS` (then it fails) and toward the authenticator's own bound.
   */
  async function secondFactor(v: BiometricValidation, session: LivenessSession, held: FaceResult, code: string) {
    const claimed = await store.biometricValidations.update(
      v.client,
      v._id,
      {
        ...bodyOf(v),
        processingUntil: new Date(clock.now().getTime() + PROCESSING_LEASE_MS).toISOString(),
      },
      v.__v,
    );
    if (!claimed) throw new AppError('validationInProgress');
    const flow = await store.projectFlows.findById(v.client, v.projectFlow);
    if (!flow) throw new AppError('projectNotFound');
    try {
      await deps.authenticators.verify(v.client, held.person, code);
    } catch (err) {
      const counted = usesAttempt(err);
      const codeAttempts = held.codeAttempts + (counted ? 1 : 0);
      const exhausted = codeAttempts >= MAX_CODE_ATTEMPTS;
      await store.transaction(async (tx) => {
        const updated = await tx.biometricValidations.update(
          v.client,
          v._id,
          {
            ...bodyOf(claimed),
            status: exhausted ? 'failed' : claimed.status,
            failureReason: err instanceof AppError ? err.code : 'internal_error',
            faceResult: { ...held, codeAttempts },
            processingUntil: null,
          },
          claimed.__v,
        );
        if (updated && exhausted) await emitValidationEvent(tx, updated, flow, 'biometric_validation_failed');
      });
      throw err;
    }
    return deps.outcomes.grantHeld(claimed, session, flow, held);
  }

  return {
    async validate(token: string | undefined, input: ValidateInput) {
      const opened = await deps.sessions.open(token);
      let v = opened.validation;
      const session = opened.session;
      if (clock.now().getTime() >= Date.parse(v.expiresAt)) {
        if (isOpen(v.status)) await deps.expiry.expire(v);
        throw new AppError('livenessSessionExpired');
      }
      if (v.status === 'expired') throw new AppError('livenessSessionExpired');
      if (v.status === 'failed') throw new AppError('attemptsExhausted');
      if (!isOpen(v.status)) throw new AppError('livenessSessionClosed');
      if (v.processingUntil && Date.parse(v.processingUntil) > clock.now().getTime()) {
        throw new AppError('validationInProgress');
      }
      if (input.authenticatorOTP !== undefined) {
        if (!v.faceResult) throw new AppError('secondFactorNotDue');
        return secondFactor(v, session, v.faceResult, input.authenticatorOTP);
      }
      // The face passed already; only the second factor is missing.
      if (v.faceResult) throw new AppError('secondFactorRequired');

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
        const sample = await deps.liveSample(session, flow, input);
        return await (v.type === 'login'
          ? deps.outcomes.login(v, session, flow, sample)
          : deps.outcomes.onboard(v, session, flow, sample));
      } catch (err) {
        await recordFailure(v, session, flow, err);
        throw err;
      }
    },
  };
}

export type ValidateService = ReturnType<typeof createValidateService>;
