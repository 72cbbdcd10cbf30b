// The small SQL surface that both dialects implement, so that query code is written once.
// Statements use `?` placeholders; the PostgreSQL driver numbers them.

export type Dialect = 'sqlite' | 'postgres';
export type SqlValue = string | number | bigint | boolean | null | Uint8Array;
export type Row = Record<string, unknown>;
export interface Statement {
  sql: string;
  params: readonly SqlValue[];
}

export interface SqlDriver {
  readonly dialect: Dialect;
  all<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Runs a multi-statement script (migrations). */
  exec(script: string): Promise<void>;
  /**
   * Runs write statements (INSERT, UPDATE or DELETE without RETURNING) atomically, in as few round trips as the
   * dialect allows: on PostgreSQL one statement, so neither BEGIN nor COMMIT travels.
   */
  batch(statements: readonly Statement[]): Promise<void>;
  /** Runs `fn` in one transaction; nested calls join the outer one. */
  transaction<T>(fn: (tx: SqlDriver) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
