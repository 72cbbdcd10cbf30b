import { FRAMES_PER_STEP } from '../domain/active-challenge.js';
import { isOpen, type LivenessSession } from '../domain/biometric-validation.js';
import { AppError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { FaceEngine } from '../ports/face-engine.js';
import type { Store } from '../ports/store.js';
import { bodyOf } from './documents.js';
import type { ImageReader } from './image-input.js';
import type { TokenService } from './token.service.js';

// What a liveness-session token opens: its session and validation, the active challenge
// (`GET /v2/biometric-validations/challenge`) and the hosted page's guidance (`POST .../preview`).

export function createValidationSessionService(deps: {
  store: Store;
  tokens: TokenService;
  engine: FaceEngine;
  readImage: ImageReader;
  clock: Clock;
}) {
  const { store, tokens, clock } = deps;

  /** Records the first time an active challenge is handed out: the start of the page's capture. */
  const markIssued = async (s: LivenessSession): Promise<void> => {
    if (!s.challenge || s.challengeIssuedAt) return;
    const body = { ...bodyOf(s), challengeIssuedAt: clock.now().toISOString() };
    // A concurrent first fetch that won the write set the same moment, give or take: either is fine.
    await store.livenessSessions.update(s.client, s._id, body, s.__v);
  };

  /** Finds the session and validation a liveness-session token names, or the reason it cannot be used. */
  const open = async (token: string | undefined) => {
    if (!token) throw new AppError('livenessSessionTokenMissing');
    const claims = await tokens.verify(token, 'liveness').catch((err: unknown) => {
      throw err instanceof AppError && err.kind === 'tokenExpired' ? new AppError('livenessSessionExpired') : err;
    });
    const [session, client] = await Promise.all([
      store.livenessSessions.findById(claims.client, claims.sub),
      store.clients.findById(claims.client, claims.client),
    ]);
    // Bound to the client's token generation (#14): renew-and-revoke ends every session opened before it. A token
    // from before sessions carried one counts as generation 1, as the client's first tokens do.
    if (client && (claims.gen ?? 1) !== client.tokenGeneration) throw new AppError('tokenRevoked');
    const validation =
      session && (await store.biometricValidations.findOne(claims.client, { livenessSession: session._id }));
    if (!session || !validation || !client) throw new AppError('biometricValidationNotFound');
    return { session, validation };
  };

  return {
    open,

    /** The active-liveness steps of a session (empty in passive mode); the first call starts the capture's clock. */
    async challenge(token: string | undefined) {
      const { session, validation } = await open(token);
      if (!isOpen(validation.status)) throw new AppError('livenessSessionClosed');
      await markIssued(session);
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
      const { validation } = await open(token);
      if (!isOpen(validation.status)) throw new AppError('livenessSessionClosed');
      return deps.engine.detect(await deps.readImage(image, 'image'));
    },
  };
}

export type ValidationSessionService = ReturnType<typeof createValidationSessionService>;
