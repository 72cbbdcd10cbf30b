// Synthetic face templates that cluster like a real 512-d recogniser's output: each identity is a random unit
// centre; each sample is centre + isotropic noise, re-normalised. With noise energy r = ||noise||² / ||centre||²
// drawn per sample from [0.2, 0.8], two samples of one identity have cosine ≈ 1/√((1+r₁)(1+r₂)) ∈ [0.55, 0.83]
// (mean ≈ 0.7) and samples of different identities have cosine ≈ 0 ± 1/√d (± 0.044 at 512-d): the shape of the
// real model's genuine (0.7) and impostor (0.02) distributions.
//
// Every vector is a pure function of (seed, identity, sample), so a process can regenerate any template or query
// without holding the whole set (the benchmark's "restart" child relies on that).

export interface SyntheticOptions {
  identities: number;
  samplesPerIdentity: number;
  dimension?: number;
  seed?: number;
  /** Range of the per-sample noise energy relative to the centre; defaults to [0.2, 0.8]. */
  noise?: readonly [number, number];
  /**
   * Dimensions the identity centres span (randomly rotated into the full space); defaults to 56. Real face
   * templates are far from isotropic: on the shared dev set impostor pairs have cosine 0.013 ± 0.096, i.e. about
   * 1/0.096² ≈ 109 effective dimensions, and with this generator's noise 56 centre dimensions give that spread
   * (0 ± 0.044 if the centres were isotropic in 512-d, which no recogniser produces and which leaves a graph
   * index no structure to navigate).
   */
  subspace?: number;
}

export const DEFAULT_SUBSPACE = 56;

export interface SyntheticTemplates {
  dimension: number;
  count: number;
  /** count × dimension, row-major, every row L2-normalised. Row i is identity ⌊i / samplesPerIdentity⌋. */
  vectors: Float32Array;
  samplesPerIdentity: number;
  identityOf(row: number): number;
}

const DEFAULT_NOISE: readonly [number, number] = [0.2, 0.8];

/** sfc32: small, fast, good enough statistically; returns uint32. */
function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
}

