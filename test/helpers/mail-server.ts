import { SMTPServer } from 'smtp-server';

// A real SMTP server in the test process, on 127.0.0.1: what Facegate delivers, as received.

export interface ReceivedMail {
  to: string[];
  raw: string;
  /** The raw message with quoted-printable soft breaks and escapes undone (good enough to read codes and links). */
  text: string;
}

const decodeQuotedPrintable = (s: string) =>
  s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));

export async function startMailServer() {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (c: string) => {
        raw += c;
      });
      stream.on('end', () => {
        received.push({
          to: (session.envelope.rcptTo || []).map((r) => r.address),
          raw,
          text: Buffer.from(decodeQuotedPrintable(raw), 'latin1').toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** The newest mail to `to`, waiting for it. */
    async mailTo(to: string, after = 0, ms = 5000): Promise<ReceivedMail> {
      const end = Date.now() + ms;
      for (;;) {
        const hits = received.slice(after).filter((m) => m.to.includes(to));
        const last = hits.at(-1);
        if (last) return last;
        if (Date.now() > end) throw new Error(`no mail to ${to}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export const codeIn = (mail: ReceivedMail): string => {
  const m = mail.text.match(/(?:code is|código de verificación es) (\d{6})/);
  if (!m?.[1]) throw new Error(`no code in mail:\n${mail.text}`);
  return m[1];
};
