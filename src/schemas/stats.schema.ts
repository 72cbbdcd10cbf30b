import { z } from 'zod';
import { objectIdSchema } from './common.schema.js';

const band = z.object({
  day: z.string(),
  p10: z.number(),
  p50: z.number(),
  p90: z.number(),
  count: z.number().int().describe('How many scores the band is computed from'),
});

export const validationStatsQuery = z.strictObject({
  from: z.string().max(40).optional().describe('Start (date or ISO instant, inclusive); default 30 days before `to`'),
  to: z.string().max(40).optional().describe('End (ISO instant exclusive; a bare date includes that day); default now'),
  project: objectIdSchema.optional().describe('Only this project’s validations'),
});

export const validationStatsSchema = z.object({
  days: z.array(
    z.object({
      day: z.string().describe('UTC day, YYYY-MM-DD'),
      byStatus: z.object({
        new: z.number().int(),
        pending: z.number().int(),
        validated: z.number().int(),
        completed: z.number().int(),
        failed: z.number().int(),
        expired: z.number().int(),
      }),
    }),
  ),
  reasons: z
    .array(z.object({ reason: z.string(), count: z.number().int() }))
    .describe('failureReason of the period’s validations (their last failed attempt), most frequent first'),
  scores: z.object({
    liveness: z.array(band).describe('Liveness scores of validations that had an attempt, per day'),
    match: z.array(band).describe('1:N match scores of granted logins and onboardings, per day'),
  }),
  webhookBacklog: z.number().int().describe('Webhook events of this client not yet delivered nor given up on'),
});
