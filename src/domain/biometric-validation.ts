import type { BaseDocument } from './document.js';
import type { FlowType } from './project-flow.js';

/** Verifik's flattened result entries: `[{key:"liveness_score", value:0.98}, …]`. */
export interface KeyValue {
  key: string;
  value: string | number | boolean | null;
}

export const toKeyValues = (o: Record<string, string | number | boolean | null>): KeyValue[] =>
  Object.entries(o).map(([key, value]) => ({ key, value }));

export type LivenessSessionStatus = 'active' | 'completed' | 'expired' | 'cancelled';

export interface LivenessSession extends BaseDocument {
  client: string;
  project: string;
  projectFlow: string;
  identifier: string;
  status: LivenessSessionStatus;
  livenessResult: KeyValue[];
  comparisonResult: KeyValue[];
  generalInformation: KeyValue[];
  documentTypeFields: KeyValue[];
  location: KeyValue[];
  proFields: KeyValue[];
  studioFields: KeyValue[];
  promptFields: KeyValue[];
  expiresAt: string;
  activatedAt: string;
  /** Active liveness: the steps the person must perform, in order (never shown before the session starts). */
  challenge: string[] | null;
  /**
   * When the challenge was first handed out (`GET /v2/biometric-validations/challenge`); null until then, and in
   * passive mode. Frames that arrive sooner after it than the page could film them are refused.
   */
  challengeIssuedAt?: string | null;
}

export const validationStatuses = ['new', 'pending', 'validated', 'completed', 'failed', 'expired'] as const;
export type ValidationStatus = (typeof validationStatuses)[number];

export interface BiometricValidation extends BaseDocument {
  client: string;
  project: string;
  projectFlow: string;
  livenessSession: string;
  status: ValidationStatus;
  type: FlowType;
  url: string;
  livenessScore: number;
  assignedCollection: string;
  collectionCode: string;
  requires2FA: boolean;
  identifier: string;
  expiresAt: string;
  redirectUrl: string | null;
  webhookUrl: string | null;
  ipAddress: string | null;
  language: 'en' | 'es';
  sendViaEmail: boolean;
  email: string | null;
  /** Validate calls made so far, and how many the flow allows. */
  attempts: number;
  maxAttempts: number;
  /** Why the last attempt failed (`liveness_failed`, `person_not_found`, …), or null. */
  failureReason: string | null;
  person: string | null;
  appLogin: string | null;
  /** The app login this validation is a second factor for (`/biometric-validations/app-login`). */
  parentAppLogin: string | null;
  completedAt: string | null;
  /** While an attempt is being checked: until when it holds the session (a lease, in case its process dies). */
  processingUntil: string | null;
  /**
   * A login that needs a second factor (`requires2FA`, or a flow whose `loginSettings.steps` name `authenticator`):
   * what the face found, kept until the authenticator code arrives; null (or absent) until the face passes.
   */
  faceResult?: FaceResult | null;
}

/** The face step of a login awaiting its second factor: who was found, and the scores to record on success. */
export interface FaceResult {
  person: string;
  personName: string;
  face: string | null;
  livenessScore: number;
  livenessResult: KeyValue[];
  comparison: Record<string, string | number | boolean | null>;
  /** Wrong authenticator codes sent to this validation. */
  codeAttempts: number;
}

/** Wrong authenticator codes one validation takes before it fails. */
export const MAX_CODE_ATTEMPTS = 5;

/**
 * The validation state machine. `pending` means an attempt failed and another is allowed; `validated` is a
 * successful login or onboarding; `completed` is a validated one whose token the integrator has exchanged.
 */
const transitions: Record<ValidationStatus, readonly ValidationStatus[]> = {
  new: ['pending', 'validated', 'failed', 'expired'],
  pending: ['pending', 'validated', 'failed', 'expired'],
  validated: ['completed'],
  completed: [],
  failed: [],
  expired: [],
};

export const canTransition = (from: ValidationStatus, to: ValidationStatus): boolean => transitions[from].includes(to);

/** A validation that may still receive a selfie. */
export const isOpen = (status: ValidationStatus): boolean => status === 'new' || status === 'pending';
