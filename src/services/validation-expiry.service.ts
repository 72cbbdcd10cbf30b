import type { BiometricValidation } from '../domain/biometric-validation.js';
import { emptyListQuery } from '../domain/list-query.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import { bodyOf } from './documents.js';
import { emitValidationEvent } from './validation-webhooks.js';

// Expiry of validations past their `expiresAt`: the sweeper (a background job) and a validate call that arrives late.

export function createValidationExpiryService(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;

  /** Marks one validation (and its active session) expired; false when another change got there first. */
  const expire = async (v: BiometricValidation): Promise<boolean> => {
    const flow = await store.projectFlows.findById(v.client, v.projectFlow);
    return store.transaction(async (tx) => {
      const updated = await tx.biometricValidations.update(v.client, v._id, { ...bodyOf(v), status: 'expired' }, v.__v);
      if (!updated) return false;
      const s = await tx.livenessSessions.findById(v.client, v.livenessSession);
      if (s?.status === 'active')
        await tx.livenessSessions.update(v.client, s._id, { ...bodyOf(s), status: 'expired' }, s.__v);
      await emitValidationEvent(tx, updated, flow, 'biometric_validation_expired');
      return true;
    });
  };

  return {
    expire,

    /** Marks open validations past their expiry as expired; returns how many it expired. */
    async expireOverdue(limit = 200): Promise<number> {
      const overdue = await store.biometricValidations.list(
        null,
        emptyListQuery({
          in: { status: ['new', 'pending'] },
          lte: { expiresAt: clock.now().toISOString() },
          sort: [{ field: 'expiresAt', desc: false }],
          perPage: limit,
        }),
      );
      let n = 0;
      for (const v of overdue.items) if (await expire(v)) n++;
      return n;
    },
  };
}

export type ValidationExpiryService = ReturnType<typeof createValidationExpiryService>;
