import type { FastifyInstance } from 'fastify';
import { OPS_ROUTE_DOCS } from './route-docs-ops.js';
import { ROUTE_EXAMPLES } from './route-examples.js';

// What the OpenAPI document says about each route beyond its schemas: a summary, which of the three tokens it
// takes (a route's own summary, where it sets one, wins): applied as routes are added, before the OpenAPI plugin
// reads them. And a request and a response example (route-examples.ts), added to the JSON schemas the zod
// transform makes (zod drops an object's metadata from an input schema that holds a transform).

type Token =
  | 'client'
  | 'liveness'
  | 'appLogin'
  | 'projectUser'
  | 'consoleSession'
  | 'optional client'
  | 'session'
  | 'none';

const TOKEN_TEXT: Record<Token, string> = {
  client: 'Token: the client API token (`Authorization: Bearer <token>`, from `facegate clients create`).',
  liveness:
    'Token: the liveness-session token, `data.token` of `POST /v2/biometric-validations` (not the client token).',
  appLogin: 'Token: the app-login token, `data.token` of `POST /v2/biometric-validations/validate`.',
  projectUser: 'Token: the access token of `POST /v2/auth/project-login`.',
  consoleSession: 'Token: the console session, `data.accessToken` of `POST /v2/auth/console-session`.',
  session:
    'Token: the client API token for `origin=refresh`; for `origin=app`, the access token of ' +
    '`POST /v2/auth/project-login` (the only route that token opens).',
  'optional client':
    'Token: the client API token, or none for the hosted page of a public, active project (the server then ' +
    'chooses a guest identifier).',
  none: 'Public: no token.',
};

const CRUD_NOUNS: Record<string, [string, string]> = {
  '/v2/projects': ['project', 'projects'],
  '/v2/project-flows': ['project flow', 'project flows'],
  '/v2/face-recognition/collections': ['face collection', 'face collections'],
};

const DOCS: Record<string, [string, Token]> = {
  'GET /health': ['Readiness, as `/health/ready` (kept for existing probes)', 'none'],
  'GET /health/ready': [
    'Readiness for a load balancer or Kubernetes: 200 when the database, the index and the face engine can serve, ' +
      'else 503 naming which cannot',
    'none',
  ],
  'GET /health/live': ['Liveness: the process answers (restart it if not)', 'none'],
  'GET /v2/auth/session': [
    'A fresh client token (`origin=refresh`, optionally longer-lived: `expiresIn` months), or who the access ' +
      'token of project-login signs in and the project settings (`origin=app`)',
    'session',
  ],
  'POST /v2/auth/session': ['As the GET: `origin=refresh` or `origin=app`', 'session'],
  'POST /v2/auth/renew-and-revoke': ['A new client token; every earlier one stops working', 'client'],
  'GET /v2/clients/webhook-secret': ['The secret that signs webhooks (X-Facegate-Signature)', 'client'],
  'POST /v2/clients/webhook-secret': ['Rotate the webhook secret', 'client'],
  'PUT /v2/clients/{id}': [
    "Update the client's own profile (name, company, address, email, phone, countryCode, avatar); another " +
      "client's id is not found",
    'client',
  ],
  'POST /v2/auth/project-login': ['Exchange an app-login token (once) for the person and an access token', 'appLogin'],
  'POST /v2/auth/console-session': [
    "An operator's console session (8 hours, the API token's rights less minting API tokens and changing " +
      '`consoleAccess`) for the project-login access token of their email-code-then-face login on the ' +
      "tenant's `consoleAccess` project",
    'projectUser',
  ],
  'DELETE /v2/auth/console-session': [
    'Sign out: ends this console session, whose token is refused from then on (403 `token_revoked`); again, ' +
      'the same answer. Another kind of token gets 403 `console_session_only`',
    'consoleSession',
  ],
  'GET /v2/projects/kyc': ['Public view of an active project and its usable flows, for hosted pages', 'none'],
  'POST /v2/face-recognition/detect': ['Detect faces: boxes, landmarks, quality', 'client'],
  'POST /v2/face-recognition/compare': ['1:1: do the probe and gallery faces match?', 'client'],
  'POST /v2/face-recognition/compare-live': [
    '1:1 with liveness: `result.passed` is the match; liveness is `liveness_score` against `liveness_min_score`',
    'client',
  ],
  'POST /v2/face-recognition/compare-with-liveness': [
    '1:1, then liveness of the probe (null when the faces do not match)',
    'client',
  ],
  'POST /v2/face-recognition/liveness': ['Passive liveness of one image (passed iff score > min_score)', 'client'],
  'POST /v2/face-recognition/liveness-score': ['Passive liveness of one image, as /liveness', 'client'],
  'POST /v2/face-recognition/persons': ['Enrol a person: 1 to 3 photos into one or more collections', 'client'],
  'GET /v2/face-recognition/persons': ['List persons (filters, sortBy/sortOrder, search by name)', 'client'],
  'GET /v2/face-recognition/persons/lookup': ['Find persons by name (contains) and date of birth', 'client'],
  'GET /v2/face-recognition/persons/{id}': ['Read a person', 'client'],
  'GET /v2/face-recognition/persons/{id}/export': [
    'Everything held about a person (record, thumbnails, app logins, audit entries; never templates), for a right-of-access request',
    'client',
  ],
  'POST /v2/face-recognition/persons/{id}/authenticator': [
    'Enrol (or replace) the person’s authenticator app (TOTP); the secret is returned only here',
    'client',
  ],
  'GET /v2/face-recognition/persons/{id}/authenticator': ['Whether the person has an authenticator app', 'client'],
  'DELETE /v2/face-recognition/persons/{id}/authenticator': ['Remove the person’s authenticator app', 'client'],
  'PUT /v2/face-recognition/persons/{id}': ['Update a person’s fields and collections (not photos)', 'client'],
  'DELETE /v2/face-recognition/persons/{id}': [
    'Delete a person and its templates, or with `?collection=` remove it from that collection only',
    'client',
  ],
  'POST /v2/face-recognition/search': ['1:N: who is this, among a collection’s persons?', 'client'],
  'POST /v2/face-recognition/search/crops': ['1:N for small face crops, as /search', 'client'],
  'POST /v2/face-recognition/verify': ['1:1 against an enrolled person', 'client'],
  'POST /v2/face-recognition/search-live-face': ['Liveness, then 1:N search', 'client'],
  'POST /v2/face-recognition/search-active-user': [
    'Liveness, then 1:N search (Verifik’s other response shape)',
    'client',
  ],
  'POST /v2/face-recognition/persons/search-live-face': [
    'Enrol with liveness and de-duplication (409 duplicated_person)',
    'client',
  ],
  'POST /v2/biometric-validations': ['Create a validation, its liveness session and session token', 'optional client'],
  'GET /v2/biometric-validations': ['List validations', 'client'],
  'POST /v2/biometric-validations/app-login': [
    'Create a login validation as a second factor of an app login',
    'appLogin',
  ],
  'POST /v2/biometric-validations/validate': ['Submit the selfie (or the active challenge’s frames)', 'liveness'],
  'GET /v2/biometric-validations/challenge': ['The active-liveness steps of a session', 'liveness'],
  'POST /v2/biometric-validations/preview': [
    'Face detection for the hosted page’s guidance; not an attempt',
    'liveness',
  ],
  'GET /v2/biometric-validations/{id}': ['Read a validation', 'client'],
  'DELETE /v2/biometric-validations/{id}': ['Delete a validation', 'client'],
  'GET /v2/liveness-sessions': ['List liveness sessions', 'client'],
  'GET /v2/liveness-sessions/{id}': ['Read a liveness session', 'client'],
  'GET /v2/app-logins': [
    'List app logins (`populates[]=biometricValidation|emailValidation|phoneValidation`)',
    'client',
  ],
  'POST /v2/email-validations': ['Send a one-time code (or magic link) to an email address', 'optional client'],
  'POST /v2/email-validations/validate': ['Check an email code; a login code answers an app-login token', 'none'],
  'POST /v2/phone-validations': ['Send a one-time code by SMS or WhatsApp', 'optional client'],
  'POST /v2/phone-validations/validate': ['Check a phone code; a login code answers an app-login token', 'none'],
  'GET /v2/app-logins/{id}': ['Read an app login', 'client'],
  ...OPS_ROUTE_DOCS,
};

