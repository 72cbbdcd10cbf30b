import { z } from 'zod';
import { projectStatuses } from '../domain/project.js';
import { documentMeta, httpUrlSchema, objectIdSchema, strictBody } from './common.schema.js';

const colour = z.string().max(64);

// Strict, like flow settings: a misspelt colour is a 409 naming it, not a silently ignored key (#13).
export const brandingSchema = z.strictObject({
  bgColor: colour.optional(),
  borderColor: colour.optional(),
  txtColor: colour.optional(),
  titleColor: colour.optional(),
  logo: z.string().max(2048).optional(),
  rightImage: z.string().max(2048).optional(),
  rightImagePosition: z.string().max(32).optional(),
  rightBackgroundColor: colour.optional(),
});

export const dataProtectionSchema = z.strictObject({
  name: z.string().max(200).optional(),
  email: z.string().max(320).optional(),
  address: z.string().max(300).optional(),
  address2: z.string().max(300).optional(),
  city: z.string().max(120).optional(),
  province: z.string().max(120).optional(),
  postalCode: z.string().max(32).optional(),
  country: z.string().max(120).optional(),
});

const projectFields = {
  name: z.string().trim().min(1).max(200),
  status: z.enum(projectStatuses).describe('Only an `active` project serves its hosted page and public view'),
  identifier: z.string().max(200).nullable().describe('Your own key for the project (free text)'),
  allowedCountries: z
    .array(z.string().min(1).max(100))
    .max(300)
    .describe('Country names, as Verifik (`"Colombia"`, `"United States"`)'),
  contactEmail: z.email().max(320).nullable(),
  privacyUrl: httpUrlSchema.nullable(),
  termsAndConditionsUrl: httpUrlSchema.nullable(),
  branding: brandingSchema,
  dataProtection: dataProtectionSchema,
  retentionDays: z
    .number()
    .int()
    .min(1)
    .max(36500)
    .nullable()
    .describe(
      'Days validations, their sessions, app logins and webhook events, and email/phone validations are kept, ' +
        'then purged; null: the deployment default (FACEGATE_RETENTION_DAYS, 90). Persons and their faces are kept',
    ),
  consoleAccess: z
    .boolean()
    .describe(
      "This project signs the tenant's operators in to the console: its login flow with steps email then " +
        'liveness, its persons (with their email) the operators. Default false; only the API token may set it',
    ),
};

// Verifik documents these project fields (§4.2); Facegate has no use for them: the owner is the token's client.
const ignoredProjectKeys = ['client', 'type'] as const;

export const projectCreateSchema = strictBody(
  {
    name: projectFields.name,
    status: projectFields.status.default('active'),
    identifier: projectFields.identifier.default(null),
    allowedCountries: projectFields.allowedCountries.default([]),
    contactEmail: projectFields.contactEmail.default(null),
    privacyUrl: projectFields.privacyUrl.default(null),
    termsAndConditionsUrl: projectFields.termsAndConditionsUrl.default(null),
    branding: brandingSchema.default({}),
    dataProtection: dataProtectionSchema.default({}),
    retentionDays: projectFields.retentionDays.default(null),
    consoleAccess: projectFields.consoleAccess.default(false),
  },
  ignoredProjectKeys,
);
/** As parsed; callers inside the process (CLI, benches) may leave the retention to the default. */
export type ProjectCreate = Omit<z.infer<typeof projectCreateSchema>, 'retentionDays' | 'consoleAccess'> & {
  retentionDays?: number | null;
  consoleAccess?: boolean;
};

export const projectUpdateSchema = strictBody(z.object(projectFields).partial().shape, ignoredProjectKeys);
export type ProjectUpdate = z.infer<typeof projectUpdateSchema>;

export const projectSchema = z.object({
  ...documentMeta,
  client: objectIdSchema,
  ...projectFields,
  // Projects stored before the setting have none (absent, like null: the default applies). Not a default here: the
  // response serializer encodes, and an encode does not fill defaults in.
  retentionDays: projectFields.retentionDays.optional(),
  consoleAccess: projectFields.consoleAccess.optional(),
});
