// 1:N search inside PostgreSQL with pgvector: one table of plaintext float32 templates, partitioned by
// collection, with one HNSW index (cosine) over all of it. Nothing lives outside the database, so `flush` has
// nothing to do, every process sees every write at once, and `remove` is a DELETE.
//
// Trade-off, read before choosing this index: pgvector can only search vectors it can read, so this table holds
// the templates in PLAINTEXT, beside the AES-GCM sealed copies in `face_templates`. Whoever can read the database
// files, a replica or a backup can read every template. With pgvector the database itself must be protected at
// rest (encrypted volume or TDE, encrypted backups, tight roles on this table). The in-process indexes (exact,
// HNSW) keep plaintext only in the service's memory and in its own index directory, and the database keeps only
// sealed templates.
//
// Answers. Both modes fetch candidates in SQL and re-rank them in-process: each candidate's stored float32 vector
// is read back (exactly: pgvector prints the shortest decimal of each float32) and scored with the same float64
// dot product as the exact index, so a template scores the same in every index and in both modes. pgvector's own
// distance is summed in float32, which can reorder near ties.
// - `fast` walks the HNSW index (`hnsw.ef_search` per query). The collection filter is applied during the walk
//   with pgvector ≥ 0.8's iterative scan (`hnsw.iterative_scan = strict_order`), so a filtered query still
//   returns k rows; on older pgvector, ef_search is raised to over-fetch instead. When the collection is a small
//   share of the table the planner prefers the (collection, key) B-tree and answers exactly.
// - `exact` turns index scans off for the query (`SET LOCAL enable_indexscan = off`; HNSW has no bitmap scan, so
//   the collection is read through a bitmap scan of the primary key or a sequential scan), orders by pgvector's
//   distance and takes k + a margin. The float32 error of that distance is bounded (see `errorBound`): the fetch
//   is proven complete when even the best unfetched row could not reach the k-th exact score, else it is
//   repeated with a larger limit. The answer therefore equals the exact index's, keys, order and scores.

import type { VectorEntry, VectorHit, VectorIndex } from '../../ports/vector-index.js';
import type { SqlDriver } from '../storage/sql-driver.js';
import { assertDimension, assertK, compareHits, dotRows } from './vector-math.js';

export interface PgvectorVectorIndexOptions {
  db: SqlDriver;
  dimension: number;
  /** Table name (created if missing); default `face_vectors`. */
  table?: string;
  /** HNSW graph degree (pgvector `m`); 16, as the in-process HNSW index. Used only when the index is created. */
  m?: number;
  /**
   * HNSW build beam (`ef_construction`), used only when the index is created; 64 (pgvector's default): on 6000
   * clustered 512-d templates in PGlite it gave the same recall as 128 at less than half the insert time.
   */
  efConstruction?: number;
  /** Search beam for `fast` (`hnsw.ef_search`, at least k, at most 1000); default 128. */
  efSearch?: number;
}

export const pgvectorDefaults = { table: 'face_vectors', m: 16, efConstruction: 64, efSearch: 128 } as const;

/** Rows per INSERT statement: 3 parameters each, far below PostgreSQL's 65535. */
const INSERT_BATCH = 500;
/** Extra rows fetched in exact mode beyond k, so that one query is nearly always proven complete. */
const EXACT_MARGIN = 16;
/** An arbitrary constant that serialises concurrent schema creation across processes. */
const SCHEMA_LOCK = 7_460_232;

/** Is the pgvector extension installable (or installed) on this database? */
export async function detectPgvector(db: SqlDriver): Promise<boolean> {
  if (db.dialect !== 'postgres') return false;
  return (await db.get(`SELECT 1 AS ok FROM pg_available_extensions WHERE name = 'vector'`)) !== undefined;
}

function checkTable(table: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(table)) throw new RangeError(`invalid table name: ${table}`);
  return table;
}

