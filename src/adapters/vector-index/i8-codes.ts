// Per-template int8 codes with a per-template scale and a stored error norm, kept in memory by the HNSW index
// for its exact mode. The error norm makes the scan a certificate rather than a guess: for a query q,
// |q·v − q·v̂| ≤ ‖q‖·‖v − v̂‖ (Cauchy–Schwarz), so every template that could be in the true top k survives the
// bound filter and is then re-scored from its float32 original. 512 B per template instead of 2 KB.

export class I8Codes {
  codes: Int8Array;
  /** Multiply a code dot product by this to get the approximate float dot product. */
  inverseScales: Float32Array;
  /** ‖v − v̂‖, rounded up so the bound stays safe after float32 storage. */
  errors: Float32Array;

  constructor(
    readonly dim: number,
    capacity: number,
  ) {
    this.codes = new Int8Array(capacity * dim);
    this.inverseScales = new Float32Array(capacity);
    this.errors = new Float32Array(capacity);
  }

  get capacity(): number {
    return this.inverseScales.length;
  }

  ensure(rows: number): void {
    if (rows <= this.capacity) return;
    let capacity = Math.max(1024, this.capacity);
    while (capacity < rows) capacity *= 2;
    const codes = new Int8Array(capacity * this.dim);
    codes.set(this.codes);
    const inv = new Float32Array(capacity);
    inv.set(this.inverseScales);
    const err = new Float32Array(capacity);
    err.set(this.errors);
    this.codes = codes;
    this.inverseScales = inv;
    this.errors = err;
  }

  /** Encodes `vector` (offset `from`) into row `row`. */
  encode(row: number, vector: Float32Array, from = 0): void {
    const dim = this.dim;
    let max = 0;
    for (let i = 0; i < dim; i++) {
      const a = Math.abs(vector[from + i] as number);
      if (a > max) max = a;
    }
    const scale = max === 0 ? 1 : 127 / max;
    const inverse = Math.fround(1 / scale);
    const base = row * dim;
    let err = 0;
    for (let i = 0; i < dim; i++) {
      const v = vector[from + i] as number;
      const c = Math.max(-127, Math.min(127, Math.round(v * scale)));
      this.codes[base + i] = c;
      const d = v - c * inverse;
      err += d * d;
    }
    this.inverseScales[row] = inverse;
    // A relative and an absolute margin cover float32 rounding of the stored norm and of the scan's arithmetic.
    this.errors[row] = Math.sqrt(err) * (1 + 1e-6) + 1e-6;
  }

  /** Approximate dot product of row `row` with `query` (float64 accumulate). */
  dot(row: number, query: Float32Array): number {
    const dim = this.dim;
    const codes = this.codes;
    const base = row * dim;
    let s0 = 0;
    let s1 = 0;
    let i = 0;
    for (; i + 1 < dim; i += 2) {
      s0 += (codes[base + i] as number) * (query[i] as number);
      s1 += (codes[base + i + 1] as number) * (query[i + 1] as number);
    }
    for (; i < dim; i++) s0 += (codes[base + i] as number) * (query[i] as number);
    return (s0 + s1) * (this.inverseScales[row] as number);
  }
}
