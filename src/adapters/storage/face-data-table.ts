import type { Clock } from '../../ports/clock.js';
import type { FaceDataRepository, Membership, TemplateRecord, Thumbnail } from '../../ports/face-data.js';
import type { VectorEntry } from '../../ports/vector-index.js';
import type { TemplateCipher } from '../crypto/template-cipher.js';
import type { SqlDriver, SqlValue } from './sql-driver.js';

// The additional authenticated data of a sealed template or thumbnail: its tenant, person and purpose.
const aad = (clientId: string, personId: string, what: 'template' | 'thumbnail') => `${clientId}/${personId}/${what}`;

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

const toBytes = (v: unknown): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(v as Uint8Array));

function toFloat32(buf: Buffer): Float32Array {
  // Copy: the decrypted buffer may share a pool and be unaligned for a Float32Array view.
  const out = new Float32Array(buf.byteLength / 4);
  Buffer.from(out.buffer).set(buf);
  return out;
}

const SCAN_BATCH = 5000;

export function createFaceDataTable(db: SqlDriver, cipher: TemplateCipher, clock: Clock): FaceDataRepository {
  const openTemplate = (row: Record<string, unknown>): Float32Array =>
    toFloat32(
      cipher.open(
        row['key_id'] as string,
        toBytes(row['template']),
        aad(row['client_id'] as string, row['person_id'] as string, 'template'),
      ),
    );

  return {
    async addTemplates(templates) {
      const now = clock.now().toISOString();
      const ids: bigint[] = [];
      for (const t of templates) {
        const plain = Buffer.from(t.template.buffer, t.template.byteOffset, t.template.byteLength);
        const sealed = cipher.seal(plain, aad(t.clientId, t.personId, 'template'));
        const thumb = t.thumbnail ? cipher.seal(t.thumbnail, aad(t.clientId, t.personId, 'thumbnail')).sealed : null;
        const row = await db.get<{ id: number | string }>(
          `INSERT INTO face_templates
             (person_id, client_id, model_id, dimension, key_id, template, template_norm, thumbnail, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
          [
            t.personId,
            t.clientId,
            t.modelId,
            t.template.length,
            sealed.keyId,
            sealed.sealed,
            t.norm ?? null,
            thumb,
            now,
          ],
        );
        ids.push(BigInt(row?.id ?? 0));
      }
      return ids;
    },

    async templatesOf(clientId, personIds) {
      if (personIds.length === 0) return [];
      const rows = await db.all(
        `SELECT id, person_id, client_id, model_id, dimension, key_id, template, template_norm FROM face_templates
         WHERE client_id = ? AND person_id IN (${placeholders(personIds.length)}) ORDER BY id`,
        [clientId, ...personIds],
      );
      return rows.map((r): TemplateRecord => {
        const record: TemplateRecord = {
          id: BigInt(r['id'] as number),
          personId: r['person_id'] as string,
          modelId: r['model_id'] as string,
          dimension: Number(r['dimension']),
          template: openTemplate(r),
        };
        if (r['template_norm'] !== null && r['template_norm'] !== undefined) record.norm = Number(r['template_norm']);
        return record;
      });
    },

    async thumbnailsOf(clientId, personIds) {
      const out = new Map<string, Thumbnail[]>();
      if (personIds.length === 0) return out;
      const rows = await db.all(
        `SELECT id, person_id, client_id, key_id, thumbnail FROM face_templates
         WHERE client_id = ? AND person_id IN (${placeholders(personIds.length)}) AND thumbnail IS NOT NULL ORDER BY id`,
        [clientId, ...personIds],
      );
      for (const r of rows) {
        const personId = r['person_id'] as string;
        const jpeg = cipher.open(r['key_id'] as string, toBytes(r['thumbnail']), aad(clientId, personId, 'thumbnail'));
        const list = out.get(personId) ?? [];
        list.push({ id: String(r['id']), thumbnail: jpeg.toString('base64') });
        out.set(personId, list);
      }
      return out;
    },

    async templateIdsOf(clientId, personId) {
      const rows = await db.all('SELECT id FROM face_templates WHERE client_id = ? AND person_id = ? ORDER BY id', [
        clientId,
        personId,
      ]);
      return rows.map((r) => BigInt(r['id'] as number));
    },

    async addMembership(clientId, personId, collectionId, identityKey) {
      if (identityKey) {
        const holder = await db.get<{ person_id: string }>(
          'SELECT person_id FROM person_collections WHERE collection_id = ? AND identity_key = ? AND person_id <> ?',
          [collectionId, identityKey, personId],
        );
        if (holder) return holder.person_id;
      }
      const params: SqlValue[] = [collectionId, personId, clientId, identityKey, clock.now().toISOString()];
      await db.run(
        `INSERT INTO person_collections (collection_id, person_id, client_id, identity_key, created_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (collection_id, person_id) DO NOTHING`,
        params,
      );
      return null;
    },

    async removeMembership(clientId, personId, collectionId) {
      return (
        (await db.run('DELETE FROM person_collections WHERE client_id = ? AND person_id = ? AND collection_id = ?', [
          clientId,
          personId,
          collectionId,
        ])) > 0
      );
    },

    async updateIdentityKey(clientId, personId, identityKey) {
      await db.run('UPDATE person_collections SET identity_key = ? WHERE client_id = ? AND person_id = ?', [
        identityKey,
        clientId,
        personId,
      ]);
    },

    async collectionsOf(clientId, personIds) {
      if (personIds.length === 0) return [];
      const rows = await db.all(
        `SELECT person_id, collection_id FROM person_collections
         WHERE client_id = ? AND person_id IN (${placeholders(personIds.length)}) ORDER BY created_at`,
        [clientId, ...personIds],
      );
      return rows.map(
        (r): Membership => ({ personId: r['person_id'] as string, collectionId: r['collection_id'] as string }),
      );
    },

    async membersOf(clientId, collectionId) {
      const rows = await db.all('SELECT person_id FROM person_collections WHERE client_id = ? AND collection_id = ?', [
        clientId,
        collectionId,
      ]);
      return rows.map((r) => r['person_id'] as string);
    },

    async findByIdentity(collectionId, identityKey) {
      const row = await db.get<{ person_id: string }>(
        'SELECT person_id FROM person_collections WHERE collection_id = ? AND identity_key = ?',
        [collectionId, identityKey],
      );
      return row?.person_id;
    },

    async collectionsWithMembers() {
      const rows = await db.all('SELECT DISTINCT collection_id FROM person_collections');
      return rows.map((r) => r['collection_id'] as string);
    },

    async entriesByIds(ids) {
      if (ids.length === 0) return [];
      const rows = await db.all(
        `SELECT id, person_id, client_id, key_id, template FROM face_templates WHERE id IN (${placeholders(ids.length)}) ORDER BY id`,
        ids.map((id) => id.toString()),
      );
      return rows.map((r) => ({
        key: BigInt(r['id'] as number),
        personId: r['person_id'] as string,
        vector: openTemplate(r),
      }));
    },

    async *entries(collectionId): AsyncIterable<VectorEntry> {
      let after = 0;
      for (;;) {
        const rows = await db.all(
          `SELECT t.id, t.person_id, t.client_id, t.key_id, t.template FROM face_templates t
           JOIN person_collections m ON m.person_id = t.person_id
           WHERE m.collection_id = ? AND t.id > ? ORDER BY t.id LIMIT ?`,
          [collectionId, after, SCAN_BATCH],
        );
        for (const r of rows) {
          yield { key: BigInt(r['id'] as number), personId: r['person_id'] as string, vector: openTemplate(r) };
        }
        if (rows.length < SCAN_BATCH) return;
        after = Number(rows[rows.length - 1]?.['id']);
      }
    },

    async fingerprint(collectionId) {
      const row = await db.get<{ n: number; mx: number | null; sm: number | string | null }>(
        `SELECT COUNT(*) AS n, MAX(t.id) AS mx, SUM(t.id) AS sm FROM face_templates t
         JOIN person_collections m ON m.person_id = t.person_id WHERE m.collection_id = ?`,
        [collectionId],
      );
      return `${row?.n ?? 0}:${row?.mx ?? 0}:${row?.sm ?? 0}`;
    },
  };
}
