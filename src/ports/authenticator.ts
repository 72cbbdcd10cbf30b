// A person's authenticator app (TOTP): its secret, sealed by the adapter before it touches the database and opened
// only when read back, the last time step a code was accepted for (one use per step), and the tries since the last
// success (bounded: each try is claimed atomically before the code is compared, so concurrent guesses cannot
// exceed the bound).

export interface AuthenticatorRecord {
  personId: string;
  secret: Buffer;
  /** The last step a code was accepted for; a code of that step or an earlier one is a replay. */
  lastStep: number | null;
  createdAt: string;
}

export interface AuthenticatorRepository {
  /** Enrols (or replaces) the person's authenticator with a new secret; the tries and used steps start over. */
  put(clientId: string, personId: string, secret: Buffer): Promise<void>;
  find(clientId: string, personId: string): Promise<AuthenticatorRecord | undefined>;
  remove(clientId: string, personId: string): Promise<boolean>;
  /**
   * Claims one try: allowed while fewer than `maxTries` tries failed in a row, and afterwards one per `lockoutMs`.
   * False when the try is refused (or no authenticator is enrolled).
   */
  claimTry(clientId: string, personId: string, maxTries: number, lockoutMs: number, nowMs: number): Promise<boolean>;
  /** Records an accepted code's step (only if it is later than the last one) and clears the tries. */
  acceptStep(clientId: string, personId: string, step: number): Promise<boolean>;
}
