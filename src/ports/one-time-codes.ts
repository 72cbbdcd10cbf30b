import type { AppLogin } from '../domain/app-login.js';

// What another factor (the authenticator, `requires2FA`) may ask of the email and phone codes: whether an app
// login came from a code that passed, and which. Implemented by services/code-validation.service.ts.

export interface PassedCodeFactor {
  channel: 'email' | 'phone';
  /** The email, or the phone in E.164. */
  destination: string;
  /** The email or phone validation's id. */
  validation: string;
  validatedAt: string;
}

export interface OneTimeCodes {
  /** The code factor an app login of type email or phone passed; undefined for any other login. */
  passedFactor(login: AppLogin): Promise<PassedCodeFactor | undefined>;
}
