import { randomBytes } from 'node:crypto';
import type { Client, ClientProfile } from '../domain/client.js';
import { isObjectId } from '../domain/object-id.js';
import { AppError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import type { AuditSource, AuditTrail } from './audit-trail.js';
import { bodyOf, patched } from './documents.js';
import type { TokenService } from './token.service.js';

const DAY_MS = 86_400_000;
/**
 * How long an API token that authenticated is taken again without checking its signature and reading its client.
 * Every API request authenticates, and that was a signature check on the thread pool plus one of the eight
 * round trips of creating a validation on PostgreSQL. A change made through this process (renew-and-revoke, a new
 * webhook secret) drops the client's entries at once; a change made by another process on the same database (a
 * second server, `facegate clients delete`) is seen within this bound: a revoked token or a deleted client is
 * refused at most one second later. No entry outlives its token's expiry.
 */
export const AUTHENTICATED_TOKEN_MS = 1000;
/** Only tokens that authenticated are kept (a forged one never is); this only keeps a long run bounded. */
const AUTHENTICATED_TOKEN_MAX = 10_000;

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export function createClientService(deps: {
  store: Store;
  tokens: TokenService;
  clock: Clock;
  tokenTtlDays: number;
  audit: AuditTrail;
}) {
  const { store, tokens, clock } = deps;
  const authenticated = new Map<string, { client: Client; from: number; until: number }>();
  /** Counts forgets, so that an authentication that read the client before a change does not remember it after. */
  let forgets = 0;
  const forget = (clientId: string) => {
    forgets++;
    for (const [token, entry] of authenticated) if (entry.client._id === clientId) authenticated.delete(token);
  };

  const issue = async (client: Client, ttlDays = deps.tokenTtlDays): Promise<IssuedToken> => {
    const expiresAt = new Date(clock.now().getTime() + ttlDays * DAY_MS);
    const token = await tokens.sign(
      { typ: 'client', client: client._id, sub: client._id, gen: client.tokenGeneration },
      expiresAt,
    );
    return { token, expiresAt };
  };

  return {
    async create(input: { name: string; email?: string | null }): Promise<{ client: Client; token: IssuedToken }> {
      const client = await store.clients.insert({
        name: input.name,
        email: input.email ?? null,
        status: 'active',
        tokenGeneration: 1,
        webhookSecret: randomBytes(32).toString('hex'),
      });
      return { client, token: await issue(client) };
    },

    /** The client behind an API token; every failure is a 401/403 from the catalogue. */
    async authenticate(token: string): Promise<Client> {
      const now = clock.now().getTime();
      const hit = authenticated.get(token);
      // `from` guards against a clock set back: the entry is used only within the window it was made for.
      if (hit && now >= hit.from && now < hit.until) return hit.client;
      const forgetsBefore = forgets;
      const claims = await tokens.verify(token, 'client');
      if (!isObjectId(claims.client)) throw new AppError('invalidToken');
      const client = await store.clients.findById(claims.client, claims.client);
      if (!client) throw new AppError('invalidToken');
      if (claims.gen !== client.tokenGeneration) throw new AppError('tokenRevoked');
      if (client.status !== 'active') throw new AppError('forbidden');
      if (forgetsBefore === forgets) {
        if (authenticated.size >= AUTHENTICATED_TOKEN_MAX) authenticated.clear();
        authenticated.set(token, {
          client,
          from: now,
          until: Math.min(now + AUTHENTICATED_TOKEN_MS, claims.exp * 1000),
        });
      }
      return client;
    },

    /** A fresh token for the same generation; `months` extends its life (Verifik's `expiresIn`). */
    async refresh(client: Client, months?: number, who?: AuditSource): Promise<IssuedToken> {
      const token = await issue(client, months ? months * 30 : undefined);
      await deps.audit.record(client._id, who, 'token.refresh', { type: 'client', id: client._id });
      return token;
    },

    /** Replaces the secret that signs the client's webhooks. */
    async rotateWebhookSecret(client: Client, who?: AuditSource): Promise<string> {
      const webhookSecret = randomBytes(32).toString('hex');
      const updated = await store.clients.update(
        client._id,
        client._id,
        { ...bodyOf(client), webhookSecret },
        client.__v,
      );
      // Forgotten whether or not the write won: a lost race means the remembered document is the stale one.
      forget(client._id);
      if (!updated) throw new AppError('clientChangedMeanwhile');
      await deps.audit.record(client._id, who, 'webhookSecret.rotate', { type: 'client', id: client._id });
      return webhookSecret;
    },

    /** Updates the client's own profile; another client's id is not found (a tenant sees only itself). */
    async updateProfile(
      client: Client,
      id: string,
      patch: { [K in keyof ClientProfile]?: ClientProfile[K] | undefined },
      who?: AuditSource,
    ): Promise<Client> {
      if (id !== client._id) throw new AppError('notFound');
      // Read again: the authenticated client may be up to AUTHENTICATED_TOKEN_MS old.
      const current = await store.clients.findById(client._id, client._id);
      if (!current) throw new AppError('notFound');
      const updated = await store.clients.update(client._id, client._id, patched(bodyOf(current), patch), current.__v);
      forget(client._id);
      if (!updated) throw new AppError('clientChangedMeanwhile');
      await deps.audit.record(client._id, who, 'client.update', { type: 'client', id: client._id });
      return updated;
    },

    /** Invalidates every earlier token of the client and returns a new one. */
    async renewAndRevoke(client: Client, who?: AuditSource): Promise<IssuedToken> {
      const updated = await store.clients.update(
        client._id,
        client._id,
        { ...bodyOf(client), tokenGeneration: client.tokenGeneration + 1 },
        client.__v,
      );
      forget(client._id);
      if (!updated) throw new AppError('tokenRenewalInProgress');
      await deps.audit.record(client._id, who, 'token.renew', { type: 'client', id: client._id });
      return issue(updated);
    },
  };
}

export type ClientService = ReturnType<typeof createClientService>;