function checkInt(name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${name} must be an integer in ${min}..${max}`);
  return v;
}

/**
 * Creates the extension, the table and its indexes if missing, and checks that an existing table has this
 * dimension (a model change needs a new table or a re-index, never a silent mix). Returns pgvector's version.
 */
export async function ensurePgvectorSchema(
  db: SqlDriver,
  dimension: number,
  options: Pick<PgvectorVectorIndexOptions, 'table' | 'm' | 'efConstruction'> = {},
): Promise<string> {
  if (db.dialect !== 'postgres') throw new Error('the pgvector index needs PostgreSQL');
  const table = checkTable(options.table ?? pgvectorDefaults.table);
  checkInt('dimension', dimension, 1, 2000); // HNSW indexes vectors of up to 2000 dimensions
  const m = checkInt('m', options.m ?? pgvectorDefaults.m, 2, 100);
  const efConstruction = checkInt('efConstruction', options.efConstruction ?? pgvectorDefaults.efConstruction, 4, 1000);
  return db.transaction(async (tx) => {
    await tx.get('SELECT pg_advisory_xact_lock(?)', [SCHEMA_LOCK]);
    await tx.exec('CREATE EXTENSION IF NOT EXISTS vector');
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS ${table} (
        key bigint NOT NULL,
        collection text NOT NULL,
        person_id text NOT NULL,
        embedding vector(${dimension}) NOT NULL,
        PRIMARY KEY (collection, key)
      );
      CREATE INDEX IF NOT EXISTS ${table}_key ON ${table} (key);
      CREATE INDEX IF NOT EXISTS ${table}_embedding ON ${table}
        USING hnsw (embedding vector_cosine_ops) WITH (m = ${m}, ef_construction = ${efConstruction});
    `);
    const column = await tx.get<{ type: string }>(
      `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
        WHERE attrelid = CAST(? AS regclass) AND attname = 'embedding'`,
      [table],
    );
    if (column?.type !== `vector(${dimension})`) {
      throw new Error(`${table}.embedding is ${column?.type ?? 'missing'}, expected vector(${dimension})`);
    }
    const version = await tx.get<{ v: string }>(`SELECT extversion AS v FROM pg_extension WHERE extname = 'vector'`);
    return version?.v ?? '0';
  });
}

/** pgvector's text form of a float32 vector; every float32 prints exactly as a JS number. */
const toText = (v: Float32Array): string => `[${v.join(',')}]`;

/** Reads pgvector's text form back into the float32 values it stores (its output is their shortest decimal). */
function fromText(text: string, out: Float32Array, row: number, dim: number): void {
  const parts = text.slice(1, -1).split(',');
  if (parts.length !== dim) throw new Error(`stored vector has ${parts.length} dimensions, expected ${dim}`);
  const o = row * dim;
  for (let i = 0; i < dim; i++) out[o + i] = Number(parts[i]);
}

const keyArray = (keys: readonly bigint[]): string => `{${keys.map((k) => k.toString()).join(',')}}`;

/** Is this pgvector version ≥ 0.8.0 (iterative index scans)? */
function hasIterativeScan(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 0 || minor >= 8;
}

interface CandidateRow extends Record<string, unknown> {
  key: string;
  person_id: string;
  embedding: string;
  distance: number;
}

/**
 * The table's rows of one collection summed up as the store fingerprints its templates (count, largest and sum of
 * the keys; face-data-table.ts): equal when the table holds exactly the collection's templates. A difference in
 * form only costs a rebuild at start.
 */
export async function pgvectorFingerprint(
  db: SqlDriver,
  collection: string,
  table: string = pgvectorDefaults.table,
): Promise<string> {
  const row = await db.get<{ n: number; mx: number | null; sm: number | string | null }>(
    `SELECT COUNT(*) AS n, MAX(key) AS mx, SUM(key) AS sm FROM ${checkTable(table)} WHERE collection = ?`,
    [collection],
  );
  return `${row?.n ?? 0}:${row?.mx ?? 0}:${row?.sm ?? 0}`;
}

export interface PgvectorVectorIndex extends VectorIndex {
  /** Every collection with rows in the table. */
  collections(): Promise<string[]>;
}

