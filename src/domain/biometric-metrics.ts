// Biometric accuracy maths (ISO/IEC 19795 vocabulary), pure so they can be unit-tested and reused by the eval
// command and the calibration notes. Scores are "higher = more similar"; a comparison is accepted when its score is
// strictly above the threshold.

import { livenessVerdict, matchPassed, roundScore } from './scores.js';

/** Descending copy. */
const desc = (xs: readonly number[]) => [...xs].sort((a, b) => b - a);

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Share of scores strictly above the threshold. */
export function shareAbove(scores: readonly number[], threshold: number): number {
  if (scores.length === 0) return Number.NaN;
  let n = 0;
  for (const s of scores) if (s > threshold) n++;
  return n / scores.length;
}

/**
 * The lowest threshold whose false accept rate is at most `far`: with impostor scores sorted descending, at most
 * floor(far * n) of them may lie above it. When that allows none, the threshold is the highest impostor score.
 */
export function thresholdAtFar(impostor: readonly number[], far: number): number {
  if (impostor.length === 0) return Number.NEGATIVE_INFINITY;
  const sorted = desc(impostor);
  const allowed = Math.floor(far * sorted.length + 1e-9);
  return sorted[Math.min(allowed, sorted.length - 1)]!;
}

export interface TarAtFar {
  far: number;
  threshold: number;
  tar: number;
  /** False when the impostor set is too small to measure this FAR (fewer than 1/far impostor comparisons). */
  measurable: boolean;
}

export function tarAtFar(genuine: readonly number[], impostor: readonly number[], far: number): TarAtFar {
  const threshold = thresholdAtFar(impostor, far);
  return { far, threshold, tar: shareAbove(genuine, threshold), measurable: impostor.length * far >= 1 };
}

export interface ErrorRates {
  threshold: number;
  far: number;
  frr: number;
}

/** FAR and FRR at every distinct score (the DET curve), ordered by threshold ascending. */
export function detCurve(genuine: readonly number[], impostor: readonly number[]): ErrorRates[] {
  const thresholds = [...new Set([...genuine, ...impostor])].sort((a, b) => a - b);
  const g = [...genuine].sort((a, b) => a - b);
  const im = [...impostor].sort((a, b) => a - b);
  const out: ErrorRates[] = [];
  let gi = 0;
  let ii = 0;
  for (const t of thresholds) {
    while (gi < g.length && g[gi]! <= t) gi++;
    while (ii < im.length && im[ii]! <= t) ii++;
    out.push({ threshold: t, frr: gi / g.length, far: (im.length - ii) / im.length });
  }
  return out;
}

/** Equal error rate: the point of the DET curve where FAR and FRR cross (their mean at the closest threshold). */
export function equalErrorRate(genuine: readonly number[], impostor: readonly number[]): ErrorRates {
  const curve = detCurve(genuine, impostor);
  let best: ErrorRates = { threshold: Number.NaN, far: Number.NaN, frr: Number.NaN };
  let gap = Number.POSITIVE_INFINITY;
  for (const p of curve) {
    const d = Math.abs(p.far - p.frr);
    if (d < gap) {
      gap = d;
      best = p;
    }
  }
  return best;
}

export interface LabelledTemplate {
  label: string;
  template: Float32Array;
}

export interface Rank1Result {
  correct: number;
  /** Probes whose identity has at least one other sample in the gallery. */
  total: number;
  misses: Array<{ probe: number; found: number }>;
}

/**
 * Leave-one-out closed-set identification: each sample is a probe against all the others; a probe counts when its
 * identity has another sample, and is correct when the most similar other sample has its identity.
 */
export function rank1(
  samples: readonly LabelledTemplate[],
  similarity: (a: Float32Array, b: Float32Array) => number,
): Rank1Result {
  const counts = new Map<string, number>();
  for (const s of samples) counts.set(s.label, (counts.get(s.label) ?? 0) + 1);
  const result: Rank1Result = { correct: 0, total: 0, misses: [] };
  samples.forEach((probe, i) => {
    if ((counts.get(probe.label) ?? 0) < 2) return;
    result.total++;
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    samples.forEach((other, j) => {
      if (i === j) return;
      const s = similarity(probe.template, other.template);
      if (s > bestScore) {
        bestScore = s;
        best = j;
      }
    });
    if (best >= 0 && samples[best]!.label === probe.label) result.correct++;
    else result.misses.push({ probe: i, found: best });
  });
  return result;
}

export interface PadRates {
  threshold: number;
  /** Attack presentations classified as bona fide. */
  apcer: number;
  /** Bona fide presentations classified as attacks. */
  bpcer: number;
}

