// Fixed-window counters the one-time-code limits take a unit from (sends per destination, the resend cooldown).
// Taking is one atomic statement, so concurrent requests cannot both see a free slot and both go through.

export interface CounterHit {
  /** Whether the unit was taken (the window's count was below the limit, or the window had passed). */
  taken: boolean;
  /** The window's count after the hit (the count that refused it, when refused). */
  count: number;
  /** When the current window started, ms since the epoch. */
  windowStartMs: number;
}

export interface CodeCounters {
  /**
   * Takes one unit of `key` (within the client) if fewer than `limit` were taken in the window that started at most
   * `windowMs` before `nowMs`; a window that has passed starts again at `nowMs` with this unit.
   */
  hit(clientId: string, key: string, limit: number, windowMs: number, nowMs: number): Promise<CounterHit>;
  /** Gives back one unit (a send that failed before anything went out). */
  release(clientId: string, key: string): Promise<void>;
  /**
   * Deletes the counters whose window started before `beforeMs` (their windows have passed; a key names a
   * destination, an address or a number, which is not kept longer than a limit needs it). Returns how many.
   */
  sweep(beforeMs: number): Promise<number>;
}
