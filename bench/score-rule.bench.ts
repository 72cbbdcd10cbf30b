import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { qualityFailure } from '../src/adapters/face-engine/quality.js';
import { cohortShift } from '../src/domain/cohort-score.js';
import { compareSimilarity } from '../src/domain/compare-similarity.js';
import { type LabelledPhoto, type SearchRule, serviceRule, simulateSearch } from '../src/domain/search-simulation.js';
import type { FaceQuality } from '../src/ports/face-engine.js';

// The 1:N decision rule per capture condition (issue #11), from the dumps of bench/score-conditions.bench.ts:
//   node dist/bench/score-rule.bench.js [--enrol 3] [--json] DUMP.json [DUMP.json ...]
// Folders of the same name in several dumps (e.g. `facegate degrade` run with seeds 1, 2, 3) are pooled as one
// condition, each copy enrolled and searched on its own (domain/search-simulation.ts) at the default 0.85. Rules: `fixed` (best template, raw cosine), `cohort` (best template, cohort shift: the rule before #11's second
// pass), `rule` (domain/match-similarity.ts, what the services run).

interface Photo {
  label: string;
  file: string;
  q?: FaceQuality;
  det?: number;
  t?: number[];
  /** The recogniser's embedding length (domain/compare-similarity.ts); absent in dumps made before it. */
  n?: number;
}

const DEFAULT_COSINE = 0.45; // calibration.ts: score 0.85, the login default

const rules: Record<string, SearchRule> = {
  fixed: (t) => Math.max(...t),
  // As the service ran it before: the collection's templates less one.
  cohort: (t, others, _rest, templateCount) => Math.max(...t) - cohortShift(others, templateCount - 1),
  rule: serviceRule,
};

const labelled = (photos: readonly Photo[]): LabelledPhoto[] =>
  photos.flatMap((p) =>
    p.t && p.q
      ? [{ label: p.label, path: p.file, template: p.t, norm: p.n, refused: qualityFailure(p.q) !== undefined }]
      : [],
  );

function measure(sets: readonly Photo[][], rule: SearchRule, enrol: number, groupSize?: number) {
  return {
    photosFound: sets.reduce((n, photos) => n + photos.filter((p) => p.t).length, 0),
    ...simulateSearch(sets.map(labelled), { enrol, rule, groupSize, accepts: (s) => s >= DEFAULT_COSINE }),
  };
}

// Image-to-image /compare: every pair within one copy, raw cosine against the compare rule.
function comparePairs(sets: readonly Photo[][]) {
  const found = sets.map((photos) => photos.filter((p) => p.t));
  const rates = (sim: (a: Photo, b: Photo) => number) => {
    const genuine: number[] = [];
    const impostor: number[] = [];
    for (const photos of found)
      for (let i = 0; i < photos.length; i++)
        for (let j = i + 1; j < photos.length; j++)
          (photos[i]!.label === photos[j]!.label ? genuine : impostor).push(sim(photos[i]!, photos[j]!));
    const cut = [...impostor].sort((x, y) => y - x)[Math.floor(impostor.length * 1e-3)] ?? Number.NaN;
    return {
      falseAccepts: impostor.filter((s) => s >= DEFAULT_COSINE).length,
      impostorPairs: impostor.length,
      far: impostor.filter((s) => s >= DEFAULT_COSINE).length / impostor.length,
      tar: genuine.filter((s) => s >= DEFAULT_COSINE).length / genuine.length,
      tarAtFar1e3: genuine.filter((s) => s > cut).length / genuine.length,
    };
  };
  const cosine = (a: Photo, b: Photo) => a.t!.reduce((sum, x, k) => sum + x * b.t![k]!, 0);
  return {
    fixed: rates(cosine),
    compare: rates((a, b) => compareSimilarity(cosine(a, b), a.n, b.n)),
  };
}

const { values, positionals } = parseArgs({
  options: {
    enrol: { type: 'string', default: '3' },
    group: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  allowPositionals: true,
});
const enrol = Number(values.enrol);
const groupSize = values.group === undefined ? undefined : Number(values.group);
if (positionals.length === 0 || !Number.isInteger(enrol) || enrol < 1) {
  process.stderr.write('usage: node dist/bench/score-rule.bench.js [--enrol N] [--json] DUMP.json [DUMP.json ...]\n');
  process.exit(2);
}
const conditions = new Map<string, Photo[][]>();
for (const file of positionals) {
  const dump = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Photo[]>;
  for (const [dir, photos] of Object.entries(dump)) {
    const name = basename(dir.replace(/\/+$/, ''));
    conditions.set(name, [...(conditions.get(name) ?? []), photos]);
  }
}
const report = [...conditions.entries()].map(([condition, sets]) => ({
  condition,
  copies: sets.length,
  rules: Object.fromEntries(Object.entries(rules).map(([name, rule]) => [name, measure(sets, rule, enrol, groupSize)])),
  compare: comparePairs(sets),
}));
if (values.json) {
  process.stdout.write(`${JSON.stringify({ enrol, defaultCosine: DEFAULT_COSINE, report }, null, 2)}\n`);
} else {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const names = Object.keys(rules);
  process.stdout.write(`enrolled with up to ${enrol} photos per person; default threshold 0.85 (cosine 0.45)\n`);
  process.stdout.write(
    `| condition | photos found | genuine first try, ${names.join(' / ')} | non-enrolled logged in | impostor probe×person FAR | TAR at FAR 1e-3 |\n|---|---|---|---|---|---|\n`,
  );
  for (const r of report) {
    const m = names.map((n) => r.rules[n]!);
    const first = m[0]!;
    process.stdout.write(
      `| ${r.condition} | ${first.photosFound} | ${m.map((x) => pct(x.genuineFirstTry)).join(' / ')} | ${m
        .map((x) => x.strangersLoggedIn)
        .join(' / ')} (of ${first.strangers}) | ${m
        .map((x) => `${x.falseAccepts} (${x.far.toExponential(1)})`)
        .join(' / ')} of ${first.impostorPairs} | ${m.map((x) => pct(x.tarAtFar1e3)).join(' / ')} |\n`,
    );
  }
  process.stdout.write(
    '\n/compare, all pairs within each copy: fixed cosine → the compare rule\n| condition | impostor pair FAR at 0.85 | genuine pairs accepted | TAR at FAR 1e-3 |\n|---|---|---|---|\n',
  );
  for (const r of report) {
    const { fixed: f, compare: c } = r.compare;
    process.stdout.write(
      `| ${r.condition} | ${f.falseAccepts} (${f.far.toExponential(1)}) → ${c.falseAccepts} (${c.far.toExponential(1)}) of ${f.impostorPairs} | ${pct(f.tar)} → ${pct(c.tar)} | ${pct(f.tarAtFar1e3)} → ${pct(c.tarAtFar1e3)} |\n`,
    );
  }
}
