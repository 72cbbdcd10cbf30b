import type { BaseDocument } from './document.js';

export const flowTypes = ['login', 'onboarding'] as const;
export type FlowType = (typeof flowTypes)[number];
export const flowStatuses = ['draft', 'active', 'paused'] as const;
export type FlowStatus = (typeof flowStatuses)[number];
export const searchModes = ['FAST', 'ACCURATE'] as const;
export type SearchMode = (typeof searchModes)[number];
export const livenessModes = ['passive', 'active'] as const;
export type LivenessMode = (typeof livenessModes)[number];
export const emailGateways = ['mailgun', 'none'] as const;
export const phoneGateways = ['sms', 'whatsapp', 'both', 'none'] as const;

/** Verifik's documented ranges for flow thresholds (§4.3), and our defaults within them. */
export const flowLimits = {
  livenessMinScore: { min: 0.51, max: 0.9, default: 0.6 },
  searchMinScore: { min: 0.7, max: 0.95, loginDefault: 0.85, onboardingDefault: 0.9 },
  sessionMinutes: { min: 1, max: 60, default: 4 },
  maxAttempts: { min: 1, max: 10, default: 3 },
} as const;

export interface LoginSettings {
  faceLiveness: boolean;
  livenessMinScore: number;
  searchMinScore: number;
  searchMode: SearchMode;
  livenessMode: LivenessMode;
  showFaceLivenessRecommendation: boolean;
  /** The hosted page's get-ready screen (flows stored before it have none: shown). */
  getReadyScreen?: boolean;
  /** Verifik's one-time-code login settings: stored and returned, not acted on (flows stored before have none). */
  email?: boolean;
  emailGateway?: (typeof emailGateways)[number];
  phone?: boolean;
  phoneGateway?: (typeof phoneGateways)[number];
  steps?: Array<string | Record<string, unknown>>;
  /** Minutes an email or phone code of this flow stays valid (flows without it: the default, 10). */
  codeMinutes?: number | undefined;
}

export interface OnboardingLivenessSettings {
  livenessMinScore: number;
  searchMinScore: number;
  searchMode: SearchMode;
}

export interface ProjectFlow extends BaseDocument {
  client: string;
  project: string;
  type: FlowType;
  status: FlowStatus;
  name: string | null;
  version: number;
  redirectUrl: string | null;
  webhookUrl: string | null;
  /** How long a liveness session of this flow stays open, in minutes. */
  sessionMinutes: number;
  /** Validate attempts a session allows before it fails. */
  maxAttempts: number;
  loginSettings: LoginSettings;
  onboardingSettings: { liveness: OnboardingLivenessSettings };
}

/** The liveness threshold a flow sets for a validation of this type. */
export const livenessMinScoreOf = (flow: ProjectFlow, type: FlowType): number =>
  type === 'login' ? flow.loginSettings.livenessMinScore : flow.onboardingSettings.liveness.livenessMinScore;