function crudDoc(method: string, path: string): [string, Token] | undefined {
  const one = path.endsWith('/{id}');
  const nouns = CRUD_NOUNS[one ? path.slice(0, -'/{id}'.length) : path];
  if (!nouns) return undefined;
  const [single, plural] = nouns;
  const verb = one
    ? ({ GET: 'Read', PUT: 'Update (only the fields named; settings merge key by key)', DELETE: 'Delete' } as const)[
        method as 'GET'
      ]
    : ({ POST: 'Create', GET: 'List' } as const)[method as 'GET'];
  if (!verb) return undefined;
  return [one || method === 'POST' ? `${verb} a ${single}` : `${verb} ${plural}`, 'client'];
}

/** Registers the hook; call before the OpenAPI plugin and the routes. */
export function registerRouteDocs(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const schema = route.schema as Record<string, unknown> | undefined;
    if (!schema || schema['hide']) return;
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      const doc = DOCS[`${method} ${path}`] ?? crudDoc(method, path);
      if (!doc) continue;
      const [summary, token] = doc;
      schema['summary'] ??= summary;
      schema['description'] ??= TOKEN_TEXT[token];
      if (token === 'none') schema['security'] ??= [];
    }
  });
}

type JsonSchema = Record<string, unknown>;
interface SwaggerTransformInput {
  url: string;
  route: { method: string | string[] };
}

/** Wraps the OpenAPI plugin's schema transform: the JSON schemas it makes get the route's examples. */
export function withRouteExamples<T extends (input: never) => { schema: unknown; url: string }>(transform: T): T {
  return ((input: SwaggerTransformInput) => {
    const out = transform(input as never);
    const schema = out.schema as { body?: JsonSchema; response?: Record<string, JsonSchema> } | undefined;
    const method = [input.route.method].flat()[0];
    const example = ROUTE_EXAMPLES[`${method} ${input.url.replace(/:(\w+)/g, '{$1}')}`];
    if (!schema || !example) return out;
    if (schema.body && example.body !== undefined) schema.body = { ...schema.body, examples: [example.body] };
    const ok = schema.response?.['200'];
    if (schema.response && ok && example.response !== undefined) {
      schema.response['200'] = { ...ok, examples: [example.response] };
    }
    return out;
  }) as unknown as T;
}
