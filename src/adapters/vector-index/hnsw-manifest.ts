// The manifest written beside each collection's files. It is written last on save and deleted first, so its
// presence means the files beside it form one consistent snapshot; the caller's fingerprint says whether that
// snapshot still matches the database.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Quantization = 'f32' | 'f16' | 'i8';

export const MANIFEST_FORMAT = 1;

export interface HnswManifest {
  format: number;
  collection: string;
  dimension: number;
  quantization: Quantization;
  connectivity: number;
  /** Live templates. */
  count: number;
  /** Slots ever used (live + removed); the vector and code files are this many rows long. */
  slots: number;
  fingerprint: string;
  savedAt: string;
}

export const files = {
  manifest: 'manifest.json',
  graph: 'graph.usearch',
  vectors: 'vectors.f32',
  codes: 'codes.i8',
  slots: 'slots.bin',
  persons: 'persons.json',
} as const;

/** A file-system-safe, collision-free directory name for any collection name. */
export function collectionDirName(collection: string): string {
  const hex = Buffer.from(collection, 'utf8').toString('hex');
  return hex.length <= 128 ? `c-${hex}` : `h-${createHash('sha256').update(collection).digest('hex')}`;
}

export function readManifest(dir: string): HnswManifest | undefined {
  let raw: string;
  try {
    raw = readFileSync(join(dir, files.manifest), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const m = JSON.parse(raw) as Partial<HnswManifest>;
    if (
      m.format !== MANIFEST_FORMAT ||
      typeof m.collection !== 'string' ||
      typeof m.dimension !== 'number' ||
      typeof m.count !== 'number' ||
      typeof m.slots !== 'number' ||
      typeof m.fingerprint !== 'string' ||
      (m.quantization !== 'f32' && m.quantization !== 'f16' && m.quantization !== 'i8')
    ) {
      return undefined;
    }
    return m as HnswManifest;
  } catch {
    return undefined;
  }
}
