import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexChangeLog } from '../../ports/index-change-log.js';
import type { VectorEntry, VectorIndex } from '../../ports/vector-index.js';
import type { TemplateCipher } from '../crypto/template-cipher.js';
import type { SqlDriver } from '../storage/sql-driver.js';
import { createExactVectorIndex } from './exact-vector-index.js';
import { createHnswVectorIndex, type VectorIndexSource } from './hnsw-vector-index.js';
import { createPgvectorVectorIndex, pgvectorFingerprint } from './pgvector-vector-index.js';
import { createReplicatedVectorIndex } from './replicated-vector-index.js';
import { acquireSnapshotLock } from './snapshot-lock.js';

/** What an index reports as it starts and runs (pino's signature: the server's logger fits). */
export interface IndexLogger {
  info(fields: object, msg: string): void;
  error(fields: object, msg: string): void;
}

export type VectorIndexChoice = InProcessIndexChoice | PgvectorIndexChoice;

export interface PgvectorIndexChoice {
  kind: 'pgvector';
  /** The store's database (PostgreSQL with the `vector` extension): the index is a table in it. */
  db: SqlDriver;
  dimension: number;
  source: VectorIndexSource;
  log?: IndexLogger;
}

export interface InProcessIndexChoice {
  kind: 'exact' | 'hnsw';
  dataDir: string;
  dimension: number;
  quantization: 'f32' | 'f16' | 'i8';
  source: VectorIndexSource;
  /** The store's template cipher; the HNSW index seals its snapshots with it. */
  cipher: TemplateCipher;
  /** Shared with the other processes on this database; the index replays what they change. */
  changes: IndexChangeLog;
  load(keys: readonly bigint[]): Promise<VectorEntry[]>;
  log?: IndexLogger;
}

/**
 * The 1:N index. pgvector is a table in the store's PostgreSQL database: every process reads and writes it, so it
 * needs no replication; at start each collection whose table rows do not match its templates is rebuilt from
 * them. The in-process indexes are loaded from the database: the exact index reads every template at start; the
 * HNSW index loads its snapshot from `<dataDir>/index` and rebuilds only collections whose snapshot is stale. Of
 * the processes sharing a data directory only the holder of `<dataDir>/index.lock` touches the snapshot; the
 * others build theirs from the database in a private scratch directory (snapshot-lock.ts). An in-process index
 * replays the other processes' changes from the index change log; a failed replay is logged.
 */
export async function createVectorIndex(choice: VectorIndexChoice): Promise<VectorIndex> {
  if (choice.kind === 'pgvector') return createSyncedPgvectorIndex(choice);
  const startAfter = await choice.changes.latest();
  const local = await createLocalIndex(choice);
  return createReplicatedVectorIndex({
    local,
    startAfter,
    log: choice.changes,
    load: choice.load,
    onError: (err) => choice.log?.error({ err }, 'vector index replay failed'),
  });
}

/** The pgvector index, its table first brought in line with the templates (a first start, or rows gone astray). */
async function createSyncedPgvectorIndex(choice: PgvectorIndexChoice): Promise<VectorIndex> {
  const index = await createPgvectorVectorIndex({ db: choice.db, dimension: choice.dimension });
  const wanted = await choice.source.collections();
  for (const collection of await index.collections()) {
    if (!wanted.includes(collection)) {
      await index.dropCollection(collection);
      choice.log?.info({ collection, reason: 'no templates' }, 'vector index deleted');
    }
  }
  for (const collection of wanted) {
    const fingerprint = await choice.source.fingerprint(collection);
    if ((await pgvectorFingerprint(choice.db, collection)) === fingerprint) continue;
    const started = Date.now();
    const batch: VectorEntry[] = [];
    for await (const entry of choice.source.entries(collection)) batch.push(entry);
    await index.dropCollection(collection);
    await index.add(collection, batch);
    choice.log?.info(
      { collection, count: batch.length, ms: Date.now() - started, reason: 'table differs from the templates' },
      'vector index rebuilt',
    );
  }
  return index;
}

async function createLocalIndex(choice: InProcessIndexChoice): Promise<VectorIndex> {
  if (choice.kind === 'exact') {
    const index = createExactVectorIndex({ dimension: choice.dimension });
    for (const collection of await choice.source.collections()) {
      const batch = [];
      for await (const entry of choice.source.entries(collection)) batch.push(entry);
      await index.add(collection, batch);
    }
    return index;
  }
  mkdirSync(choice.dataDir, { recursive: true });
  const lock = acquireSnapshotLock(join(choice.dataDir, 'index.lock'));
  const scratchRoot = join(choice.dataDir, 'index-scratch');
  let dir = join(choice.dataDir, 'index');
  if (lock.owned) {
    sweepScratch(scratchRoot);
  } else {
    mkdirSync(scratchRoot, { recursive: true, mode: 0o700 });
    dir = mkdtempSync(join(scratchRoot, `${process.pid}-`));
    choice.log?.info(
      { owner: lock.owner },
      'vector index snapshot owned by another process: building a private copy from the database',
    );
  }
  const dropScratch = () => {
    if (!lock.owned) rmSync(dir, { recursive: true, force: true });
  };
  let index: VectorIndex;
  try {
    index = await createHnswVectorIndex({
      dir,
      persist: lock.owned,
      dimension: choice.dimension,
      quantization: choice.quantization,
      cipher: choice.cipher,
      source: choice.source,
      onEvent: (e) => choice.log?.info({ ...e }, `vector index ${e.type}`),
    });
  } catch (err) {
    lock.release();
    dropScratch();
    throw err;
  }
  return {
    ...index,
    async close() {
      try {
        await index.close();
      } finally {
        lock.release();
        dropScratch();
      }
    },
  };
}

/** Removes scratch directories of processes that are gone (killed before their close). */
function sweepScratch(root: string): void {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) continue;
    rmSync(join(root, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
