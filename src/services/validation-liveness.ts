import type { LivenessSession } from '../domain/biometric-validation.js';
import { livenessMinScoreOf, type ProjectFlow } from '../domain/project-flow.js';
import { AppError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import { activeSample } from './active-liveness.js';
import type { LivenessDeps } from './burst-analysis.js';
import type { BurstSample } from './frame-burst.js';
import { passiveBurstSample, passiveImageSample } from './passive-liveness.js';

// The liveness part of `POST /v2/biometric-validations/validate`: what was sent, checked in the session's mode.

export interface ValidateInput {
  image?: string | undefined;
  frames?: string[] | undefined;
  os?: string | undefined;
  location?: Record<string, string | number | boolean | null> | undefined;
  /** The second factor (requires2FA): the person's authenticator code, sent after the face passed. */
  authenticatorOTP?: string | undefined;
}

/** What a client sending Verifik's single `image` to an active flow needs to hear. */
const SINGLE_IMAGE_IN_ACTIVE =
  'this project flow requires the live challenge of the hosted page ("frames" following ' +
  'GET /v2/biometric-validations/challenge); a single uploaded "image" needs a flow with ' +
  'loginSettings.livenessMode "passive"';

/** Turns a validate request into a live face sample (with a burst's other enrolable frames), or throws why not. */
export type LiveSampler = (session: LivenessSession, flow: ProjectFlow, input: ValidateInput) => Promise<BurstSample>;

/**
 * Passive: one live image, or a short live burst of one face. Active (the session has a challenge): a live burst of
 * frames of one face that follows the session's challenge.
 */
export function createLiveSampler(deps: LivenessDeps & { clock: Clock }): LiveSampler {
  return async (session, flow, input) => {
    if (session.challenge) {
      if (!input.frames && input.image) throw new AppError('missingParameter', { message: SINGLE_IMAGE_IN_ACTIVE });
      const challenge = session.challenge;
      return activeSample(deps, { ...session, challenge }, input.frames ?? [], flow.loginSettings.livenessMinScore);
    }
    const minScore = livenessMinScoreOf(flow, flow.type);
    if (input.frames) return passiveBurstSample(deps, input.frames, minScore);
    if (!input.image) throw new AppError('missingParameter', { message: 'missing image' });
    return passiveImageSample(deps, input.image, minScore);
  };
}
