import type { BaseDocument } from './document.js';

// Email and phone validations (§6.2): a one-time code (or magic link) sent to an address, and what became of it.
// The code itself is never stored: only its keyed hash (`codeHash`), which never leaves the server.

export const codeValidationTypes = ['login', 'onboarding', 'register'] as const;
export type CodeValidationType = (typeof codeValidationTypes)[number];
export const validationMethods = ['verificationCode', 'magicLink'] as const;
export type ValidationMethod = (typeof validationMethods)[number];
export const codeLanguages = ['en', 'es'] as const;
export type CodeLanguage = (typeof codeLanguages)[number];
export const phoneGatewayChoices = ['sms', 'whatsapp'] as const;
export type PhoneGatewayChoice = (typeof phoneGatewayChoices)[number];

/** sent → validated (one use) | failed (tries used up) | expired (past expiresAt, or replaced by a resend). */
export type CodeValidationStatus = 'sent' | 'validated' | 'failed' | 'expired';

interface CodeValidationBase extends BaseDocument {
  client: string;
  project: string;
  projectFlow: string;
  type: CodeValidationType;
  validationMethod: ValidationMethod;
  language: CodeLanguage;
  status: CodeValidationStatus;
  /** The normalised address the code went to: the email, or countryCode + phone. Indexed for the limits. */
  destination: string;
  expiresAt: string;
  attempts: number;
  maxAttempts: number;
  /** HMAC-SHA256 (server key) of the code, hex. Never returned. */
  codeHash: string;
  appLogin: string | null;
  validatedAt: string | null;
  location: Record<string, unknown> | null;
}

export interface EmailValidation extends CodeValidationBase {
  email: string;
}

export interface PhoneValidation extends CodeValidationBase {
  phone: string;
  countryCode: string;
  phoneGateway: PhoneGatewayChoice;
}

/** Abuse limits of one-time codes; README "One-time codes" documents them. */
export const codeLimits = {
  /** Digits of a verification code. */
  digits: 6,
  /** Lifetime of a code, minutes: the flow's `loginSettings.codeMinutes`, else this. */
  defaultMinutes: 10,
  minMinutes: 1,
  maxMinutes: 60,
  /** Wrong tries one code allows before it fails. */
  triesPerCode: 5,
  /** Wrong tries one destination allows over the window, across its codes. */
  triesPerDestination: 10,
  /** Codes one destination may be sent over the window. */
  sendsPerDestination: 5,
  /** The window of the per-destination limits, minutes. */
  windowMinutes: 60,
  /** A new code for the same destination and flow waits this long after the last one, seconds. */
  resendCooldownSeconds: 60,
} as const;

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();
export const normalisePhone = (countryCode: string, phone: string): string =>
  `+${countryCode.replace(/\D/g, '')}${phone.replace(/\D/g, '')}`;
