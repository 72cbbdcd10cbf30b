import { randomInt } from 'node:crypto';
import { z } from 'zod';

// Verifik's face-recognition responses carry a short request id and a "certified by" signature with a
// human-formatted date. The signature names this deployment, never Verifik.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

const dateTime = new Intl.DateTimeFormat('en-US', {
  month: 'long',
  day: 'numeric',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
  timeZone: 'UTC',
});

export const signatureSchema = z.object({ message: z.string(), dateTime: z.string() });

export const envelopeOf = <T extends z.ZodType>(data: T) =>
  z.object({ id: z.string(), data, signature: signatureSchema });

export function createEnvelope(deployment: string, now: () => Date) {
  const message = `Certified by Facegate (${deployment})`;
  return <T>(data: T) => ({
    id: Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
    data,
    signature: { message, dateTime: dateTime.format(now()).replace(' at ', ' ') },
  });
}

export type Envelope = ReturnType<typeof createEnvelope>;
