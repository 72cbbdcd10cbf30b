import type { BaseDocument, DocumentBody } from '../domain/document.js';
import { AppError, type ErrorKind } from '../errors.js';

/** The mutable body of a document, for read-modify-write updates. */
export function bodyOf<T extends BaseDocument>(doc: T): DocumentBody<T> {
  const { _id, createdAt, updatedAt, __v, ...body } = doc;
  return body as DocumentBody<T>;
}

/** Resolves a lookup or throws the catalogue's 404 (or another kind, e.g. a lost optimistic update). */
export async function mustFind<T>(
  found: Promise<T | undefined>,
  kind: Exclude<ErrorKind, 'missingParameter'> = 'notFound',
): Promise<T> {
  const value = await found;
  if (value === undefined) throw new AppError(kind);
  return value;
}

/** `base` with the keys that `patch` sets; an absent or undefined key leaves the base value. */
export function patched<T extends object>(base: T, patch: { [K in keyof T]?: T[K] | undefined }): T {
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) out[k] = v;
  return out as T;
}
