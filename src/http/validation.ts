import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { AppError } from '../errors.js';
import { unstorableStringIn } from './string-guard.js';

// Input validation answers in Verifik's vocabulary: 409 MissingParameter, naming the field (`missing project`,
// `"liveness_min_score" must be ...`), rather than Fastify's generic 400.

const PART_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'headers' };

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

export function describeIssue(issue: z.core.$ZodIssue, data: unknown, part: string): string {
  const path = issue.path.filter((p) => typeof p !== 'symbol').join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${path ? `${path}.` : ''}${k}"`).join(', ');
    return `${keys} ${issue.keys.length > 1 ? 'are' : 'is'} not allowed`;
  }
  if (!path) {
    return issue.code === 'invalid_type' ? `"${PART_NAMES[part] ?? part}" must be a JSON object` : issue.message;
  }
  if (data !== undefined && valueAt(data, issue.path) === undefined) return `missing ${path}`;
  return `"${path}" ${issue.message.replace(/^Invalid input: /, '')}`;
}

export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const unstorable = unstorableStringIn(data);
    if (unstorable) return { error: new AppError('missingParameter', { message: unstorable }) };
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    const issue = result.error.issues[0];
    const message = issue ? describeIssue(issue, data, httpPart ?? 'body') : 'invalid request';
    return { error: new AppError('missingParameter', { message }) };
  };
