import type { BaseDocument } from './document.js';

/** A client is a tenant: every other resource belongs to exactly one. */
export interface Client extends BaseDocument {
  name: string;
  email: string | null;
  status: 'active' | 'inactive';
  /** Tokens carry the generation they were issued in; renew-and-revoke moves it on, invalidating older ones. */
  tokenGeneration: number;
  /** Signs this client's webhooks. Never returned by the API except when rotated. */
  webhookSecret: string;
}
