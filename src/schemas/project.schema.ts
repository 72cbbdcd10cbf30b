import { z } from 'zod';
import { projectStatuses } from '../domain/project.js';
import { documentMeta, httpUrlSchema, objectIdSchema } from './common.schema.js';

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
  status: z.enum(projectStatuses),
  identifier: z.string().max(200).nullable(),
  allowedCountries: z.array(z.string().min(1).max(100)).max(300),
  contactEmail: z.email().max(320).nullable(),
  privacyUrl: httpUrlSchema.nullable(),
  termsAndConditionsUrl: httpUrlSchema.nullable(),
  branding: brandingSchema,
  dataProtection: dataProtectionSchema,
};

export const projectCreateSchema = z.object({
  name: projectFields.name,
  status: projectFields.status.default('active'),
  identifier: projectFields.identifier.default(null),
  allowedCountries: projectFields.allowedCountries.default([]),
  contactEmail: projectFields.contactEmail.default(null),
  privacyUrl: projectFields.privacyUrl.default(null),
  termsAndConditionsUrl: projectFields.termsAndConditionsUrl.default(null),
  branding: brandingSchema.default({}),
  dataProtection: dataProtectionSchema.default({}),
});
export type ProjectCreate = z.infer<typeof projectCreateSchema>;

export const projectUpdateSchema = z.object(projectFields).partial();
export type ProjectUpdate = z.infer<typeof projectUpdateSchema>;

export const projectSchema = z.object({ ...documentMeta, client: objectIdSchema, ...projectFields });
