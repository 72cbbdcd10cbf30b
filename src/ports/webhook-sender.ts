export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** The receiver's answer: its status and the start of its body (kept so an operator can see why it failed). */
export interface WebhookAnswer {
  status: number;
  body: string;
}

/** Sends one webhook request; resolves with the HTTP status, rejects on a network failure or timeout. */
export interface WebhookSender {
  send(request: WebhookRequest): Promise<number>;
  /** As send, with the start of the answer's body; senders without it are recorded by status only. */
  deliver?(request: WebhookRequest): Promise<WebhookAnswer>;
}

/** How much of a receiver's answer is read and kept. */
export const WEBHOOK_ANSWER_BYTES = 2048;
