import { createFacegateClient, type FacegateClient, isFacegateError } from '@facegate/client';
import { type Language, translate } from './i18n.js';

// The console's one client instance. The token lives in sessionStorage only (gone with the tab, never in the URL
// or a log) and is read on every request, so signing out takes effect at once.

const TOKEN_KEY = 'facegate.console.token';

export const storedToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);
export const storeToken = (token: string): void => sessionStorage.setItem(TOKEN_KEY, token);
export const forgetToken = (): void => sessionStorage.removeItem(TOKEN_KEY);

export function createConsoleApi(onUnauthorized: () => void): FacegateClient {
  const api = createFacegateClient({ baseUrl: location.origin, token: storedToken });
  api.use({
    async onResponse({ response }) {
      const over = response.status === 401 || (response.status === 403 && (await endsSession(response)));
      // Checked after the await: of several calls refused together, only the first signs the operator out.
      if (over && storedToken()) onUnauthorized();
      return response;
    },
  });
  return api;
}

/** The answers that mean the token itself is over (renewed elsewhere, or past its date), not a refused action. */
const SESSION_OVER = new Set(['token_expired', 'token_revoked']);

async function endsSession(response: Response): Promise<boolean> {
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => null);
  return isFacegateError(body) && SESSION_OVER.has(body.message);
}

/** A failed call: the API's code and message, or `network` when no answer came. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

type Result<T> = { data?: T; error?: unknown; response: Response };

/** The body of a successful call, or throws an ApiError (so a screen writes one try/catch, not one per field). */
export async function ok<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await call;
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError('network', err instanceof Error ? err.message : String(err), 0);
  }
  if (result.error !== undefined || !result.response.ok) {
    const e = result.error;
    if (isFacegateError(e)) throw new ApiError(e.code, e.message, result.response.status, e.requestId);
    throw new ApiError('http', `HTTP ${result.response.status}`, result.response.status);
  }
  return result.data as T;
}

/** An error as an operator should read it: what happened, and the request id to quote. */
export function errorText(err: unknown, lang: Language): string {
  if (err instanceof ApiError) {
    if (err.code === 'network') return translate(lang, 'error.network');
    if (err.status === 401 || SESSION_OVER.has(err.message)) return translate(lang, 'error.unauthorized');
    const id = err.requestId ? ` (${translate(lang, 'error.request', { requestId: err.requestId })})` : '';
    return `${err.message} [${err.code}]${id}`;
  }
  return err instanceof Error && err.message ? err.message : translate(lang, 'error.generic');
}
