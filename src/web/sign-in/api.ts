// The page's calls to Facegate's public API (same origin). Failures become ApiError with the key the page
// translates: Verifik's convention puts `<code>[@<detail>]` in `message` (verifik-api.md §1.3).

import type { PreviewResult } from './guidance.js';
import { hasMessage, type MessageKey } from './i18n.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    /** The translation key of the reason. */
    readonly key: MessageKey,
    /** What followed '@' in the message: a detail such as `different_faces`. */
    readonly detail: string | null,
  ) {
    super(`${status} ${code}`);
    this.name = 'ApiError';
  }
}

/** Codes that mean the same to a person as one of our keys. */
const aliases: Record<string, MessageKey> = {
  Liveness_score_not_acceptable: 'liveness_failed',
  Project_not_found_or_featured_disabled: 'not_available',
  biometric_validation_not_found: 'not_available',
  engine_busy: 'busy',
  face_engine_queue_full: 'busy',
  TooManyRequests: 'busy',
  too_many_requests: 'busy',
  ServiceUnavailable: 'busy',
  service_unavailable: 'busy',
  UNAUTHORIZED: 'liveness_session_expired',
  FORBIDDEN: 'liveness_session_expired',
  token_expired: 'liveness_session_expired',
  invalid_token: 'liveness_session_expired',
  liveness_session_token_missing: 'liveness_session_expired',
};

const outcomeKeys = new Set<string>([
  'invalid_otp',
  'otp_expired',
  'otp_already_used',
  'max_attempts_exceeded',
  'resend_cooldown',
  'invalid_authenticator_otp',
  'authenticator_not_enrolled',
  'authenticator_locked',
  'transport_not_configured',
  'code_delivery_failed',
  'liveness_failed',
  'challenge_failed',
  'person_not_found',
  'duplicated_person',
  'person_already_set',
  'no_face_detected',
  'multiple_faces',
  'face_too_small',
  'face_too_blurred',
  'face_not_frontal',
  'invalid_image',
  'liveness_session_expired',
  'liveness_session_completed',
  'attempts_exhausted',
  'validation_in_progress',
]);

/** The translation key and detail of an error body `{code, message}`; unknown reasons are `generic`. */
export function reasonOf(status: number, body: unknown): { code: string; key: MessageKey; detail: string | null } {
  const b = (body && typeof body === 'object' ? body : {}) as { code?: unknown; message?: unknown };
  const code = typeof b.code === 'string' ? b.code : '';
  const message = typeof b.message === 'string' ? b.message : '';
  // Some routes prefix the status ("409:liveness_failed@0.4"); the page wants the bare code.
  // A detail follows '@' (`liveness_failed@0.4`) or ': ' (`resend_cooldown: 42`).
  const bare = message.replace(/^\d{3}:/, '');
  const at = bare.search(/@|: /);
  const head = at < 0 ? bare : bare.slice(0, at);
  const detail = at < 0 ? null : bare.slice(at + (bare[at] === '@' ? 1 : 2));
  for (const candidate of [head, code]) {
    if (outcomeKeys.has(candidate) && hasMessage(candidate)) return { code: code || candidate, key: candidate, detail };
    const alias = aliases[candidate];
    if (alias) return { code: code || candidate, key: alias, detail };
  }
  if (status === 429 || status === 503) return { code, key: 'busy', detail };
  return { code, key: 'generic', detail };
}

async function call<T>(method: 'GET' | 'POST', path: string, options: { token?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 90_000);
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'omit',
      cache: 'no-store',
      signal: controller.signal,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'network', 'network', null);
  } finally {
    clearTimeout(timer);
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const r = reasonOf(res.status, body);
    throw new ApiError(res.status, r.code, r.key, r.detail);
  }
  return body as T;
}

export type FlowType = 'login' | 'onboarding';
export type Os = 'DESKTOP' | 'IOS' | 'ANDROID';

export type CodeChannel = 'email' | 'phone';

/** The factors of a login flow as the server reads its `loginSettings.steps` (src/domain/login-steps.ts). */
export interface LoginPlan {
  /** A code before anything else, on this channel. */
  code: CodeChannel | null;
  face: boolean;
  authenticator: boolean;
  /** Which gateway a phone code goes by. */
  phoneGateway: 'sms' | 'whatsapp';
  /** Seconds before another code may be sent to the same address. */
  resendSeconds: number;
  /** Which channels the flow lets a magic link use. */
  channels: CodeChannel[];
}

