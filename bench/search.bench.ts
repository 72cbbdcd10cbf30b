// npm run bench:search -- --n N [--dim 512] [--json] [--queries Q] [--exact-queries E] [--quantization f16|i8|f32]
//   [--connectivity M] [--expansion-add A] [--expansion-search S] [--fast-candidates C] [--per samples] [--keep]
//
// Builds N synthetic templates, then side by side: the exact index (build, latency, and the ground truth) and the
// HNSW index (build, save). The restart case runs in a child process that holds nothing but the loaded index, so
// its RSS is the index's and not the benchmark's 2 GB of generated vectors: load time until searchable, RSS,
// fast-mode latency p50/p99 over Q held-out probes, recall@1/@10 against the exact answers, exact-mode latency.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTemplateCipher } from '../src/adapters/crypto/template-cipher.js';
import { createExactVectorIndex } from '../src/adapters/vector-index/exact-vector-index.js';
import { createHnswVectorIndex, hnswDefaults } from '../src/adapters/vector-index/hnsw-vector-index.js';
import type { VectorEntry, VectorIndex } from '../src/ports/vector-index.js';
import { DEFAULT_SUBSPACE, generateProbes, generateTemplates, type SyntheticOptions } from './synthetic-templates.js';

type Quantization = 'f32' | 'f16' | 'i8';

