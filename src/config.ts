import { isIP } from 'node:net';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { packageRoot } from './package-root.js';

// The only reader of process.env. Every variable carries the FACEGATE_ prefix and is documented in .env.example.

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  FACEGATE_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  FACEGATE_HOST: z.string().min(1).default('127.0.0.1'),
  FACEGATE_DATA_DIR: z.string().min(1).default('./data'),
  FACEGATE_DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|sqlite:)/, 'must start with postgres://, postgresql:// or sqlite:')
    .optional(),
  FACEGATE_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  FACEGATE_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  FACEGATE_TEMPLATE_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}(,[0-9a-fA-F]{64})*$/, 'must be 64 hex characters (a 256-bit key), comma-separated')
    .optional(),
  FACEGATE_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  FACEGATE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  FACEGATE_BODY_LIMIT_MB: z.coerce.number().positive().max(100).default(8),
  FACEGATE_MODELS_DIR: z.string().min(1).optional(),
  FACEGATE_ENGINE_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  FACEGATE_ENGINE_QUEUE: z.coerce.number().int().min(1).max(10000).default(64),
  FACEGATE_ALLOW_IMAGE_URLS: bool.default(false),
  FACEGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS: bool.default(false),
  FACEGATE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  FACEGATE_VECTOR_INDEX: z.enum(['auto', 'exact', 'hnsw', 'pgvector']).default('auto'),
  FACEGATE_HNSW_QUANTIZATION: z.enum(['f32', 'f16', 'i8']).default('f16'),
  FACEGATE_SMTP_URL: z
    .url({ protocol: /^smtps?$/, error: 'must be smtp://user:pass@host:587 or smtps://…:465' })
    .optional(),
  FACEGATE_MAIL_FROM: z.string().min(3).optional(),
  FACEGATE_SMS_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  FACEGATE_SMS_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  FACEGATE_CODE_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  FACEGATE_CORS_ORIGINS: z
    .string()
    .transform((s) => s.split(',').map((o) => o.trim().replace(/\/+$/, '')))
    .pipe(
      z.union([
        z.tuple([z.enum(['*', 'none'])]),
        z.array(z.url({ protocol: /^https?$/, error: 'must be *, none or a comma-separated list of http(s) origins' })),
      ]),
    )
    .default(['*']),
  FACEGATE_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  FACEGATE_METRICS_ALLOW: z
    .string()
    .transform((s) => s.split(',').map((c) => c.trim()))
    .pipe(
      z.array(z.string().refine(isCidr, 'must be a comma-separated list of CIDRs (10.0.0.0/8, ::1/128) or addresses')),
    )
    .optional(),
  FACEGATE_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).default(90),
});

