import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { matchTotp, otpauthUri } from '../domain/totp.js';
import { AppError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';

// A person's authenticator app as a second factor (TOTP, RFC 6238: SHA-1, 30 s, 6 digits). Enrolment returns the
// secret once, as an `otpauth://` URI and its QR code; afterwards it is only ever read sealed from the database.
// A code is accepted within one step either side of now, once per step; tries are bounded per authenticator.

/** 160 bits, the HMAC-SHA-1 key length RFC 4226 recommends. */
const SECRET_BYTES = 20;
/** Wrong codes in a row before the authenticator slows down to one try per lockout. */
export const AUTHENTICATOR_MAX_TRIES = 5;
export const AUTHENTICATOR_LOCKOUT_MS = 15 * 60_000;

export function createAuthenticatorService(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;

  const personOf = async (clientId: string, personId: string) => {
    const person = await store.persons.findById(clientId, personId);
    if (!person) throw new AppError('notFound');
    return person;
  };

  return {
    /** Enrols (or replaces) the person's authenticator; the only time its secret leaves the server. */
    async enrol(clientId: string, personId: string) {
      const person = await personOf(clientId, personId);
      const client = await store.clients.findById(clientId, clientId);
      const secret = randomBytes(SECRET_BYTES);
      await store.authenticators.put(clientId, person._id, secret);
      const uri = otpauthUri(secret, client?.name ?? 'Facegate', person.identifier ?? person.name);
      return {
        person: person._id,
        type: 'totp' as const,
        otpauthUri: uri,
        qrCode: await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2 }),
        enrolledAt: clock.now().toISOString(),
      };
    },

    async status(clientId: string, personId: string) {
      await personOf(clientId, personId);
      const a = await store.authenticators.find(clientId, personId);
      return { person: personId, type: 'totp' as const, enrolled: Boolean(a), enrolledAt: a?.createdAt ?? null };
    },

    async remove(clientId: string, personId: string) {
      await personOf(clientId, personId);
      if (!(await store.authenticators.remove(clientId, personId))) throw new AppError('authenticatorNotEnrolled');
      return { person: personId, type: 'totp' as const, enrolled: false, enrolledAt: null };
    },

    /**
     * Checks a code of the person's authenticator; throws why it is refused. The try is claimed before the code is
     * compared, and the step is recorded with a conditional write, so concurrent tries respect the bound and a
     * code is accepted once.
     */
    async verify(clientId: string, personId: string, code: string): Promise<void> {
      const a = await store.authenticators.find(clientId, personId);
      if (!a) throw new AppError('authenticatorNotEnrolled');
      const nowMs = clock.now().getTime();
      if (
        !(await store.authenticators.claimTry(
          clientId,
          personId,
          AUTHENTICATOR_MAX_TRIES,
          AUTHENTICATOR_LOCKOUT_MS,
          nowMs,
        ))
      ) {
        throw new AppError('authenticatorLocked');
      }
      const step = matchTotp(a.secret, code, nowMs, { window: 1, after: a.lastStep });
      if (step === null || !(await store.authenticators.acceptStep(clientId, personId, step))) {
        throw new AppError('invalidAuthenticatorOTP');
      }
    },
  };
}

export type AuthenticatorService = ReturnType<typeof createAuthenticatorService>;
