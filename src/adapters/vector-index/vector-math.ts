// Arithmetic shared by every index so that the exact index and the HNSW index's exact mode produce bit-identical
// similarities (same products, same summation order) and therefore identical orderings.

/** Dot product of row `aRow` of `a` and row `bRow` of `b` (both `dim` wide), summed in float64. */
export function dotRows(a: Float32Array, aRow: number, b: Float32Array, bRow: number, dim: number): number {
  const ao = aRow * dim;
  const bo = bRow * dim;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  // Four accumulators break the add dependency chain; V8 keeps them in registers.
  for (; i + 3 < dim; i += 4) {
    s0 += (a[ao + i] as number) * (b[bo + i] as number);
    s1 += (a[ao + i + 1] as number) * (b[bo + i + 1] as number);
    s2 += (a[ao + i + 2] as number) * (b[bo + i + 2] as number);
    s3 += (a[ao + i + 3] as number) * (b[bo + i + 3] as number);
  }
  for (; i < dim; i++) s0 += (a[ao + i] as number) * (b[bo + i] as number);
  return s0 + s1 + (s2 + s3);
}

/** Orders hits: similarity descending, then key ascending (a total order, so every index agrees on ties). */
export function compareHits(a: { similarity: number; key: bigint }, b: { similarity: number; key: bigint }): number {
  if (a.similarity !== b.similarity) return b.similarity - a.similarity;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * Bounded selection of the k best (similarity desc, key asc) among candidates identified by a row number.
 * A binary min-heap whose root is the worst kept candidate; `floor` lets callers skip work below it.
 */
export class TopK {
  readonly sims: Float64Array;
  readonly rows: Int32Array;
  readonly keys: BigInt64Array;
  size = 0;

  constructor(readonly k: number) {
    this.sims = new Float64Array(k);
    this.rows = new Int32Array(k);
    this.keys = new BigInt64Array(k);
  }

  /** The similarity a candidate must reach (ties then go by key) once the heap is full; -Infinity before. */
  get floor(): number {
    return this.size < this.k ? Number.NEGATIVE_INFINITY : (this.sims[0] as number);
  }

  /** a is worse than b: lower similarity, or equal similarity and larger key. */
  private worse(sa: number, ka: bigint, sb: number, kb: bigint): boolean {
    return sa < sb || (sa === sb && ka > kb);
  }

  offer(sim: number, row: number, key: bigint): void {
    if (this.k === 0) return;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(sim, key, this.sims[p] as number, this.keys[p] as bigint)) break;
        this.move(p, i);
        i = p;
      }
      this.set(i, sim, row, key);
      return;
    }
    if (!this.worse(this.sims[0] as number, this.keys[0] as bigint, sim, key)) return;
    let i = 0;
    const n = this.size;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (
        r < n &&
        this.worse(this.sims[r] as number, this.keys[r] as bigint, this.sims[l] as number, this.keys[l] as bigint)
      )
        c = r;
      if (!this.worse(this.sims[c] as number, this.keys[c] as bigint, sim, key)) break;
      this.move(c, i);
      i = c;
    }
    this.set(i, sim, row, key);
  }

  /** The kept candidates, best first. */
  sorted(): { similarity: number; row: number; key: bigint }[] {
    const out: { similarity: number; row: number; key: bigint }[] = [];
    for (let i = 0; i < this.size; i++) {
      out.push({ similarity: this.sims[i] as number, row: this.rows[i] as number, key: this.keys[i] as bigint });
    }
    return out.sort(compareHits);
  }

  private move(from: number, to: number): void {
    this.sims[to] = this.sims[from] as number;
    this.rows[to] = this.rows[from] as number;
    this.keys[to] = this.keys[from] as bigint;
  }

  private set(i: number, sim: number, row: number, key: bigint): void {
    this.sims[i] = sim;
    this.rows[i] = row;
    this.keys[i] = key;
  }
}

export function assertDimension(vector: Float32Array, dimension: number, what: string): void {
  if (vector.length !== dimension) {
    throw new RangeError(`${what}: expected a ${dimension}-d vector, got ${vector.length}`);
  }
}

export function assertK(k: number): void {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer, got ${k}`);
}