export async function createPgvectorVectorIndex(options: PgvectorVectorIndexOptions): Promise<PgvectorVectorIndex> {
  const { db, dimension } = options;
  const table = checkTable(options.table ?? pgvectorDefaults.table);
  const efSearch = checkInt('efSearch', options.efSearch ?? pgvectorDefaults.efSearch, 1, 1000);
  const version = await ensurePgvectorSchema(db, dimension, options);
  const iterative = hasIterativeScan(version);
  // The worst-case gap between pgvector's float32 cosine (1 − distance) and the float64 dot product of the same
  // unit vectors: float32 rounding of three length-`dimension` sums plus the norms' departure from 1, doubled.
  const errorBound = 8 * dimension * 2 ** -24;

  const candidatesSql = `
    SELECT key::text AS key, person_id, embedding::text AS embedding, embedding <=> CAST(? AS vector) AS distance
      FROM ${table} WHERE collection = ? ORDER BY distance LIMIT ?`;

  /** Scores rows exactly (the exact index's arithmetic), best first. */
  const rerank = (rows: CandidateRow[], query: Float32Array): VectorHit[] => {
    const vectors = new Float32Array(rows.length * dimension);
    rows.forEach((r, i) => {
      fromText(r.embedding, vectors, i, dimension);
    });
    return rows
      .map((r, i) => ({
        key: BigInt(r.key),
        personId: r.person_id,
        similarity: dotRows(vectors, i, query, 0, dimension),
      }))
      .sort(compareHits);
  };

  const searchFast = (collection: string, query: Float32Array, k: number): Promise<VectorHit[]> =>
    db.transaction(async (tx) => {
      // Without iterative scans the filter applies after the walk: over-fetch so that k rows usually survive it.
      const ef = Math.min(1000, Math.max(efSearch, iterative ? k : 4 * k));
      await tx.exec(`SET LOCAL hnsw.ef_search = ${ef}`);
      if (iterative) await tx.exec('SET LOCAL hnsw.iterative_scan = strict_order');
      const rows = await tx.all<CandidateRow>(candidatesSql, [toText(query), collection, k]);
      return rerank(rows, query).slice(0, k);
    });

  const searchExact = (collection: string, query: Float32Array, k: number): Promise<VectorHit[]> =>
    db.transaction(async (tx) => {
      await tx.exec('SET LOCAL enable_indexscan = off');
      const text = toText(query);
      for (let limit = k + EXACT_MARGIN; ; limit *= 4) {
        const rows = await tx.all<CandidateRow>(candidatesSql, [text, collection, limit]);
        const hits = rerank(rows, query);
        if (rows.length < limit) return hits.slice(0, k); // the whole collection was scored
        const kth = (hits[k - 1] as VectorHit).similarity;
        const bestUnfetched = 1 - Number((rows[rows.length - 1] as CandidateRow).distance) + errorBound;
        if (bestUnfetched < kth) return hits.slice(0, k);
      }
    });

  return {
    name: 'pgvector',
    async add(collection, entries) {
      for (const e of entries) assertDimension(e.vector, dimension, 'add');
      // One statement cannot upsert a key twice: the last entry for a key wins, as with successive adds.
      const unique = [...new Map(entries.map((e): [bigint, VectorEntry] => [e.key, e])).values()];
      if (unique.length === 0) return;
      await db.transaction(async (tx) => {
        for (let i = 0; i < unique.length; i += INSERT_BATCH) {
          const batch = unique.slice(i, i + INSERT_BATCH);
          const values = batch.map(() => '(?, ?, ?, CAST(? AS vector))').join(', ');
          await tx.run(
            `INSERT INTO ${table} (key, collection, person_id, embedding) VALUES ${values}
               ON CONFLICT (collection, key) DO UPDATE SET person_id = excluded.person_id, embedding = excluded.embedding`,
            batch.flatMap((e) => [e.key, collection, e.personId, toText(e.vector)]),
          );
        }
      });
    },
    async remove(keys) {
      if (keys.length > 0) await db.run(`DELETE FROM ${table} WHERE key = ANY(CAST(? AS bigint[]))`, [keyArray(keys)]);
    },
    async removeFromCollection(collection, keys) {
      if (keys.length === 0) return;
      await db.run(`DELETE FROM ${table} WHERE collection = ? AND key = ANY(CAST(? AS bigint[]))`, [
        collection,
        keyArray(keys),
      ]);
    },
    async search(collection, query, { k, mode }) {
      assertDimension(query, dimension, 'search');
      assertK(k);
      if (k === 0) return [];
      return mode === 'exact' ? searchExact(collection, query, k) : searchFast(collection, query, k);
    },
    async size(collection) {
      const row = await db.get<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE collection = ?`, [
        collection,
      ]);
      return Number(row?.n ?? 0);
    },
    async dropCollection(collection) {
      await db.run(`DELETE FROM ${table} WHERE collection = ?`, [collection]);
    },
    async collections() {
      const rows = await db.all<{ collection: string }>(`SELECT DISTINCT collection FROM ${table}`);
      return rows.map((r) => r.collection);
    },
    async flush() {},
    // The driver belongs to the caller (it is usually the store's): closing the index leaves it open.
    async close() {},
  };
}
