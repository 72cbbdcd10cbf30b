import type { AuthenticatorRecord, AuthenticatorRepository } from '../../ports/authenticator.js';
import type { Clock } from '../../ports/clock.js';
import type { TemplateCipher } from '../crypto/template-cipher.js';
import type { SqlDriver } from './sql-driver.js';

// Authenticator secrets are sealed like face templates (AES-256-GCM, key id per row), bound to their tenant and
// person by the additional authenticated data, so a secret copied onto another person fails to open.

const aad = (clientId: string, personId: string) => `${clientId}/${personId}/authenticator`;

const toBytes = (v: unknown): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(v as Uint8Array));

export function createAuthenticatorTable(db: SqlDriver, cipher: TemplateCipher, clock: Clock): AuthenticatorRepository {
  return {
    async put(clientId, personId, secret) {
      const sealed = cipher.seal(secret, aad(clientId, personId));
      const now = clock.now().toISOString();
      await db.run(
        `INSERT INTO authenticators (person_id, client_id, key_id, secret, last_step, tries, last_try_ms, created_at)
         VALUES (?, ?, ?, ?, NULL, 0, NULL, ?)
         ON CONFLICT (person_id) DO UPDATE SET key_id = excluded.key_id, secret = excluded.secret, last_step = NULL,
           tries = 0, last_try_ms = NULL, created_at = excluded.created_at`,
        [personId, clientId, sealed.keyId, sealed.sealed, now],
      );
    },

    async find(clientId, personId) {
      const r = await db.get(
        'SELECT key_id, secret, last_step, created_at FROM authenticators WHERE client_id = ? AND person_id = ?',
        [clientId, personId],
      );
      if (!r) return undefined;
      const createdAt = r['created_at'];
      return {
        personId,
        secret: cipher.open(r['key_id'] as string, toBytes(r['secret']), aad(clientId, personId)),
        lastStep: r['last_step'] === null || r['last_step'] === undefined ? null : Number(r['last_step']),
        createdAt: createdAt instanceof Date ? createdAt.toISOString() : String(createdAt),
      } satisfies AuthenticatorRecord;
    },

    async remove(clientId, personId) {
      return (
        (await db.run('DELETE FROM authenticators WHERE client_id = ? AND person_id = ?', [clientId, personId])) > 0
      );
    },

    async claimTry(clientId, personId, maxTries, lockoutMs, nowMs) {
      const changed = await db.run(
        `UPDATE authenticators SET tries = tries + 1, last_try_ms = ?
         WHERE client_id = ? AND person_id = ? AND (tries < ? OR last_try_ms <= ?)`,
        [nowMs, clientId, personId, maxTries, nowMs - lockoutMs],
      );
      return changed > 0;
    },

    async acceptStep(clientId, personId, step) {
      const changed = await db.run(
        `UPDATE authenticators SET last_step = ?, tries = 0
         WHERE client_id = ? AND person_id = ? AND (last_step IS NULL OR last_step < ?)`,
        [step, clientId, personId, step],
      );
      return changed > 0;
    },
  };
}
