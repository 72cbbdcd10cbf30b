// Verifik's list conventions (§1.4), parsed into one shape that every repository understands.
export interface SortKey {
  field: string;
  desc: boolean;
}

export interface ListQuery {
  where: Record<string, string>;
  in: Record<string, string[]>;
  like: Record<string, string>;
  gte: Record<string, string>;
  lte: Record<string, string>;
  sort: SortKey[];
  page: number;
  perPage: number;
  offset: number;
}

export const emptyListQuery = (overrides: Partial<ListQuery> = {}): ListQuery => ({
  where: {},
  in: {},
  like: {},
  gte: {},
  lte: {},
  sort: [{ field: 'createdAt', desc: true }],
  page: 1,
  perPage: 20,
  offset: 0,
  ...overrides,
});

export interface ListResult<T> {
  items: T[];
  total: number;
}
