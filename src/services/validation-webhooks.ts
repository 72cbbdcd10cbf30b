import type { BiometricValidation } from '../domain/biometric-validation.js';
import type { ProjectFlow } from '../domain/project-flow.js';
import type { BatchRepositories } from '../ports/store.js';
import { webhookEvent } from './webhook-events.js';

// A validation's webhook events (§7), written to the outbox in the transaction of the change they announce.

/** The validation's own webhook, else its flow's, else none. */
export const webhookUrlOf = (v: BiometricValidation, flow: ProjectFlow | undefined): string | null =>
  v.webhookUrl ?? flow?.webhookUrl ?? null;

/** Enqueues `type` (with the validation itself as the object, unless another is given), if anyone listens. */
export async function emitValidationEvent(
  tx: Pick<BatchRepositories, 'webhooks'>,
  v: BiometricValidation,
  flow: ProjectFlow | undefined,
  type: string,
  object?: unknown,
): Promise<void> {
  const url = webhookUrlOf(v, flow);
  if (url) await tx.webhooks.enqueue(webhookEvent(v.client, url, type, object ?? v, v._id));
}
