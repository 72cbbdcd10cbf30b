import { randomBytes } from 'node:crypto';
import type { Client } from '../domain/client.js';
import { isObjectId } from '../domain/object-id.js';
import { AppError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import { bodyOf } from './documents.js';
import type { TokenService } from './token.service.js';

const DAY_MS = 86_400_000;

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export function createClientService(deps: { store: Store; tokens: TokenService; clock: Clock; tokenTtlDays: number }) {
  const { store, tokens, clock } = deps;

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
      const claims = await tokens.verify(token, 'client');
      if (!isObjectId(claims.client)) throw new AppError('invalidToken');
      const client = await store.clients.findById(claims.client, claims.client);
      if (!client) throw new AppError('invalidToken');
      if (claims.gen !== client.tokenGeneration) throw new AppError('tokenRevoked');
      if (client.status !== 'active') throw new AppError('forbidden');
      return client;
    },

    /** A fresh token for the same generation; `months` extends its life (Verifik's `expiresIn`). */
    refresh: (client: Client, months?: number) => issue(client, months ? months * 30 : undefined),

    /** Replaces the secret that signs the client's webhooks. */
    async rotateWebhookSecret(client: Client): Promise<string> {
      const webhookSecret = randomBytes(32).toString('hex');
      const updated = await store.clients.update(
        client._id,
        client._id,
        { ...bodyOf(client), webhookSecret },
        client.__v,
      );
      if (!updated) throw new AppError('conflict', { message: 'client_changed_meanwhile' });
      return webhookSecret;
    },

    /** Invalidates every earlier token of the client and returns a new one. */
    async renewAndRevoke(client: Client): Promise<IssuedToken> {
      const updated = await store.clients.update(
        client._id,
        client._id,
        { ...bodyOf(client), tokenGeneration: client.tokenGeneration + 1 },
        client.__v,
      );
      if (!updated) throw new AppError('conflict', { message: 'token_renewal_in_progress' });
      return issue(updated);
    },
  };
}

export type ClientService = ReturnType<typeof createClientService>;