/** An IPv4 or IPv6 address with an optional prefix length (`10.0.0.0/8`, `::1`, `fd00::/8`). */
function isCidr(text: string): boolean {
  const [address = '', prefix, ...rest] = text.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const n = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && n <= (family === 4 ? 32 : 128);
}

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly publicUrl: string;
  readonly jwtSecret: string | undefined;
  readonly templateKey: string | undefined;
  readonly tokenTtlDays: number;
  readonly logLevel: z.infer<typeof envSchema>['FACEGATE_LOG_LEVEL'];
  readonly bodyLimitBytes: number;
  readonly modelsDir: string;
  readonly engineWorkers: number;
  readonly engineQueue: number;
  readonly allowImageUrls: boolean;
  /** Per client address, for the routes reachable without an API token (validate, preview, public create). */
  readonly rateLimitPerMinute: number;
  /** Whether webhooks may target loopback, link-local and private addresses (tests, single-machine setups). */
  readonly webhookAllowPrivateTargets: boolean;
  readonly vectorIndex: 'auto' | 'exact' | 'hnsw' | 'pgvector';
  readonly hnswQuantization: 'f32' | 'f16' | 'i8';
  /** Browser origins allowed to call the API cross-origin: '*' (any), none, or a list of `scheme://host[:port]`. */
  readonly corsOrigins: '*' | readonly string[];
  /** SMTP for email codes and links; null: email validations answer transport_not_configured. */
  readonly smtp: { readonly url: string; readonly from: string } | null;
  /** The generic SMS/WhatsApp gateway; null: phone validations answer transport_not_configured. */
  readonly smsWebhook: { readonly url: string; readonly secret: string } | null;
  /** HMAC key of stored one-time codes; undefined: generated into the data dir. */
  readonly codeKey: string | undefined;
  /** Bearer token /metrics requires; undefined: none. */
  readonly metricsToken: string | undefined;
  /** CIDRs /metrics answers; null (unset): loopback only, or any address when a token is set. */
  readonly metricsAllow: readonly string[] | null;
  /** Default for projects without `retentionDays`: validations, sessions and their thumbnails older are purged. */
  readonly retentionDays: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k.startsWith('FACEGATE_') && v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(known);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.FACEGATE_SMTP_URL && !e.FACEGATE_MAIL_FROM)
    throw new ConfigError('invalid configuration:\n  FACEGATE_MAIL_FROM: required with FACEGATE_SMTP_URL');
  if (e.FACEGATE_SMS_WEBHOOK_URL && !e.FACEGATE_SMS_WEBHOOK_SECRET)
    throw new ConfigError(
      'invalid configuration:\n  FACEGATE_SMS_WEBHOOK_SECRET: required with FACEGATE_SMS_WEBHOOK_URL',
    );
  const dataDir = resolve(e.FACEGATE_DATA_DIR);
  const shownHost = e.FACEGATE_HOST === '0.0.0.0' || e.FACEGATE_HOST === '::' ? 'localhost' : e.FACEGATE_HOST;
  return Object.freeze({
    port: e.FACEGATE_PORT,
    host: e.FACEGATE_HOST,
    dataDir,
    databaseUrl: e.FACEGATE_DATABASE_URL ?? `sqlite:${resolve(dataDir, 'facegate.sqlite')}`,
    publicUrl: (e.FACEGATE_PUBLIC_URL ?? `http://${shownHost}:${e.FACEGATE_PORT}`).replace(/\/+$/, ''),
    jwtSecret: e.FACEGATE_JWT_SECRET,
    templateKey: e.FACEGATE_TEMPLATE_KEY,
    tokenTtlDays: e.FACEGATE_TOKEN_TTL_DAYS,
    logLevel: e.FACEGATE_LOG_LEVEL,
    bodyLimitBytes: Math.round(e.FACEGATE_BODY_LIMIT_MB * 1024 * 1024),
    modelsDir: resolve(packageRoot, e.FACEGATE_MODELS_DIR ?? 'models'),
    engineWorkers: e.FACEGATE_ENGINE_WORKERS ?? Math.max(1, cpus().length),
    engineQueue: e.FACEGATE_ENGINE_QUEUE,
    allowImageUrls: e.FACEGATE_ALLOW_IMAGE_URLS,
    rateLimitPerMinute: e.FACEGATE_RATE_LIMIT_PER_MINUTE,
    webhookAllowPrivateTargets: e.FACEGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS,
    vectorIndex: e.FACEGATE_VECTOR_INDEX,
    hnswQuantization: e.FACEGATE_HNSW_QUANTIZATION,
    corsOrigins: corsOriginsOf(e.FACEGATE_CORS_ORIGINS),
    smtp: e.FACEGATE_SMTP_URL ? { url: e.FACEGATE_SMTP_URL, from: e.FACEGATE_MAIL_FROM as string } : null,
    smsWebhook: e.FACEGATE_SMS_WEBHOOK_URL
      ? { url: e.FACEGATE_SMS_WEBHOOK_URL, secret: e.FACEGATE_SMS_WEBHOOK_SECRET as string }
      : null,
    codeKey: e.FACEGATE_CODE_KEY,
    metricsToken: e.FACEGATE_METRICS_TOKEN,
    metricsAllow: e.FACEGATE_METRICS_ALLOW ? Object.freeze(e.FACEGATE_METRICS_ALLOW) : null,
    retentionDays: e.FACEGATE_RETENTION_DAYS,
  });
}

function corsOriginsOf(list: readonly string[]): '*' | readonly string[] {
  if (list[0] === '*') return '*';
  if (list[0] === 'none') return Object.freeze([]);
  return Object.freeze(list.map((o) => new URL(o).origin));
}
