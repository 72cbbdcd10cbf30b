import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from './schema.js';

// Facegate's typed client: openapi-fetch over the types openapi-typescript generated from openapi.json, so every
// path, query, body and response is checked at compile time against the API the server documents.

export type { components, operations, paths } from './schema.js';

/** The body of every Facegate error (Verifik's shape plus the request id to quote to an operator). */
export interface FacegateError {
  code: string;
  message: string;
  requestId?: string;
}

export interface FacegateClientOptions extends ClientOptions {
  /**
   * The bearer token sent with every request: the client API token for management and face recognition, or a
   * function read on each request (so a signed-out browser tab stops sending it at once).
   */
  token?: string | (() => string | null | undefined) | undefined;
}

export type FacegateClient = Client<paths>;

export function createFacegateClient(options: FacegateClientOptions = {}): FacegateClient {
  const { token, ...rest } = options;
  const client = createClient<paths>(rest);
  if (token !== undefined) {
    client.use({
      onRequest({ request }) {
        const value = typeof token === 'function' ? token() : token;
        if (value && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${value}`);
        return request;
      },
    });
  }
  return client;
}

/** True when a value is a Facegate error body (what `error` holds after a failed call). */
export function isFacegateError(value: unknown): value is FacegateError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
