import { z } from 'zod';

// Shared pieces of the one schema language (zod) used for HTTP input, HTTP output and stored documents.

export const objectIdSchema = z.string().regex(/^[0-9a-f]{24}$/, 'must be a valid ObjectId');

export const isoDateSchema = z.string().describe('ISO 8601 date-time');

export const documentMeta = {
  _id: objectIdSchema,
  createdAt: isoDateSchema,
  updatedAt: isoDateSchema,
  __v: z.number().int(),
};

/** An absolute http(s) URL, as integrators configure for redirects and webhooks. */
export const httpUrlSchema = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048);

const ignoredField = z
  .unknown()
  .optional()
  .describe('A Verifik setting Facegate does not implement: accepted and ignored (not stored), see the README');

/**
 * A create or update body in which a key is either kept or refused with 409 naming it (`"colour" is not
 * allowed`), never silently dropped (#13); except the keys Verifik documents for the resource that Facegate does
 * not implement (`ignored`), which a client written for Verifik sends: accepted, then left out of what is stored.
 */
export function strictBody<S extends z.ZodRawShape>(shape: S, ignored: readonly string[]) {
  const accepted = z.strictObject({ ...shape, ...Object.fromEntries(ignored.map((k) => [k, ignoredField])) });
  return accepted.transform((body) => {
    const kept: Record<string, unknown> = { ...body };
    for (const key of ignored) delete kept[key];
    return kept as z.output<z.ZodObject<S, z.core.$strict>>;
  });
}

export const idParamsSchema = z.object({ id: objectIdSchema });

/** `{ code, message }` in Verifik's error shape, with `data` on a few errors (e.g. the existing person). */
export const errorSchema = z
  .object({
    code: z.string(),
    message: z.string(),
    data: z.unknown().optional(),
    requestId: z.string().optional().describe('This request’s X-Request-Id, to quote when reporting a problem'),
  })
  .meta({
    examples: [{ code: 'MissingParameter', message: 'missing project', requestId: '6650c0ffee0ddba11c0ffee0' }],
  });

/** The error statuses a route with images may answer, for its declared responses (and the OpenAPI document). */
export const imageRouteErrors = {
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
  412: errorSchema,
  413: errorSchema,
  429: errorSchema,
  503: errorSchema,
};

export const dataOf = <T extends z.ZodType>(schema: T) => z.object({ data: schema });

export const listOf = <T extends z.ZodType>(schema: T) => z.object({ data: z.array(schema), total: z.number().int() });

/** List query: the fixed keys plus Verifik's dynamic `where_`, `in_[]`, `like_` and range keys. */
export const listQuerySchema = z
  .object({
    page: z.coerce.number().int().min(1).max(100_000).optional(),
    perPage: z.coerce.number().int().min(1).max(500).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
    offset: z.coerce.number().int().min(0).optional(),
    sort: z.string().max(200).optional(),
  })
  .catchall(z.union([z.string().max(500), z.array(z.string().max(500)).max(100)]));
