import { PGlite } from '@electric-sql/pglite';

// PGlite is PostgreSQL in WASM, in-process: our test bed for pgvector, which Debian's PostgreSQL lacks.
// PGlite ≥ 0.5 ships pgvector as its own package (@electric-sql/pglite-pgvector); up to 0.4 it was the
// `@electric-sql/pglite/vector` entry point. FACEGATE_PGLITE_VECTOR may name the module's path instead.

type Extension = any;

const candidates = [
  process.env['FACEGATE_PGLITE_VECTOR'],
  '@electric-sql/pglite-pgvector',
  '@electric-sql/pglite/vector',
].filter((s): s is string => s !== undefined && s !== '');

let found: Promise<Extension | undefined> | undefined;

/** The pgvector extension for PGlite, or undefined when no candidate module is installed. */
export function pgliteVectorExtension(): Promise<Extension | undefined> {
  found ??= (async () => {
    for (const spec of candidates) {
      try {
        const mod = await import(spec);
        if (mod.vector !== undefined) return mod.vector;
      } catch {
        // not installed: try the next name
      }
    }
    return undefined;
  })();
  return found;
}

/** false, or why the pgvector tests cannot run here. */
export async function pgvectorSkip(): Promise<string | false> {
  if ((await pgliteVectorExtension()) !== undefined) return false;
  return 'pgvector for PGlite not installed: npm install --save-dev @electric-sql/pglite-pgvector';
}

/** A fresh in-memory PGlite, with pgvector loaded when available. */
export async function createPglite(options: { vector?: boolean } = {}): Promise<PGlite> {
  const vector = options.vector ? await pgliteVectorExtension() : undefined;
  if (options.vector && vector === undefined) throw new Error(String(await pgvectorSkip()));
  return PGlite.create(vector === undefined ? {} : { extensions: { vector } });
}
