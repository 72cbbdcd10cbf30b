/** One email: both bodies are always given (text for plain clients, HTML for the rest). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends email (the SMTP adapter). Rejects when the message was not accepted for delivery. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close?(): void;
}
