// The console sessions their operators signed out of (#17). A session's token stays signed for up to 8 hours, so
// signing out records its end; every request of a session checks it. An end is kept only until the session would
// have expired anyway (past that, the token is refused as expired).

export interface ConsoleSessionEnds {
  /**
   * Records that the session `sid` of the client ended; resolves true if this call ended it, false if it had
   * ended already (the first end is kept), so two sign-outs at once record one.
   */
  end(clientId: string, sid: string, endedAt: Date, expiresAt: Date): Promise<boolean>;
  hasEnded(clientId: string, sid: string): Promise<boolean>;
  /** Forgets the ends of sessions that expired before `before`; resolves with how many. */
  sweep(before: Date): Promise<number>;
}