/** The service's own liveness rule, so that the eval's rates are the API's: live iff the reported score > threshold. */
const passesLiveness = (score: number | undefined, threshold: number) =>
  score !== undefined && livenessVerdict(score, threshold).passed;

/**
 * Presentation-attack error rates at a liveness threshold (live when score > threshold). A presentation with no
 * usable face (undefined) is rejected: it counts against BPCER for bona fide, and as a correct rejection for attacks.
 */
export function padRates(
  bonaFide: ReadonlyArray<number | undefined>,
  attacks: ReadonlyArray<number | undefined>,
  threshold: number,
): PadRates {
  const live = (s: number | undefined) => passesLiveness(s, threshold);
  const apcer = attacks.length ? attacks.filter(live).length / attacks.length : Number.NaN;
  const bpcer = bonaFide.length ? bonaFide.filter((s) => !live(s)).length / bonaFide.length : Number.NaN;
  return { threshold, apcer, bpcer };
}

/** One attack presentation: its presentation attack instrument ("print", "replay", …) and its liveness score. */
export interface AttackScore {
  kind: string;
  score: number | undefined;
}

export interface AttackKindRates {
  kind: string;
  attacks: number;
  /** Attacks classified as bona fide. */
  accepted: number;
  apcer: number;
}

export interface PadReport {
  threshold: number;
  /** Per attack kind, ordered by kind name. */
  kinds: AttackKindRates[];
  /** ISO/IEC 30107-3's APCER: the highest over attack kinds (NaN with no attacks). */
  apcer: number;
  /** The kind that sets `apcer` (the first by name on a tie); null with no attacks. */
  worstKind: string | null;
  /** Every attack pooled regardless of kind. */
  apcerPooled: number;
  attacks: number;
  attacksAccepted: number;
  bonaFide: number;
  /** Bona fide presentations classified as attacks. */
  bonaFideRejected: number;
  bpcer: number;
}

/**
 * Presentation-attack error rates per attack kind, at a liveness threshold and under the same rule as `padRates`.
 * The overall APCER is the worst kind's (ISO/IEC 30107-3 reports the maximum over attack instruments, so that a
 * weak instrument is not hidden by many easy attacks of another); the pooled figure is given beside it.
 */
export function padReport(
  bonaFide: ReadonlyArray<number | undefined>,
  attacks: readonly AttackScore[],
  threshold: number,
): PadReport {
  const byKind = new Map<string, { attacks: number; accepted: number }>();
  for (const a of attacks) {
    const k = byKind.get(a.kind) ?? { attacks: 0, accepted: 0 };
    k.attacks++;
    if (passesLiveness(a.score, threshold)) k.accepted++;
    byKind.set(a.kind, k);
  }
  const kinds = [...byKind]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([kind, k]) => ({ kind, attacks: k.attacks, accepted: k.accepted, apcer: k.accepted / k.attacks }));
  let worst: AttackKindRates | undefined;
  for (const k of kinds) if (!worst || k.apcer > worst.apcer) worst = k;
  const attacksAccepted = kinds.reduce((n, k) => n + k.accepted, 0);
  const bonaFideRejected = bonaFide.filter((s) => !passesLiveness(s, threshold)).length;
  return {
    threshold,
    kinds,
    apcer: worst ? worst.apcer : Number.NaN,
    worstKind: worst ? worst.kind : null,
    apcerPooled: attacks.length ? attacksAccepted / attacks.length : Number.NaN,
    attacks: attacks.length,
    attacksAccepted,
    bonaFide: bonaFide.length,
    bonaFideRejected,
    bpcer: bonaFide.length ? bonaFideRejected / bonaFide.length : Number.NaN,
  };
}

export interface PairScores {
  genuine: number[];
  impostor: number[];
}

/** All-vs-all comparison scores split into genuine (same label) and impostor pairs, each unordered pair once. */
export function allPairs(
  samples: readonly LabelledTemplate[],
  similarity: (a: Float32Array, b: Float32Array) => number,
): PairScores {
  const out: PairScores = { genuine: [], impostor: [] };
  for (let i = 0; i < samples.length; i++) {
    for (let j = i + 1; j < samples.length; j++) {
      const s = similarity(samples[i]!.template, samples[j]!.template);
      (samples[i]!.label === samples[j]!.label ? out.genuine : out.impostor).push(s);
    }
  }
  return out;
}

export interface SourcedTemplate extends LabelledTemplate {
  /** Where the photo came from (a data set, a camera, a source repository). */
  source: string;
}

export interface SourcePairs extends PairScores {
  source: string;
  images: number;
  /** Distinct labels among the source's samples. */
  people: number;
}

