// Where each photo of an eval folder came from, so that the eval can report per source (a data set, a camera, a
// crawl): recognisers fail very differently on 112 px pre-aligned crops and on full-size portraits, and a pooled
// figure hides which one a deployment resembles. Pure: the eval command reads the files and hands the text here.

/** A table of image path (relative to the eval folder, `/`-separated) → source name. */
export type SourceTable = ReadonlyMap<string, string>;

/** The source of an image that sources.tsv does not list. */
export const UNLISTED_SOURCE = 'unlisted';

/** Header names of the source column, first match wins; without a header the second column is the source. */
const SOURCE_COLUMNS = ['source', 'source_repo'];

const normalisePath = (p: string) => p.trim().replace(/\\/g, '/').replace(/^\.\//, '');

/**
 * Parses a `sources.tsv`: tab-separated, one image a line, the path relative to the eval folder first. A first line
 * whose first cell is `path` is a header naming the columns (the source is the `source` or `source_repo` column);
 * otherwise the second column is the source. Blank lines, `#` comments and lines with no source are skipped.
 */
export function parseSourceTable(text: string): Map<string, string> {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  let column = 1;
  const first = lines[0]?.split('\t').map((c) => c.trim().toLowerCase());
  if (first?.[0] === 'path') {
    lines.shift();
    const named = SOURCE_COLUMNS.map((n) => first.indexOf(n)).find((i) => i > 0);
    if (named !== undefined) column = named;
  }
  const table = new Map<string, string>();
  for (const line of lines) {
    const cells = line.split('\t');
    const path = normalisePath(cells[0] ?? '');
    const source = cells[column]?.trim();
    if (path && source) table.set(path, source);
  }
  return table;
}

/**
 * The source of an identity image, by its path relative to the eval folder: the table's entry when there is a table
 * (UNLISTED_SOURCE for a path it does not list, unless the layout names one), else the first folder of a
 * `<source>/identity/<person>/…` layout; undefined for `identity/<person>/…` with no table.
 */
export function sourceOfImage(relativePath: string, table?: SourceTable): string | undefined {
  const path = normalisePath(relativePath);
  const listed = table?.get(path);
  if (listed !== undefined) return listed;
  const layout = /^([^/]+)\/identity\/[^/]+\/[^/]+$/.exec(path)?.[1];
  if (layout !== undefined) return layout;
  return table ? UNLISTED_SOURCE : undefined;
}
