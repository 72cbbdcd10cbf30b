import { emptyListQuery, type ListQuery, type SortKey } from '../domain/list-query.js';
import { AppError } from '../errors.js';

// Verifik's MongoORM query keys (§1.4) → ListQuery. Field names are checked against the repository's allow-list
// here, so an unknown filter is a clear 409 rather than a silently ignored key.

const asArray = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);
const last = (v: string | string[]): string => (Array.isArray(v) ? (v[v.length - 1] ?? '') : v);

export function parseListQuery(raw: Record<string, unknown>, filterable: readonly string[]): ListQuery {
  const allowed = new Set(filterable);
  const check = (field: string, key: string) => {
    if (!allowed.has(field)) {
      throw new AppError('missingParameter', {
        message: `"${key}" is not allowed: filterable fields are ${[...allowed].join(', ')}`,
      });
    }
    return field;
  };
  const q = emptyListQuery();
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const v = value as string | string[];
    let m: RegExpMatchArray | null;
    if ((m = key.match(/^where_(.+)$/))) q.where[check(m[1] as string, key)] = last(v);
    else if ((m = key.match(/^in_(.+?)(\[\])?$/))) q.in[check(m[1] as string, key)] = asArray(v);
    else if ((m = key.match(/^like_(.+)$/))) q.like[check(m[1] as string, key)] = last(v);
    else if ((m = key.match(/^where>=?_(.+)$/))) q.gte[check(m[1] as string, key)] = last(v);
    else if ((m = key.match(/^where<=?_(.+)$/))) q.lte[check(m[1] as string, key)] = last(v);
    else if (key === 'sort') q.sort = parseSort(last(v), check);
    else if (key === 'page') q.page = Number(v);
    else if (key === 'perPage' || key === 'limit') q.perPage = Number(v);
    else if (key === 'offset') q.offset = Number(v);
    else if (key === 'populates[]' || key === 'populates') continue;
    else throw new AppError('missingParameter', { message: `"${key}" is not allowed` });
  }
  return q;
}

function parseSort(value: string, check: (field: string, key: string) => string): SortKey[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const desc = s.startsWith('-');
      return { field: check(desc ? s.slice(1) : s, 'sort'), desc };
    });
}
