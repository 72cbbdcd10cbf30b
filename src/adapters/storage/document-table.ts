import type { BaseDocument, DocumentBody } from '../../domain/document.js';
import type { ListQuery, ListResult } from '../../domain/list-query.js';
import { newObjectId } from '../../domain/object-id.js';
import { AppError } from '../../errors.js';
import type { Clock } from '../../ports/clock.js';
import type { DocumentRepository } from '../../ports/document-repository.js';
import type { Row, SqlDriver, SqlValue } from './sql-driver.js';

// One generic repository over tables of the shape (id, <tenant>, <indexed columns>, doc, created_at, updated_at, v).
// The columns are copies of document fields, written from the same document on every write, so that filters,
// sorting and constraints run in SQL while the document itself stays the single source of what is returned.

export type ColumnType = 'text' | 'int' | 'bool' | 'date';

export interface TableDefinition {
  table: string;
  /** The column holding the owning client's id; `id` for the clients table itself. */
  tenantColumn: string;
  /** Document field → column. Only these fields can be filtered or sorted on. */
  columns: Record<string, { column: string; type: ColumnType }>;
}

const META_COLUMNS: Record<string, { column: string; type: ColumnType }> = {
  _id: { column: 'id', type: 'text' },
  createdAt: { column: 'created_at', type: 'date' },
  updatedAt: { column: 'updated_at', type: 'date' },
};

const LIKE_ESCAPE = /[\\%_]/g;

function coerce(field: string, type: ColumnType, raw: string): SqlValue {
  switch (type) {
    case 'int': {
      const n = Number(raw);
      if (!Number.isInteger(n)) throw invalidFilter(field, 'must be an integer');
      return n;
    }
    case 'bool':
      if (raw === 'true' || raw === '1') return 1;
      if (raw === 'false' || raw === '0') return 0;
      throw invalidFilter(field, 'must be true or false');
    case 'date': {
      const t = Date.parse(raw);
      if (Number.isNaN(t)) throw invalidFilter(field, 'must be a date');
      return new Date(t).toISOString();
    }
    default:
      return raw;
  }
}

const invalidFilter = (field: string, why: string) =>
  new AppError('missingParameter', { message: `"${field}" ${why}` });

function fieldValue(doc: Record<string, unknown>, field: string, type: ColumnType): SqlValue {
  const v = doc[field];
  if (v === undefined || v === null) return null;
  if (type === 'bool') return v ? 1 : 0;
  if (typeof v === 'string' || typeof v === 'number') return v;
  return String(v);
}

/** A document as read from its table's row (id, doc, created_at, updated_at, v); other columns are copies. */
export function documentFromRow<T extends BaseDocument>(row: Row): T {
  const body = typeof row['doc'] === 'string' ? JSON.parse(row['doc'] as string) : (row['doc'] as object);
  return {
    _id: row['id'] as string,
    ...body,
    createdAt: row['created_at'] as string,
    updatedAt: row['updated_at'] as string,
    __v: Number(row['v']),
  } as T;
}

