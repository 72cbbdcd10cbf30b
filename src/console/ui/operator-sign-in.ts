import type { FacegateClient } from '@facegate/client';
import { ApiError, errorText, ok } from './api.js';
import type { Language } from './i18n.js';

// "Sign in with email": an operator of a tenant signs in with the tenant's own product. The console sends them to
// the hosted sign-in page of the tenant's operators' project (`consoleAccess: true`), whose login flow asks for
// the email code and then the face and redirects back here with `?type=login&token=<app-login token>`. The token
// leaves the address bar and the history at once; it is exchanged (once) at project-login, and that access token
// for a console session (POST /v2/auth/console-session), which the console then keeps as it keeps an API token.

const OPERATOR_KEY = 'facegate.console.operator';
const ERROR_KEY = 'facegate.console.signInError';

export const operatorName = (): string | null => sessionStorage.getItem(OPERATOR_KEY);
export const forgetOperator = (): void => sessionStorage.removeItem(OPERATOR_KEY);

/** An error of the last return from the hosted page, for the sign-in screen to show once. */
export function takeSignInError(): string | null {
  const e = sessionStorage.getItem(ERROR_KEY);
  sessionStorage.removeItem(ERROR_KEY);
  return e;
}

const words = {
  en: {
    off: 'This project does not sign operators in to the console (its consoleAccess setting is off).',
    factors:
      'Signing in to the console needs the email code sent to your own address and then your face, as the person enrolled with that email.',
    used: 'This sign-in was already used. Sign in again.',
    noFlow: 'This project has no active login flow that returns to this console. Ask whoever holds the API token.',
    noProject: 'No active project has this id.',
    notEnded: 'Signed out in this tab, but the server could not be told: the session ends by itself within 8 hours.',
  },
  es: {
    off: 'Este proyecto no da acceso a los operadores a la consola (su ajuste consoleAccess está desactivado).',
    factors:
      'Para entrar en la consola hacen falta el código enviado a su propio correo y luego su rostro, como la persona inscrita con ese correo.',
    used: 'Este inicio de sesión ya se usó. Inicie sesión de nuevo.',
    noFlow:
      'Este proyecto no tiene un flujo de inicio de sesión activo que vuelva a esta consola. Pregunte a quien tiene el token de API.',
    noProject: 'Ningún proyecto activo tiene este id.',
    notEnded:
      'Sesión cerrada en esta pestaña, pero no se pudo avisar al servidor: la sesión termina sola en 8 horas como máximo.',
  },
};

function explain(err: unknown, lang: Language): string {
  const w = words[lang];
  if (err instanceof ApiError) {
    if (err.code === 'console_access_off') return w.off;
    if (err.code === 'console_needs_code_and_face' || err.code === 'second_factor_required') return w.factors;
    if (err.code === 'token_already_used') return w.used;
  }
  return errorText(err, lang);
}

/**
 * Sends the operator to the hosted page of the project's login flow that comes back to this console; resolves
 * with an error to show if there is none (the page is left otherwise).
 */
export async function startOperatorSignIn(api: FacegateClient, project: string, lang: Language): Promise<string> {
  try {
    const { data: found } = await ok(api.GET('/v2/projects/kyc', { params: { query: { id: project } } }));
    const back = `${location.origin}/console`;
    const usable = found.projectFlows.filter(
      (f) => f.type === 'login' && f.status === 'active' && f.redirectUrl?.startsWith(back),
    );
    // The console's address may name the flow (`&projectFlow=`), for a project with several that come back here.
    const named = new URLSearchParams(location.search).get('projectFlow');
    const flow = usable.find((f) => f._id === named) ?? usable[0];
    if (!flow) return words[lang].noFlow;
    const page = new URL(`/sign-in/${encodeURIComponent(project)}`, location.origin);
    page.searchParams.set('projectFlow', flow._id);
    page.searchParams.set('language', lang);
    location.assign(page.toString());
    return '';
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return words[lang].noProject;
    return errorText(err, lang);
  }
}

/** Whether the address is the hosted page's return (`?type=login&token=…`). */
export function returnsFromSignIn(): boolean {
  const params = new URLSearchParams(location.search);
  return params.get('type') === 'login' && Boolean(params.get('token'));
}

/**
 * The return from the hosted page: if the address carries an app-login token, it is removed from the address
 * and exchanged for a console session. Resolves with the session's token, or null (no return, or refused: the
 * reason is kept for the sign-in screen).
 */
export async function finishOperatorSignIn(api: FacegateClient, lang: Language): Promise<string | null> {
  const params = new URLSearchParams(location.search);
  const appLoginToken = returnsFromSignIn() ? params.get('token') : null;
  if (!appLoginToken) return null;
  params.delete('type');
  params.delete('token');
  const rest = params.toString();
  history.replaceState(null, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
  try {
    const login = await ok(
      api.POST('/v2/auth/project-login', { headers: { authorization: `Bearer ${appLoginToken}` }, body: {} }),
    );
    const session = await ok(
      api.POST('/v2/auth/console-session', {
        headers: { authorization: `Bearer ${login.data.accessToken}` },
        body: { project: login.data.appLogin.project },
      }),
    );
    sessionStorage.setItem(OPERATOR_KEY, session.data.operator.name);
    return session.data.accessToken;
  } catch (err) {
    sessionStorage.setItem(ERROR_KEY, explain(err, lang));
    return null;
  }
}

/** How long Sign out waits for the server before leaving the console anyway. */
const SIGN_OUT_WAIT_MS = 5000;

/**
 * Sign out of an operator's session ends it on the server too (DELETE /v2/auth/console-session), so a copy of its
 * token stops working. The caller has forgotten the token already, whatever this answers; it resolves with a
 * warning to show if the server did not confirm the end, or null.
 */
export async function endOperatorSession(api: FacegateClient, token: string, lang: Language): Promise<string | null> {
  try {
    await ok(
      api.DELETE('/v2/auth/console-session', {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(SIGN_OUT_WAIT_MS),
      }),
    );
    return null;
  } catch (err) {
    // Refused as over already (revoked, expired): nothing is left to end.
    if (err instanceof ApiError && (err.message === 'token_revoked' || err.message === 'token_expired')) return null;
    return words[lang].notEnded;
  }
}
