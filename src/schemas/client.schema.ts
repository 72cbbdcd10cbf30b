import { z } from 'zod';
import { documentMeta } from './common.schema.js';

/** What the API shows of a client: never its webhook secret or token generation. */
export const clientSchema = z.object({
  ...documentMeta,
  name: z.string(),
  email: z.string().nullable(),
  status: z.enum(['active', 'inactive']),
});
