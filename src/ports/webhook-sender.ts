/** Sends one webhook request; resolves with the HTTP status, rejects on a network failure or timeout. */
export interface WebhookSender {
  send(request: { url: string; headers: Record<string, string>; body: string }): Promise<number>;
}
