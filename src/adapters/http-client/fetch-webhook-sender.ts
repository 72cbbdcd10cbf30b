import { type LookupAddress, lookup } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIpLiteral, isPublicAddress } from '../../domain/network-address.js';
import {
  WEBHOOK_ANSWER_BYTES,
  type WebhookAnswer,
  type WebhookRequest,
  type WebhookSender,
} from '../../ports/webhook-sender.js';

// Delivers a webhook with one POST: no redirects followed, a timeout, and (unless allowed) only to public addresses.
// The address is checked where the connection is made, against what the name resolves to at delivery time, so a
// name that pointed outside when the webhookUrl was set and resolves to 127.0.0.1 now is refused too (#14).

export class WebhookTargetRefused extends Error {
  constructor(host: string, address: string) {
    super(
      `webhook target ${host} resolves to ${address}, a loopback, link-local or private address ` +
        '(FACEGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS allows it)',
    );
    this.name = 'WebhookTargetRefused';
  }
}

/** dns.lookup keeping only public addresses; refuses when none is left. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    const allowed = addresses.filter((a) => isPublicAddress(a.address));
    const refused = addresses[0];
    if (allowed.length === 0) return callback(new WebhookTargetRefused(hostname, refused?.address ?? '?'), '', 0);
    const first = allowed[0] as LookupAddress;
    if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
    else callback(null, first.address, first.family);
  });
};

export function createFetchWebhookSender(
  options: { timeoutMs?: number; allowPrivateTargets?: boolean } = {},
): WebhookSender {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deliver = ({ url, headers, body }: WebhookRequest): Promise<WebhookAnswer> => {
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (!options.allowPrivateTargets && isIpLiteral(host) && !isPublicAddress(host)) {
      return Promise.reject(new WebhookTargetRefused(host, host));
    }
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const requestOptions: RequestOptions = {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'user-agent': 'Facegate-Webhooks/1',
        ...headers,
      },
      signal: AbortSignal.timeout(timeoutMs),
      ...(options.allowPrivateTargets ? {} : { lookup: publicOnlyLookup }),
    };
    return new Promise<WebhookAnswer>((resolve, reject) => {
      const req = request(target, requestOptions, (res) => {
        // Only the start of the answer is read (for the operator's console); the rest is dropped unread.
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).subarray(0, WEBHOOK_ANSWER_BYTES).toString('utf8'),
          });
          res.destroy();
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= WEBHOOK_ANSWER_BYTES) done();
        });
        res.on('end', done);
        res.on('error', done);
      });
      req.on('error', reject);
      req.end(body);
    });
  };
  return {
    deliver,
    send: async (r) => (await deliver(r)).status,
  };
}
