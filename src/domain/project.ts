import type { BaseDocument } from './document.js';

export const projectStatuses = ['active', 'inactive', 'pending'] as const;
export type ProjectStatus = (typeof projectStatuses)[number];

export interface Branding {
  bgColor?: string | undefined;
  borderColor?: string | undefined;
  txtColor?: string | undefined;
  titleColor?: string | undefined;
  logo?: string | undefined;
  rightImage?: string | undefined;
  rightImagePosition?: string | undefined;
  rightBackgroundColor?: string | undefined;
}

export interface DataProtection {
  name?: string | undefined;
  email?: string | undefined;
  address?: string | undefined;
  address2?: string | undefined;
  city?: string | undefined;
  province?: string | undefined;
  postalCode?: string | undefined;
  country?: string | undefined;
}

export interface Project extends BaseDocument {
  client: string;
  name: string;
  status: ProjectStatus;
  identifier: string | null;
  allowedCountries: string[];
  contactEmail: string | null;
  privacyUrl: string | null;
  termsAndConditionsUrl: string | null;
  branding: Branding;
  dataProtection: DataProtection;
  /**
   * Days its validations, sessions, app logins, webhook events and code validations are kept; null or absent (a
   * project stored before the setting): the deployment's FACEGATE_RETENTION_DAYS.
   */
  retentionDays?: number | null;
  /**
   * This project signs the tenant's operators in to the console (email code, then face); absent (a project stored
   * before the setting) is false. Only the API token sets it.
   */
  consoleAccess?: boolean;
}