function mix(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A PRNG stream for one (seed, a, b) triple; uint32 output. */
export function streamFor(seed: number, a: number, b: number): () => number {
  const next = sfc32(mix(seed ^ 0x9e3779b9), mix(a + 0x632be5ab), mix(b ^ 0x5bd1e995), mix(seed + a * 31 + b));
  for (let i = 0; i < 12; i++) next();
  return next;
}

const U32 = 1 / 4294967296;

/** Random ±1 signs for the rotation, fixed per seed. */
const signCache = new Map<string, Float32Array>();
function signsFor(seed: number, dim: number): Float32Array {
  const key = `${seed}:${dim}`;
  let signs = signCache.get(key);
  if (!signs) {
    const next = streamFor(seed, 0x5167, dim);
    signs = Float32Array.from({ length: dim }, () => (next() & 1 ? 1 : -1));
    signCache.set(key, signs);
  }
  return signs;
}

/** In-place fast Walsh–Hadamard transform of out[offset .. offset+dim); dim a power of two. */
function hadamard(out: Float32Array, offset: number, dim: number): void {
  for (let h = 1; h < dim; h *= 2) {
    for (let i = 0; i < dim; i += h * 2) {
      for (let j = i; j < i + h; j++) {
        const a = out[offset + j] as number;
        const b = out[offset + j + h] as number;
        out[offset + j] = a + b;
        out[offset + j + h] = a - b;
      }
    }
  }
}

/**
 * Writes the identity's unit centre: a Gaussian direction in a `subspace`-dimensional space (uniform on that
 * sphere, via Box–Muller), rotated into the full space by a fixed randomised Hadamard transform, which keeps
 * cosines between centres and spreads every centre over all dimensions.
 */
export function writeCentre(
  seed: number,
  identity: number,
  dim: number,
  out: Float32Array,
  offset = 0,
  subspace = DEFAULT_SUBSPACE,
): void {
  const next = streamFor(seed, identity, 0xffffffff);
  const rotate = (dim & (dim - 1)) === 0 && subspace < dim;
  const k = rotate ? subspace : dim;
  out.fill(0, offset, offset + dim);
  for (let i = 0; i < k; i += 2) {
    const u1 = (next() + 1) * U32;
    const u2 = next() * U32;
    const r = Math.sqrt(-2 * Math.log(u1));
    out[offset + i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < k) out[offset + i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  if (rotate) {
    const signs = signsFor(seed, dim);
    for (let i = 0; i < dim; i++) out[offset + i] = (out[offset + i] as number) * (signs[i] as number);
    hadamard(out, offset, dim);
  }
  let norm = 0;
  for (let i = 0; i < dim; i++) norm += (out[offset + i] as number) ** 2;
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < dim; i++) out[offset + i] = (out[offset + i] as number) * inv;
}

/**
 * Writes sample `sample` of an identity from its centre. Noise is uniform per component (cheaper than Gaussian;
 * in 512-d the cosine statistics are the same by the central limit theorem).
 */
export function writeSample(
  seed: number,
  identity: number,
  sample: number,
  centre: Float32Array,
  dim: number,
  out: Float32Array,
  offset = 0,
  noise: readonly [number, number] = DEFAULT_NOISE,
): void {
  const next = streamFor(seed, identity, sample);
  const r = noise[0] + (noise[1] - noise[0]) * next() * U32;
  // Uniform on [-1, 1) has variance 1/3; scale so the noise energy is r (the centre has energy 1).
  const scale = Math.sqrt((3 * r) / dim) * 2 * U32;
  const shift = Math.sqrt((3 * r) / dim);
  let norm = 0;
  for (let i = 0; i < dim; i++) {
    const v = (centre[i] as number) + next() * scale - shift;
    out[offset + i] = v;
    norm += v * v;
  }
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < dim; i++) out[offset + i] = (out[offset + i] as number) * inv;
}

export function generateTemplates(options: SyntheticOptions): SyntheticTemplates {
  const dim = options.dimension ?? 512;
  const seed = options.seed ?? 1;
  const per = options.samplesPerIdentity;
  const count = options.identities * per;
  const vectors = new Float32Array(count * dim);
  const centre = new Float32Array(dim);
  for (let id = 0; id < options.identities; id++) {
    writeCentre(seed, id, dim, centre, 0, options.subspace);
    for (let s = 0; s < per; s++) {
      writeSample(seed, id, s, centre, dim, vectors, (id * per + s) * dim, options.noise);
    }
  }
  return { dimension: dim, count, vectors, samplesPerIdentity: per, identityOf: (row) => Math.floor(row / per) };
}

/**
 * Held-out probes: fresh samples (sample numbers ≥ samplesPerIdentity, so never enrolled) of randomly chosen
 * enrolled identities. Returns the probes and the identity each belongs to.
 */
export function generateProbes(
  options: SyntheticOptions,
  count: number,
  probeSeed = 7,
): { vectors: Float32Array; identities: Uint32Array } {
  const dim = options.dimension ?? 512;
  const seed = options.seed ?? 1;
  const pick = streamFor(probeSeed, 0x51, 0x52);
  const vectors = new Float32Array(count * dim);
  const identities = new Uint32Array(count);
  const centre = new Float32Array(dim);
  for (let q = 0; q < count; q++) {
    const id = pick() % options.identities;
    identities[q] = id;
    writeCentre(seed, id, dim, centre, 0, options.subspace);
    writeSample(seed, id, options.samplesPerIdentity + 1 + q, centre, dim, vectors, q * dim, options.noise);
  }
  return { vectors, identities };
}

export function dot(a: Float32Array, aOff: number, b: Float32Array, bOff: number, dim: number): number {
  let s = 0;
  for (let i = 0; i < dim; i++) s += (a[aOff + i] as number) * (b[bOff + i] as number);
  return s;
}
