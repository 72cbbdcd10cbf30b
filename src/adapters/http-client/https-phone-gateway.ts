import { createHmac, randomUUID } from 'node:crypto';
import type { PhoneGateway } from '../../ports/phone-gateway.js';
import type { WebhookSender } from '../../ports/webhook-sender.js';

// The generic SMS/WhatsApp gateway: one JSON POST per message to FACEGATE_SMS_WEBHOOK_URL, signed as webhooks are
// (`X-Facegate-Signature: t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`) with FACEGATE_SMS_WEBHOOK_SECRET,
// so an operator's small bridge can check the request came from here and forward it to any provider. A 2xx answer
// means the gateway took the message.

export function createHttpsPhoneGateway(options: {
  url: string;
  secret: string;
  sender: WebhookSender;
  now?: () => Date;
}): PhoneGateway {
  const now = options.now ?? (() => new Date());
  return {
    async send(m) {
      const id = randomUUID();
      const body = JSON.stringify({
        type: 'phone_message',
        id,
        to: m.to,
        channel: m.channel,
        language: m.language,
        text: m.text,
      });
      const t = Math.floor(now().getTime() / 1000);
      const status = await options.sender.send({
        url: options.url,
        headers: {
          'x-facegate-signature': `t=${t},v1=${createHmac('sha256', options.secret).update(`${t}.${body}`).digest('hex')}`,
          'x-facegate-event': 'phone_message',
          'x-facegate-delivery': id,
        },
        body,
      });
      if (status < 200 || status >= 300) throw new Error(`phone gateway answered ${status}`);
    },
  };
}
