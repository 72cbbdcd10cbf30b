// Every change to the 1:N index, in order, so that each service process can bring its in-process index up to
// date with what other processes enrolled or deleted.

export type IndexChangeOp = 'add' | 'remove' | 'removeFromCollection' | 'dropCollection';

export interface IndexChange {
  id: number;
  op: IndexChangeOp;
  collection: string | null;
  keys: bigint[];
}

export interface IndexChangeLog {
  append(change: Omit<IndexChange, 'id'>): Promise<number>;
  /** Changes with an id above `after`, in id order. */
  since(after: number, limit: number): Promise<IndexChange[]>;
  latest(): Promise<number>;
  /** Calls `onChange` when another process appends (PostgreSQL LISTEN/NOTIFY); null where there is no such channel. */
  subscribe(onChange: () => void): Promise<(() => Promise<void>) | null>;
}
