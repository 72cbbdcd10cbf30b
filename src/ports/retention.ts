// Deleting what a project keeps only for a while: its validations with their liveness sessions, app logins and
// webhook events, and its email and phone validations. Face data (persons, templates, thumbnails) is not
// touched: it is deleted only when asked for.

export interface PurgeCounts {
  biometricValidations: number;
  livenessSessions: number;
  appLogins: number;
  webhookEvents: number;
  emailValidations: number;
  phoneValidations: number;
}

export interface RetentionStore {
  /** Deletes, in one transaction, what the project created before `before` (an ISO instant). */
  purgeProject(clientId: string, projectId: string, before: string): Promise<PurgeCounts>;
  /** The same for records whose project has been deleted, per client, before `before`. */
  purgeOrphans(before: string): Promise<Array<{ clientId: string; counts: PurgeCounts }>>;
}