/**
 * The pairs within each source: genuine and impostor pairs whose two samples both come from that source, ordered by
 * source name. Cross-source pairs belong to no source (they still count in `allPairs`).
 */
export function pairsBySource(
  samples: readonly SourcedTemplate[],
  similarity: (a: Float32Array, b: Float32Array) => number,
): SourcePairs[] {
  const groups = new Map<string, SourcedTemplate[]>();
  for (const s of samples) groups.set(s.source, [...(groups.get(s.source) ?? []), s]);
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([source, group]) => ({
      source,
      images: group.length,
      people: new Set(group.map((s) => s.label)).size,
      ...allPairs(group, similarity),
    }));
}

// Operating points in the API's score. The API reports roundScore(calibrated score) and accepts a comparison iff
// matchPassed(score, minScore) (score >= minScore); the helpers below apply that rule to scores already mapped and
// rounded, so a flow's `searchMinScore` can be read off directly.

/** The step of the API's scores (four decimals), and so of any threshold that can tell two of them apart. */
export const SCORE_STEP = 1e-4;

export interface MatchRates {
  minScore: number;
  genuine: number;
  impostor: number;
  /** Impostor comparisons the API would accept. */
  falseAccepts: number;
  /** Genuine comparisons the API would refuse. */
  falseRejects: number;
  far: number;
  frr: number;
  tar: number;
}

/** FAR and FRR at a score threshold under the API's match rule (NaN for an empty side). */
export function matchRates(genuine: readonly number[], impostor: readonly number[], minScore: number): MatchRates {
  const falseAccepts = impostor.filter((s) => matchPassed(s, minScore)).length;
  const falseRejects = genuine.filter((s) => !matchPassed(s, minScore)).length;
  const rate = (k: number, n: number) => (n ? k / n : Number.NaN);
  return {
    minScore,
    genuine: genuine.length,
    impostor: impostor.length,
    falseAccepts,
    falseRejects,
    far: rate(falseAccepts, impostor.length),
    frr: rate(falseRejects, genuine.length),
    tar: rate(genuine.length - falseRejects, genuine.length),
  };
}

/**
 * The lowest API threshold (a multiple of SCORE_STEP) at which the API accepts at most floor(far * n) of these
 * impostor scores: one step above the impostor score `thresholdAtFar` stops at. Null with no impostors.
 */
export function minScoreAtFar(impostor: readonly number[], far: number): number | null {
  if (impostor.length === 0) return null;
  return roundScore(roundScore(thresholdAtFar(impostor, far)) + SCORE_STEP);
}

/**
 * The smallest x in [lo, hi] that `accepted` holds for, when it is monotonic (false below some point, true from it
 * on), to within `tolerance`; hi when it holds nowhere below hi. Used to find the cosine a score threshold stands
 * for, through the calibration itself rather than its table.
 */
export function lowestAccepted(accepted: (x: number) => boolean, lo: number, hi: number, tolerance = 1e-7): number {
  if (accepted(lo)) return lo;
  let a = lo;
  let b = hi;
  while (b - a > tolerance) {
    const m = (a + b) / 2;
    if (accepted(m)) b = m;
    else a = m;
  }
  return b;
}

// Wichura's AS241 (PPND16) coefficients: Φ⁻¹ to about 1e-16 relative error over (0, 1).
const CENTRAL = {
  a: [
    3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987, 67265.7709270087,
    33430.57558358813, 2509.0809287301227,
  ],
  b: [
    1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271,
    28729.085735721943, 5226.495278852854,
  ],
};
const NEAR = {
  a: [
    1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684,
    0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
  ],
  b: [
    1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008, 0.015198666563616457,
    0.0005475938084995345, 1.0507500716444169e-9,
  ],
};
const FAR_TAIL = {
  a: [
    6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487, 0.026532189526576124,
    0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
  ],
  b: [
    1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133, 0.000018463183175100548,
    1.421511758316446e-7, 2.0442631033899397e-15,
  ],
};
const poly = (c: readonly number[], x: number) => c.reduceRight((acc, k) => acc * x + k, 0);
const ratio = (c: { a: readonly number[]; b: readonly number[] }, x: number) => poly(c.a, x) / poly(c.b, x);

/**
 * The probit: the standard normal quantile Φ⁻¹(p), the axis of a DET plot (a normal deviate, so that two normal
 * score distributions draw a straight line). −Infinity at 0, +Infinity at 1, NaN outside [0, 1].
 */
export function probit(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) return q * ratio(CENTRAL, 0.180625 - q * q);
  const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  const z = r <= 5 ? ratio(NEAR, r - 1.6) : ratio(FAR_TAIL, r - 5);
  return q < 0 ? -z : z;
}
