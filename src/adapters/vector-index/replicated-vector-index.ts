import type { IndexChange, IndexChangeLog } from '../../ports/index-change-log.js';
import type { VectorEntry, VectorIndex } from '../../ports/vector-index.js';

// Keeps an in-process index in step with every other process on the same database. Each write this process
// makes is applied locally and appended to the change log; before each search the index replays what others
// appended since (one indexed query when there is nothing new), so an enrolment made through one process is
// found through another as soon as its response has been sent. PostgreSQL's LISTEN/NOTIFY wakes the replay
// early, and a timer covers databases without it (several processes on one SQLite file).
//
// Replays are idempotent (a key is removed before it is added again). Because concurrent writers may commit
// their change rows out of id order, each replay looks back over a window of recent ids and skips those it
// has applied already.

const LOOK_BACK = 200;
const BATCH = 1000;

export interface ReplicatedIndexOptions {
  local: VectorIndex;
  log: IndexChangeLog;
  /** Reads the templates behind keys from the database (for changes made by other processes). */
  load(keys: readonly bigint[]): Promise<VectorEntry[]>;
  /** The log position read BEFORE the local index was loaded: replaying from there can only repeat, not miss. */
  startAfter: number;
  pollMs?: number;
  onError?: (err: unknown) => void;
}

export async function createReplicatedVectorIndex(o: ReplicatedIndexOptions): Promise<VectorIndex> {
  const { local, log } = o;
  let floor = o.startAfter;
  const applied = new Set<number>();
  let replaying: Promise<void> | undefined;
  /** The last replay's failure, until one succeeds: the index then misses what other processes changed. */
  let replayError: unknown;

  const apply = async (c: IndexChange) => {
    switch (c.op) {
      case 'add': {
        if (!c.collection) return;
        const entries = await o.load(c.keys);
        await local.removeFromCollection(c.collection, c.keys);
        if (entries.length) await local.add(c.collection, entries);
        return;
      }
      case 'remove':
        return local.remove(c.keys);
      case 'removeFromCollection':
        return c.collection ? local.removeFromCollection(c.collection, c.keys) : undefined;
      case 'dropCollection':
        return c.collection ? local.dropCollection(c.collection) : undefined;
    }
  };

  const replay = async () => {
    for (;;) {
      const changes = await log.since(Math.max(0, floor - LOOK_BACK), BATCH);
      const fresh = changes.filter((c) => !applied.has(c.id));
      for (const c of fresh) {
        await apply(c);
        applied.add(c.id);
      }
      const top = changes.at(-1)?.id ?? floor;
      floor = Math.max(floor, top);
      for (const id of applied) if (id < floor - LOOK_BACK) applied.delete(id);
      if (changes.length < BATCH) return;
    }
  };
  const catchUp = () => {
    replaying ??= replay()
      .then(
        () => {
          replayError = undefined;
        },
        (err: unknown) => {
          replayError = err;
          throw err;
        },
      )
      .finally(() => {
        replaying = undefined;
      });
    return replaying;
  };

  const record = async (change: Omit<IndexChange, 'id'>) => {
    applied.add(await log.append(change));
  };

  const unsubscribe = await log.subscribe(() => {
    catchUp().catch(o.onError ?? (() => undefined));
  });
  const timer = setInterval(() => {
    catchUp().catch(o.onError ?? (() => undefined));
  }, o.pollMs ?? 1000).unref();

  return {
    name: `${local.name}+replicated`,
    async add(collection, entries) {
      await local.add(collection, entries);
      await record({ op: 'add', collection, keys: entries.map((e) => e.key) });
    },
    async remove(keys) {
      await local.remove(keys);
      await record({ op: 'remove', collection: null, keys: [...keys] });
    },
    async removeFromCollection(collection, keys) {
      await local.removeFromCollection(collection, keys);
      await record({ op: 'removeFromCollection', collection, keys: [...keys] });
    },
    async dropCollection(collection) {
      await local.dropCollection(collection);
      await record({ op: 'dropCollection', collection, keys: [] });
    },
    async search(collection, query, options) {
      await catchUp();
      return local.search(collection, query, options);
    },
    async size(collection) {
      await catchUp();
      return local.size(collection);
    },
    async health() {
      if (replayError !== undefined) {
        // The cause went to onError; a health answer carries no internals.
        return { ok: false, detail: 'cannot replay the index change log' };
      }
      return (await local.health?.()) ?? { ok: true };
    },
    async flush() {
      // The snapshot is stamped with the database's fingerprint: it must hold what other processes wrote too.
      await catchUp();
      await local.flush();
    },
    async close() {
      clearInterval(timer);
      await unsubscribe?.();
      await replaying?.catch(() => undefined);
      await local.close();
    },
  };
}
