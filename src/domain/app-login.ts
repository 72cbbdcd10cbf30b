import type { BaseDocument } from './document.js';

/** The result of a successful biometric validation: who logged in (or was enrolled), and when. */
export interface AppLogin extends BaseDocument {
  client: string;
  project: string;
  projectFlow: string;
  status: 'pending' | 'validated' | 'failed';
  type: 'faceLiveness';
  biometricValidation: string;
  livenessSession: string;
  /** The template (IdentityImage) the person was recognised by or enrolled with. */
  face: string | null;
  /** The matched person's name. */
  name: string;
  person: string;
  identifier: string;
  emailValidation: null;
  phoneValidation: null;
  accessControlLog: null;
  /** Set when the token was exchanged at /v2/auth/project-login: it works once. */
  exchangedAt: string | null;
}
