// The manifest written beside each collection's files. It is written last on save and deleted first, so its
// presence means the files beside it form one consistent snapshot; the caller's fingerprint says whether that
// snapshot still matches the database. Every file but the manifest is sealed with the deployment's template key
// (see sealed-files.ts); the manifest holds no template data, only ids of the keys and of the snapshot.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Quantization = 'f32' | 'f16' | 'i8';

/** 2: files sealed with the template key (format 1 held plaintext templates and is rebuilt). */
export const MANIFEST_FORMAT = 2;

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
  /** Template key that sealed graph, codes, slots and persons on this save. */
  keyId: string;
  /** Random per save, in the AAD of every sealed file: files of two snapshots cannot be mixed. */
  snapshotId: string;
  /** Random per vectors file (new at every rebuild), in the AAD of every sealed row. */
  vectorsId: string;
  /** [first slot, key id]: rows from that slot on were sealed with that key (a new range after a key rotation). */
  rowKeys: Array<[number, string]>;
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
      typeof m.keyId !== 'string' ||
      typeof m.snapshotId !== 'string' ||
      typeof m.vectorsId !== 'string' ||
      !Array.isArray(m.rowKeys) ||
      !m.rowKeys.every((r) => Array.isArray(r) && typeof r[0] === 'number' && typeof r[1] === 'string') ||
      (m.quantization !== 'f32' && m.quantization !== 'f16' && m.quantization !== 'i8')
    ) {
      return undefined;
    }
    return m as HnswManifest;
  } catch {
    return undefined;
  }
}
