import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { qualityFailure } from '../src/adapters/face-engine/quality.js';
import { cohortShift } from '../src/domain/cohort-score.js';
import { matchSimilarity } from '../src/domain/match-similarity.js';
import type { FaceQuality } from '../src/ports/face-engine.js';

// The 1:N decision rule per capture condition (issue #11), from the dumps of bench/score-conditions.bench.ts:
//   node dist/bench/score-rule.bench.js [--enrol 3] [--json] DUMP.json [DUMP.json ...]
// Folders of the same name in several dumps (e.g. `facegate degrade` run with seeds 1, 2, 3) are pooled as one
// condition. In each, every person is enrolled with their first `--enrol` photos (at most all but one), and
// - genuine first try: each other photo of the person is searched in the whole collection; it passes the quality
//   gates, its best match is its own person and that match passes the default 0.85;
// - non-enrolled: every photo is searched with its own person taken out of the collection (a stranger whose
//   colleagues are enrolled); logged in = any match at 0.85. Impostor probe×person FAR counts every such pair;
// - TAR at FAR 1e-3: the genuine probes' own-person similarity against the impostor pairs' (the rule's units).
// Rules: `fixed` (best template, raw cosine), `cohort` (best template, cohort shift: the rule before #11's second
// pass), `rule` (domain/match-similarity.ts, what the services run).

interface Photo {
  label: string;
  file: string;
  q?: FaceQuality;
  det?: number;
  t?: number[];
}

const DEFAULT_COSINE = 0.45; // calibration.ts: score 0.85, the login default

/** `rest`: the templates of the collection's other persons; `templateCount`: all of the collection's. */
type Rule = (templates: readonly number[], others: readonly number[], rest: number, templateCount: number) => number;
const rules: Record<string, Rule> = {
  fixed: (t) => Math.max(...t),
  // As the service ran it before: the collection's templates less one.
  cohort: (t, others, _rest, templateCount) => Math.max(...t) - cohortShift(others, templateCount - 1),
  rule: (templates, others, rest) => matchSimilarity({ templates, others, cohortSize: rest }),
};

const dot = (a: readonly number[], b: readonly number[]) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

interface Sample {
  person: string;
  photo: Photo & { t: number[]; q: FaceQuality };
}

function enrolment(photos: readonly Photo[], enrol: number) {
  const byPerson = new Map<string, Sample['photo'][]>();
  for (const p of photos) {
    if (!p.t || !p.q) continue;
    byPerson.set(p.label, [...(byPerson.get(p.label) ?? []), p as Sample['photo']]);
  }
  const gallery = new Map<string, number[][]>();
  const probes: Sample[] = [];
  const all: Sample[] = [];
  for (const [person, list] of [...byPerson.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...list].sort((a, b) => a.file.localeCompare(b.file));
    const n = sorted.length > 1 ? Math.min(enrol, sorted.length - 1) : 1;
    gallery.set(
      person,
      sorted.slice(0, n).map((p) => p.t),
    );
    for (const p of sorted.slice(n)) probes.push({ person, photo: p });
    for (const p of sorted) all.push({ person, photo: p });
  }
  return { gallery, probes, all };
}

/** The rule's similarity of a probe to each person of `persons`, the collection searched. */
function scoresIn(rule: Rule, gallery: Map<string, number[][]>, persons: readonly string[], probe: number[]) {
  const sims = new Map(persons.map((p) => [p, gallery.get(p)!.map((t) => dot(t, probe))]));
  const bestOf = new Map(persons.map((p) => [p, Math.max(...sims.get(p)!)]));
  // The rest of the collection's templates, as the search service counts them once a candidate's are read.
  const templateCount = persons.reduce((n, p) => n + gallery.get(p)!.length, 0);
  return new Map(
    persons.map((p) => [
      p,
      rule(
        sims.get(p)!,
        persons.filter((o) => o !== p).map((o) => bestOf.get(o)!),
        templateCount - gallery.get(p)!.length,
        templateCount,
      ),
    ]),
  );
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

function measure(sets: readonly Photo[][], rule: Rule, enrol: number) {
  let found = 0;
  let genuine = 0;
  let genuineOk = 0;
  let strangers = 0;
  let strangersIn = 0;
  let pairs = 0;
  let falseAccepts = 0;
  const genuineSims: number[] = [];
  const impostorSims: number[] = [];
  for (const photos of sets) {
    found += photos.filter((p) => p.t).length;
    const { gallery, probes, all } = enrolment(photos, enrol);
    const persons = [...gallery.keys()];
    for (const { person, photo } of probes) {
      const s = scoresIn(rule, gallery, persons, photo.t);
      const own = s.get(person)!;
      genuine++;
      genuineSims.push(own);
      const best = Math.max(...s.values());
      if (!qualityFailure(photo.q) && own === best && own >= DEFAULT_COSINE) genuineOk++;
    }
    for (const { person, photo } of all) {
      const others = persons.filter((p) => p !== person);
      const s = scoresIn(rule, gallery, others, photo.t);
      const gated = qualityFailure(photo.q) !== undefined;
      strangers++;
      if (!gated && Math.max(...s.values()) >= DEFAULT_COSINE) strangersIn++;
      for (const v of s.values()) {
        pairs++;
        impostorSims.push(v);
        if (!gated && v >= DEFAULT_COSINE) falseAccepts++;
      }
    }
  }
  impostorSims.sort((a, b) => a - b);
  const at1e3 = quantile(impostorSims, 1 - 1e-3);
  return {
    photosFound: found,
    genuineFirstTry: genuineOk / Math.max(1, genuine),
    genuineProbes: genuine,
    strangersLoggedIn: strangersIn,
    strangers,
    falseAccepts,
    impostorPairs: pairs,
    far: falseAccepts / Math.max(1, pairs),
    tarAtFar1e3: genuineSims.filter((s) => s > at1e3).length / Math.max(1, genuineSims.length),
  };
}

const { values, positionals } = parseArgs({
  options: { enrol: { type: 'string', default: '3' }, json: { type: 'boolean', default: false } },
  allowPositionals: true,
});
const enrol = Number(values.enrol);
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
  rules: Object.fromEntries(Object.entries(rules).map(([name, rule]) => [name, measure(sets, rule, enrol)])),
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
}
