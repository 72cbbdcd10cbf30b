// Snapshot files of the HNSW index sealed with the deployment's template key (AES-256-GCM through TemplateCipher),
// so a copy of the data directory yields no template. Two layouts:
//
// - Sealed rows (vectors.f32): fixed-size records iv(12) | tag(16) | body, one per slot, each with its own random
//   IV and an AAD naming the collection, the vectors file and the slot: a row cannot be moved to another slot.
// - Sealed streams (graph, codes, slots, persons): chunks of at most CHUNK plaintext bytes, each iv | tag | body,
//   with the chunk number and a last-chunk flag in the AAD, so chunks cannot be reordered, dropped or truncated.
//   Memory stays bounded by one chunk whatever the file size.
//
// usearch only saves to and loads from a path, so the graph passes through a private plaintext temporary file
// (withPlaintextTemp), in RAM-backed /dev/shm when it has room, and is unlinked as soon as it has been used.

import {
  closeSync,
  fstatSync,
  fsyncSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  statfsSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TemplateCipher } from '../crypto/template-cipher.js';

/** IV + GCM tag in front of every sealed row and chunk (TemplateCipher's layout). */
export const SEAL_OVERHEAD = 28;
// 1 MiB: big enough that the per-chunk cost vanishes (~0.6 ms of GCM each), small enough that the decrypted
// garbage of a load stays below glibc's mmap threshold and is reused instead of inflating RSS (16 MiB chunks
// left ~140 MB more RSS after a 100k load).
export const CHUNK = 1 << 20;

const chunkAad = (aad: string, index: number, last: boolean): string => `${aad}\0chunk\0${index}\0${last ? 1 : 0}`;

function writeAll(fd: number, data: Uint8Array, position: number): void {
  let done = 0;
  while (done < data.byteLength) done += writeSync(fd, data, done, data.byteLength - done, position + done);
}

function readFully(fd: number, target: Uint8Array, length: number, position: number, what: string): void {
  let done = 0;
  while (done < length) {
    const read = readSync(fd, target, done, length - done, position + done);
    if (read === 0) throw new Error(`${what}: unexpected end of file`);
    done += read;
  }
}

/**
 * Seals `size` plaintext bytes into a new file at `path` (fsynced). `read(offset, length)` supplies the plaintext,
 * one chunk at a time.
 */
export function writeSealedStream(
  path: string,
  cipher: TemplateCipher,
  aad: string,
  size: number,
  read: (offset: number, length: number) => Uint8Array,
): string {
  const fd = openSync(path, 'w', 0o600);
  try {
    let keyId = cipher.currentKeyId;
    let at = 0;
    let index = 0;
    for (let offset = 0; ; index++) {
      const length = Math.min(CHUNK, size - offset);
      const last = offset + length >= size;
      const sealed = cipher.seal(read(offset, length), chunkAad(aad, index, last));
      keyId = sealed.keyId;
      writeAll(fd, sealed.sealed, at);
      at += sealed.sealed.byteLength;
      offset += length;
      if (last) break;
    }
    fsyncSync(fd);
    return keyId;
  } finally {
    closeSync(fd);
  }
}

export function writeSealedBuffer(path: string, cipher: TemplateCipher, aad: string, data: Uint8Array): string {
  return writeSealedStream(path, cipher, aad, data.byteLength, (o, n) => data.subarray(o, o + n));
}

/**
 * Opens a sealed stream chunk by chunk; `onChunk` receives each authenticated plaintext chunk and its offset.
 * Throws on any tampering, truncation or a key that is not configured. Returns the plaintext size.
 */
export function readSealedStream(
  path: string,
  cipher: TemplateCipher,
  keyId: string,
  aad: string,
  onChunk: (plain: Buffer, offset: number) => void,
): number {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(Math.min(size, CHUNK + SEAL_OVERHEAD));
    let at = 0;
    let offset = 0;
    for (let index = 0; ; index++) {
      const length = Math.min(CHUNK + SEAL_OVERHEAD, size - at);
      if (length < SEAL_OVERHEAD) throw new Error(`${path}: truncated sealed chunk`);
      readFully(fd, buf, length, at, path);
      at += length;
      const plain = cipher.open(keyId, buf.subarray(0, length), chunkAad(aad, index, at === size));
      onChunk(plain, offset);
      offset += plain.byteLength;
      if (at === size) return offset;
    }
  } finally {
    closeSync(fd);
  }
}

export function readSealedBuffer(path: string, cipher: TemplateCipher, keyId: string, aad: string): Buffer {
  const parts: Buffer[] = [];
  readSealedStream(path, cipher, keyId, aad, (plain) => parts.push(plain));
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

/** Plaintext size of a sealed stream of `sealedSize` bytes. */
export function sealedStreamPlainSize(sealedSize: number): number {
  const chunks = Math.max(1, Math.ceil(sealedSize / (CHUNK + SEAL_OVERHEAD)));
  return sealedSize - chunks * SEAL_OVERHEAD;
}

const SHM = '/dev/shm';
const TEMP_PREFIX = 'facegate-hnsw-';

/**
 * Runs `use` with the path of a private, empty plaintext file (mode 0600 in a 0700 directory) that is deleted
 * when `use` returns or throws. The file lives in RAM-backed /dev/shm when that exists, is writable and has room
 * for `bytes`; otherwise (no /dev/shm, read-only, or Docker's 64 MB default) it falls back to a 0700 directory
 * under os.tmpdir(), where the plaintext graph touches that disk for the seconds a save or load takes.
 */
export function withPlaintextTemp<T>(bytes: number, use: (path: string) => T): T {
  const dir = privateTempDir(bytes);
  try {
    const path = join(dir, 'graph');
    closeSync(openSync(path, 'wx', 0o600));
    return use(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function privateTempDir(bytes: number): string {
  const prefix = `${TEMP_PREFIX}${process.pid}-`;
  try {
    const fs = statfsSync(SHM);
    if (fs.bavail * fs.bsize >= bytes * 1.25 + CHUNK) return mkdtempSync(join(SHM, prefix));
  } catch {
    // No /dev/shm, or not writable: fall back below.
  }
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Deletes plaintext temporaries left by a process that died mid save or load (its pid is gone). */
export function sweepPlaintextTemps(): void {
  for (const parent of [SHM, tmpdir()]) {
    let names: string[];
    try {
      names = readdirSync(parent);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = /^facegate-hnsw-(\d+)-/.exec(name);
      if (m === null || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
      try {
        rmSync(join(parent, name), { recursive: true, force: true });
      } catch {
        // Another user's directory: not ours to delete.
      }
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
