/** One text message to a phone, by SMS or WhatsApp. */
export interface PhoneMessage {
  /** E.164: `+` and digits. */
  to: string;
  channel: 'sms' | 'whatsapp';
  text: string;
  language: string;
}

/** Sends text messages (the generic HTTPS gateway adapter). Rejects when the gateway did not accept the message. */
export interface PhoneGateway {
  send(message: PhoneMessage): Promise<void>;
}