export function createDocumentTable<T extends BaseDocument>(
  db: SqlDriver,
  def: TableDefinition,
  clock: Clock,
): DocumentRepository<T> {
  const columns = { ...META_COLUMNS, ...def.columns };
  const filterable = Object.keys(columns);
  const dataFields = Object.entries(def.columns);
  const tenantIsId = def.tenantColumn === 'id';

  const column = (field: string) => {
    const c = columns[field];
    if (!c) throw invalidFilter(field, 'is not a filterable field');
    return c;
  };

  const fromRow = (row: Row): T => documentFromRow<T>(row);

  const bodyOf = (doc: Record<string, unknown>): Record<string, unknown> => {
    const { _id, createdAt, updatedAt, __v, ...body } = doc;
    return body;
  };

  const tenantClause = (clientId: string | null, params: SqlValue[]): string => {
    if (clientId === null) return '';
    params.push(clientId);
    return ` AND ${def.tenantColumn} = ?`;
  };

  const whereFromQuery = (clientId: string | null, q: ListQuery, params: SqlValue[]): string => {
    let sql = `WHERE 1=1${tenantClause(clientId, params)}`;
    for (const [field, raw] of Object.entries(q.where)) {
      const c = column(field);
      if (raw === 'null') {
        sql += ` AND ${c.column} IS NULL`;
      } else {
        sql += ` AND ${c.column} = ?`;
        params.push(coerce(field, c.type, raw));
      }
    }
    for (const [field, values] of Object.entries(q.in)) {
      const c = column(field);
      if (values.length === 0) {
        sql += ' AND 1=0';
        continue;
      }
      sql += ` AND ${c.column} IN (${values.map(() => '?').join(', ')})`;
      for (const v of values) params.push(coerce(field, c.type, v));
    }
    for (const [field, raw] of Object.entries(q.like)) {
      const c = column(field);
      if (c.type !== 'text') throw invalidFilter(field, 'cannot be searched by text');
      sql += ` AND LOWER(${c.column}) LIKE ? ESCAPE '\\'`;
      params.push(`%${raw.toLowerCase().replace(LIKE_ESCAPE, (m) => `\\${m}`)}%`);
    }
    for (const [op, bounds] of [
      ['>=', q.gte],
      ['<=', q.lte],
    ] as const) {
      for (const [field, raw] of Object.entries(bounds)) {
        const c = column(field);
        sql += ` AND ${c.column} ${op} ?`;
        params.push(coerce(field, c.type, raw));
      }
    }
    return sql;
  };

  return {
    filterable,

    async insert(input) {
      const now = clock.now().toISOString();
      const id = input._id ?? newObjectId();
      const body = bodyOf(input as Record<string, unknown>);
      const names = ['id', ...(tenantIsId ? [] : [def.tenantColumn])];
      const values: SqlValue[] = [id];
      if (!tenantIsId) values.push(body['client'] as string);
      for (const [field, c] of dataFields) {
        names.push(c.column);
        values.push(fieldValue(body, field, c.type));
      }
      names.push('doc', 'created_at', 'updated_at', 'v');
      values.push(JSON.stringify(body), now, now, 0);
      await db.run(
        `INSERT INTO ${def.table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
        values,
      );
      return { ...body, _id: id, createdAt: now, updatedAt: now, __v: 0 } as unknown as T;
    },

    async findById(clientId, id) {
      const params: SqlValue[] = [id];
      const row = await db.get(`SELECT * FROM ${def.table} WHERE id = ?${tenantClause(clientId, params)}`, params);
      return row ? fromRow(row) : undefined;
    },

    async findOne(clientId, where) {
      const params: SqlValue[] = [];
      let sql = `SELECT * FROM ${def.table} WHERE 1=1${tenantClause(clientId, params)}`;
      for (const [field, value] of Object.entries(where)) {
        const c = column(field);
        if (value === null) {
          sql += ` AND ${c.column} IS NULL`;
        } else {
          sql += ` AND ${c.column} = ?`;
          params.push(typeof value === 'boolean' ? (value ? 1 : 0) : value);
        }
      }
      const row = await db.get(`${sql} ORDER BY created_at, id LIMIT 1`, params);
      return row ? fromRow(row) : undefined;
    },

    async list(clientId, q) {
      const params: SqlValue[] = [];
      const where = whereFromQuery(clientId, q, params);
      const order = q.sort.length
        ? q.sort.map((s) => `${column(s.field).column} ${s.desc ? 'DESC' : 'ASC'}`).join(', ')
        : 'created_at DESC';
      const offset = q.offset + (q.page - 1) * q.perPage;
      const rows = await db.all(`SELECT * FROM ${def.table} ${where} ORDER BY ${order}, id LIMIT ? OFFSET ?`, [
        ...params,
        q.perPage,
        offset,
      ]);
      const count = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${def.table} ${where}`, params);
      return { items: rows.map(fromRow), total: Number(count?.n ?? 0) } satisfies ListResult<T>;
    },

    async update(clientId, id, input: DocumentBody<T>, expectedVersion) {
      const now = clock.now().toISOString();
      const body = bodyOf(input as Record<string, unknown>);
      const sets: string[] = [];
      const values: SqlValue[] = [];
      for (const [field, c] of dataFields) {
        sets.push(`${c.column} = ?`);
        values.push(fieldValue(body, field, c.type));
      }
      sets.push('doc = ?', 'updated_at = ?', 'v = v + 1');
      values.push(JSON.stringify(body), now, id);
      let sql = `UPDATE ${def.table} SET ${sets.join(', ')} WHERE id = ?${tenantClause(clientId, values)}`;
      if (expectedVersion !== undefined) {
        sql += ' AND v = ?';
        values.push(expectedVersion);
      }
      // RETURNING (SQLite ≥ 3.35 and PostgreSQL) reads the row written, not one a concurrent writer left.
      const row = await db.get(`${sql} RETURNING *`, values);
      return row ? fromRow(row) : undefined;
    },

    async delete(clientId, id) {
      const params: SqlValue[] = [id];
      return (await db.run(`DELETE FROM ${def.table} WHERE id = ?${tenantClause(clientId, params)}`, params)) > 0;
    },
  };
}
