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
  const prefixed: Array<[RegExp, (field: string, key: string, v: string | string[]) => void]> = [
    [
      /^where_(.+)$/,
      (f, k, v) => {
        q.where[check(f, k)] = last(v);
      },
    ],
    [
      /^in_(.+?)(?:\[\])?$/,
      (f, k, v) => {
        q.in[check(f, k)] = asArray(v);
      },
    ],
    [
      /^like_(.+)$/,
      (f, k, v) => {
        q.like[check(f, k)] = last(v);
      },
    ],
    [
      /^where>=?_(.+)$/,
      (f, k, v) => {
        q.gte[check(f, k)] = last(v);
      },
    ],
    [
      /^where<=?_(.+)$/,
      (f, k, v) => {
        q.lte[check(f, k)] = last(v);
      },
    ],
  ];
  // Verifik's client also sorts with `sortBy`/`orderBy` (a field) and `sortOrder`/`order` (asc, desc, 1, -1), and
  // searches with `search` (a case-insensitive substring of the name, or of the identifier where there is none).
  let sortBy: string | undefined;
  let sortOrder: string | undefined;
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const v = value as string | string[];
    const rule = prefixed.find(([re]) => re.test(key));
    if (rule) {
      rule[1](key.match(rule[0])?.[1] as string, key, v);
      continue;
    }
    switch (key) {
      case 'sort':
        q.sort = parseSort(last(v), check);
        break;
      case 'page':
        q.page = Number(v);
        break;
      case 'perPage':
      case 'limit':
        q.perPage = Number(v);
        break;
      case 'offset':
        q.offset = Number(v);
        break;
      case 'sortBy':
      case 'orderBy':
        sortBy = check(last(v), key);
        break;
      case 'sortOrder':
      case 'order':
        sortOrder = parseOrder(last(v), key);
        break;
      case 'search': {
        const field = ['name', 'identifier'].find((f) => allowed.has(f));
        if (!field) throw new AppError('missingParameter', { message: '"search" is not supported on this list' });
        if (last(v) !== '') q.like[field] = last(v);
        break;
      }
      case 'populates':
      case 'populates[]':
        break;
      default:
        throw new AppError('missingParameter', { message: `"${key}" is not allowed` });
    }
  }
  if (sortBy !== undefined || sortOrder !== undefined) {
    if (raw['sort'] !== undefined) {
      throw new AppError('missingParameter', { message: '"sort" and "sortBy"/"sortOrder" cannot be combined' });
    }
    q.sort = [{ field: sortBy ?? 'createdAt', desc: (sortOrder ?? (sortBy ? 'asc' : 'desc')) === 'desc' }];
  }
  return q;
}

function parseOrder(value: string, key: string): 'asc' | 'desc' {
  const v = value.toLowerCase();
  if (v === 'asc' || v === 'ascending' || v === '1') return 'asc';
  if (v === 'desc' || v === 'descending' || v === '-1') return 'desc';
  throw new AppError('missingParameter', { message: `"${key}" must be asc or desc` });
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
