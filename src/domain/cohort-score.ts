// Cohort normalisation of 1:N and 1:1 similarities (issue #11, "Scores that hold"). On small, dim, noisy faces
// every face looks a little like every other: the probe's similarities to *all* enrolled persons rise together, and
// a fixed cosine threshold no longer means its error rate. The probe's own similarities to the other persons of the
// collection show how far it has risen: a probe that resembles many enrolled people is a match for none of them.
//
// Rule: for a candidate, take the probe's similarities to the other persons of the collection (its cohort), estimate
// the mean of the probe's impostor distribution from the top ranks as order statistics of a normal distribution
// (rank r of M others sits at mean + sd * z(1 - r/(M+1))), and subtract from the candidate's similarity how far
// that estimate exceeds the population mean, beyond a dead band. It never raises a similarity. Measured with
// `facegate degrade` + bench/score-conditions.bench.ts on the dev set and its degraded copies (README, "Scores").

/** Impostor cosine mean and spread of the recogniser on the dev set (26,929 pairs): 0.013 ± 0.096. */
export const IMPOSTOR_MEAN = 0.013;
export const IMPOSTOR_SD = 0.096;
/** Ranks of the cohort used for the estimate. */
export const COHORT_RANKS = 5;
/** How far above the population mean a probe's estimate may sit before it costs anything (noise of the estimate). */
export const COHORT_DEAD_BAND = 0.03;

/** Inverse standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/**
 * How much to take off a candidate's similarity, given the probe's best similarity to each *other* person of the
 * collection searched (any order; at least the top COHORT_RANKS of them) and how many other persons the
 * collection holds (`cohortSize` ≥ others.length). 0 when there is no cohort.
 */
export function cohortShift(others: readonly number[], cohortSize: number = others.length): number {
  const m = Math.max(cohortSize, others.length);
  if (others.length === 0 || m === 0) return 0;
  const top = [...others].sort((x, y) => y - x).slice(0, COHORT_RANKS);
  let sum = 0;
  top.forEach((s, i) => {
    sum += s - IMPOSTOR_SD * normalQuantile(1 - (i + 1) / (m + 1));
  });
  return Math.max(0, sum / top.length - IMPOSTOR_MEAN - COHORT_DEAD_BAND);
}

/** The candidate's similarity after cohort normalisation (what the calibrated API score is computed from). */
export const normalisedSimilarity = (similarity: number, others: readonly number[], cohortSize?: number): number =>
  similarity - cohortShift(others, cohortSize);