interface Args {
  n: number;
  dim: number;
  json: boolean;
  queries: number;
  exactQueries: number;
  subspace: number;
  per: number;
  quantization: Quantization;
  connectivity: number;
  expansionAdd: number;
  expansionSearch: number;
  fastCandidates: number;
  keep: boolean;
  child: string | undefined;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (name: string, fallback: number): number => {
    const v = get(name);
    if (v === undefined) return fallback;
    const n = Number(v.replace(/_/g, ''));
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number`);
    return n;
  };
  const n = num('n', 100_000);
  const queries = num('queries', 2000);
  const q = get('quantization') ?? 'f16';
  if (q !== 'f32' && q !== 'f16' && q !== 'i8') throw new Error('--quantization must be f32, f16 or i8');
  return {
    n,
    dim: num('dim', 512),
    json: argv.includes('--json'),
    queries,
    exactQueries: num('exact-queries', Math.min(queries, n >= 500_000 ? 200 : 1000)),
    per: num('per', 5),
    subspace: num('subspace', DEFAULT_SUBSPACE),
    quantization: q,
    connectivity: num('connectivity', hnswDefaults.connectivity),
    expansionAdd: num('expansion-add', hnswDefaults.expansionAdd),
    expansionSearch: num('expansion-search', hnswDefaults.expansionSearch),
    fastCandidates: num('fast-candidates', hnswDefaults.fastCandidates),
    keep: argv.includes('--keep'),
    child: get('child'),
  };
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
const round = (x: number, digits = 3): number => Number(x.toFixed(digits));
const rssMb = (): number => round(process.memoryUsage().rss / 1048576, 0);
const log = (args: Args, msg: string): void => {
  if (!args.json) process.stderr.write(`${msg}\n`);
};

function synthOptions(a: Args): SyntheticOptions {
  return {
    identities: Math.ceil(a.n / a.per),
    samplesPerIdentity: a.per,
    dimension: a.dim,
    seed: 1,
    subspace: a.subspace,
  };
}

async function latencies(
  index: VectorIndex,
  probes: Float32Array,
  count: number,
  dim: number,
  mode: 'fast' | 'exact',
  onResult?: (q: number, keys: bigint[]) => void,
): Promise<{ p50Ms: number; p99Ms: number; meanMs: number }> {
  const warm = Math.min(20, count);
  for (let q = 0; q < warm; q++) await index.search('bench', probes.subarray(q * dim, (q + 1) * dim), { k: 10, mode });
  const times: number[] = [];
  for (let q = 0; q < count; q++) {
    const query = probes.subarray(q * dim, (q + 1) * dim);
    const t = performance.now();
    const hits = await index.search('bench', query, { k: 10, mode });
    times.push(performance.now() - t);
    onResult?.(
      q,
      hits.map((h) => h.key),
    );
  }
  const mean = times.reduce((s, x) => s + x, 0) / times.length;
  times.sort((x, y) => x - y);
  return { p50Ms: round(percentile(times, 0.5)), p99Ms: round(percentile(times, 0.99)), meanMs: round(mean) };
}

// Snapshots are sealed with the template key, as in the service: a random key per run, handed to the restart
// child through its environment (not argv, which other users can read).
const KEY_ENV = 'FACEGATE_BENCH_TEMPLATE_KEY';
const benchKey = process.env[KEY_ENV] ?? randomBytes(32).toString('hex');
const cipher = createTemplateCipher([benchKey]);

/** The HNSW index under test, in `dir`, as the arguments configure it (built by the parent, reopened by the child). */
const openHnsw = (a: Args, dir: string) =>
  createHnswVectorIndex({
    dir: join(dir, 'index'),
    dimension: a.dim,
    quantization: a.quantization,
    cipher,
    connectivity: a.connectivity,
    expansionAdd: a.expansionAdd,
    expansionSearch: a.expansionSearch,
    fastCandidates: a.fastCandidates,
  });

/** The restart case, in a fresh process: load the saved index, then measure it. */
async function child(a: Args, dir: string): Promise<void> {
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as string[][];
  const probes = generateProbes(synthOptions(a), Math.max(a.queries, truth.length));
  const rssBefore = rssMb();
  const t0 = performance.now();
  const index = await openHnsw(a, dir);
  const loadMs = performance.now() - t0;
  const size = await index.size('bench');
  if (size !== a.n) throw new Error(`loaded ${size} templates, expected ${a.n}`);
  const rssLoaded = rssMb();
  let hit1 = 0;
  let hit10 = 0;
  const fast = await latencies(index, probes.vectors, a.queries, a.dim, 'fast', (q, keys) => {
    const expected = truth[q];
    if (expected === undefined) return;
    if (keys[0]?.toString() === expected[0]) hit1++;
    const got = new Set(keys.map(String));
    hit10 += expected.filter((k) => got.has(k)).length;
  });
  const judged = Math.min(a.queries, truth.length);
  const exactMode = await latencies(index, probes.vectors, Math.min(a.exactQueries, 50), a.dim, 'exact');
  const out = {
    loadMs: round(loadMs, 0),
    rssMb: rssMb(),
    rssAfterLoadMb: rssLoaded,
    rssBeforeLoadMb: rssBefore,
    maxRssMb: round(process.resourceUsage().maxRSS / 1024, 0),
    ...fast,
    recallAt1: round(hit1 / judged, 4),
    recallAt10: round(hit10 / (10 * judged), 4),
    recallQueries: judged,
    exactModeP50Ms: exactMode.p50Ms,
    exactModeP99Ms: exactMode.p99Ms,
  };
  await index.close();
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  if (a.child !== undefined) return child(a, a.child);

  const dir = mkdtempSync(join(tmpdir(), 'facegate-bench-'));
  const synth = synthOptions(a);
  let t = performance.now();
  const data = generateTemplates(synth);
  const n = a.n;
  const generateMs = performance.now() - t;
  log(a, `generated ${n} × ${a.dim} templates (${synth.identities} identities) in ${round(generateMs / 1000, 1)} s`);
  const entries: VectorEntry[] = new Array(n);
  for (let i = 0; i < n; i++) {
    entries[i] = {
      key: BigInt(i + 1),
      personId: `p${data.identityOf(i)}`,
      vector: data.vectors.subarray(i * a.dim, (i + 1) * a.dim),
    };
  }
  const probes = generateProbes(synth, Math.max(a.queries, a.exactQueries));

  // Exact: the reference answers double as its latency measurement.
  const exact = createExactVectorIndex({ dimension: a.dim, initialCapacity: n });
  t = performance.now();
  await exact.add('bench', entries);
  const exactBuildMs = performance.now() - t;
  const truth: string[][] = [];
  let sameIdentity = 0;
  const exactLat = await latencies(exact, probes.vectors, a.exactQueries, a.dim, 'exact', (q, keys) => {
    truth[q] = keys.map(String);
    const top = keys[0];
    if (top !== undefined && data.identityOf(Number(top) - 1) === probes.identities[q]) sameIdentity++;
  });
  await exact.close();
  log(a, `exact: p50 ${exactLat.p50Ms} ms, p99 ${exactLat.p99Ms} ms over ${a.exactQueries} probes`);
  writeFileSync(join(dir, 'truth.json'), JSON.stringify(truth));

  // HNSW: build with batch inserts on all cores, then persist.
  const hnsw = await openHnsw(a, dir);
  const batch = 50_000;
  t = performance.now();
  for (let i = 0; i < n; i += batch) {
    await hnsw.add('bench', entries.slice(i, i + batch));
    log(a, `hnsw: ${Math.min(n, i + batch)} / ${n} inserted, ${round((performance.now() - t) / 1000, 1)} s`);
  }
  const buildMs = performance.now() - t;
  t = performance.now();
  await hnsw.flush();
  const saveMs = performance.now() - t;
  await hnsw.close();
  log(a, `hnsw: built in ${round(buildMs / 1000, 1)} s, saved in ${round(saveMs / 1000, 1)} s; restarting…`);

  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, [...process.execArgv, self, ...process.argv.slice(2), '--child', dir], {
    encoding: 'utf8',
    env: { ...process.env, [KEY_ENV]: benchKey },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`restart child failed with status ${r.status}`);
  const restarted = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
  if (!a.keep) rmSync(dir, { recursive: true, force: true });

  const result = {
    n,
    dim: a.dim,
    generateMs: round(generateMs, 0),
    probeIdentityTop1: round(sameIdentity / a.exactQueries, 4),
    exact: { ...exactLat, buildMs: round(exactBuildMs, 0), queries: a.exactQueries },
    hnsw: {
      ...restarted,
      buildMs: round(buildMs, 0),
      saveMs: round(saveMs, 0),
      queries: a.queries,
      quantization: a.quantization,
      connectivity: a.connectivity,
      expansionAdd: a.expansionAdd,
      expansionSearch: a.expansionSearch,
      fastCandidates: a.fastCandidates,
    },
  };
  if (a.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  console.log(`\nN = ${n}, ${a.dim}-d, ${os()}`);
  console.log(`exact  p50 ${result.exact.p50Ms} ms  p99 ${result.exact.p99Ms} ms  (${a.exactQueries} probes)`);
  console.log(
    `hnsw   p50 ${restarted['p50Ms']} ms  p99 ${restarted['p99Ms']} ms  recall@1 ${restarted['recallAt1']}  recall@10 ${restarted['recallAt10']}  (${a.queries} probes)`,
  );
  console.log(
    `       build ${round(buildMs / 1000, 1)} s  save ${round(saveMs / 1000, 1)} s  load ${restarted['loadMs']} ms`,
  );
  console.log(
    `       RSS ${restarted['rssMb']} MB loaded (peak ${restarted['maxRssMb']} MB)  exact mode p50 ${restarted['exactModeP50Ms']} ms`,
  );
  console.log(`       ${a.quantization}, M ${a.connectivity}, ef_add ${a.expansionAdd}, ef ${a.expansionSearch}`);
}

function os(): string {
  return `node ${process.version}`;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
