import type { BaseDocument } from './document.js';

/**
 * The result of a successful validation: who logged in (or was enrolled), and when. A face login carries its
 * biometric validation and session; an email or phone login its email or phone validation, and the others null.
 */
export interface AppLogin extends BaseDocument {
  client: string;
  project: string;
  projectFlow: string;
  status: 'pending' | 'validated' | 'failed';
  type: 'faceLiveness' | 'email' | 'phone';
  biometricValidation: string | null;
  livenessSession: string | null;
  /** The template (IdentityImage) the person was recognised by or enrolled with. */
  face: string | null;
  /** The matched person's name (the address, for an email or phone login of nobody enrolled). */
  name: string;
  person: string | null;
  identifier: string;
  emailValidation: string | null;
  phoneValidation: string | null;
  accessControlLog: null;
  /** Set when the token was exchanged at /v2/auth/project-login: it works once. */
  exchangedAt: string | null;
}
