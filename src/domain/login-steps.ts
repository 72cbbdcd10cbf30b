// The factors a login flow asks for, read from Verifik's `loginSettings.steps` (an array Verifik does not specify).
// Facegate acts on four names and ignores the rest: `email` or `phone` (a one-time code to that address),
// `liveness` (the face), `authenticator` (the person's authenticator app). A code comes before the face; the
// authenticator is always the last factor, wherever it is named. Without a code step the face is implied, as it
// always was; with a code step the face is asked for only when `liveness` is named too, so a flow can be
// passwordless (code, then perhaps the authenticator) or code then face.

export type CodeChannel = 'email' | 'phone';

export interface LoginSteps {
  /** The code asked for before anything else, and on which channel (null: no code step). */
  code: CodeChannel | null;
  /** Whether the face is one of the factors. */
  face: boolean;
  /** Whether the authenticator code closes the login. */
  authenticator: boolean;
}

const named = (steps: readonly unknown[] | undefined) =>
  (steps ?? []).filter((s): s is string => typeof s === 'string').map((s) => s.trim().toLowerCase());

export function loginStepsOf(settings: { steps?: readonly unknown[] | undefined }): LoginSteps {
  const steps = named(settings.steps);
  const code = (steps.find((s) => s === 'email' || s === 'phone') as CodeChannel | undefined) ?? null;
  return {
    code,
    face: code === null || steps.includes('liveness'),
    authenticator: steps.includes('authenticator'),
  };
}

/** A face validation of this flow needs a code passed first (it hangs from the code's app login). */
export const codeBeforeFace = (s: LoginSteps): boolean => s.code !== null && s.face;
