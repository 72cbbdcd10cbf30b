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
  /** The profile Verifik's console edits (`PUT /v2/clients/:id`); absent on a client never edited. */
  company?: string | null;
  address?: string | null;
  phone?: string | null;
  countryCode?: string | null;
  avatar?: string | null;
}

/** The fields `PUT /v2/clients/:id` may set. */
export const clientProfileFields = ['name', 'company', 'address', 'email', 'phone', 'countryCode', 'avatar'] as const;
export type ClientProfile = { name: string } & Record<
  Exclude<(typeof clientProfileFields)[number], 'name'>,
  string | null
>;