export interface PublicFlow {
  _id: string;
  type: FlowType;
  status: string;
  redirectUrl: string | null;
  loginSettings: { livenessMinScore: number; livenessMode?: 'passive' | 'active' };
  onboardingSettings: { liveness: { livenessMinScore: number } };
  /** Login flows: the steps (absent: the face only). */
  plan?: LoginPlan;
}

export interface CreatedValidation {
  token: string;
  livenessSession: { _id: string; expiresAt: string };
  biometricValidation: { _id: string; status: string; type: FlowType };
}

export interface Challenge {
  mode: 'passive' | 'active';
  steps: string[];
  framesPerStep?: number;
  language?: string;
}

export interface ValidateResult {
  /** `message: second_factor_required`: the face passed and the authenticator code is due (no token yet). */
  data:
    | { token: string; person: string; message?: undefined }
    | { message: 'second_factor_required'; token?: undefined };
}

export type CodeAddress = { email: string } | { phone: string; countryCode: string };

export type CodeResult =
  | { token: string | null; nextStep?: 'liveness'; message?: undefined }
  | { message: 'second_factor_required'; token?: undefined };

export const api = {
  /** Without a token: the server chooses the validation's (guest) identifier. */
  async createValidation(body: {
    project: string;
    projectFlow: string;
    type: FlowType;
    language: string;
  }): Promise<CreatedValidation> {
    return (await call<{ data: CreatedValidation }>('POST', '/v2/biometric-validations', { body })).data;
  },
  async challenge(token: string): Promise<Challenge> {
    return (await call<{ data: Challenge }>('GET', '/v2/biometric-validations/challenge', { token })).data;
  },
  async preview(token: string, image: string): Promise<PreviewResult> {
    return (
      await call<{ data: PreviewResult }>('POST', '/v2/biometric-validations/preview', { token, body: { image } })
    ).data;
  },
  validate(
    token: string,
    body: { image?: string; frames?: string[]; os: Os } | { authenticatorOTP: string },
  ): Promise<ValidateResult> {
    return call<ValidateResult>('POST', '/v2/biometric-validations/validate', { token, body });
  },
  /** The face validation that follows a code: it hangs from the code's (pending) app login. */
  async createAfterCode(
    codeToken: string,
    body: { project: string; projectFlow: string; type: 'login'; language: string },
  ): Promise<CreatedValidation> {
    return (
      await call<{ data: CreatedValidation }>('POST', '/v2/biometric-validations/app-login', {
        token: codeToken,
        body,
      })
    ).data;
  },
  async sendCode(
    channel: CodeChannel,
    body: CodeAddress & {
      project: string;
      projectFlow: string;
      type: 'login';
      language: string;
      phoneGateway?: 'sms' | 'whatsapp';
    },
  ): Promise<{ expiresAt: string }> {
    const path = channel === 'email' ? '/v2/email-validations' : '/v2/phone-validations';
    return (await call<{ data: { expiresAt: string } }>('POST', path, { body })).data;
  },
  async checkCode(
    channel: CodeChannel,
    body: CodeAddress & { otp: string; project: string; projectFlow: string; type: 'login'; authenticatorOTP?: string },
  ): Promise<CodeResult> {
    const path = channel === 'email' ? '/v2/email-validations/validate' : '/v2/phone-validations/validate';
    return (await call<{ data: CodeResult }>('POST', path, { body })).data;
  },
};

/** What the server calls the device (Verifik's `os`), from the user agent; iPadOS passes itself off as a Mac. */
export function osOf(userAgent: string, maxTouchPoints: number): Os {
  if (/iPhone|iPad|iPod/i.test(userAgent) || (/Macintosh/.test(userAgent) && maxTouchPoints > 1)) return 'IOS';
  if (/Android/i.test(userAgent)) return 'ANDROID';
  return 'DESKTOP';
}

/**
 * Where to send the person after success: the flow's redirect URL with `type` and `token` added (an existing query
 * is kept). Null when there is no usable http(s) URL, so a stored `javascript:` URL can never run.
 */
export function redirectTarget(redirectUrl: string | null | undefined, type: FlowType, token: string): string | null {
  if (!redirectUrl) return null;
  let url: URL;
  try {
    url = new URL(redirectUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  url.searchParams.set('type', type);
  url.searchParams.set('token', token);
  return url.toString();
}
