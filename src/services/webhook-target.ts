import { nonPublicHostOf } from '../domain/network-address.js';
import { missingParameter } from '../errors.js';

/**
 * Refuses, when it is set, a webhook URL whose host is a loopback, link-local or private literal address or
 * `localhost` (#14), unless the deployment allows such targets. A name is judged at each delivery instead, by what it
 * resolves to then.
 */
export function checkWebhookTarget(url: string | null | undefined, allowPrivate: boolean, field = 'webhookUrl'): void {
  if (!url || allowPrivate) return;
  const host = nonPublicHostOf(url);
  if (host) {
    throw missingParameter(
      `"${field}" must not point at a loopback, link-local or private address (${host}); ` +
        'FACEGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS allows it',
    );
  }
}
