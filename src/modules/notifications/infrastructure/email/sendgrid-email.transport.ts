import { Injectable } from '@nestjs/common';
import { HttpDeliveryError } from '../../domain/delivery-failure';
import { EmailTransport, OutgoingEmail } from '../../application/ports/email-transport.port';
import { parseMailbox } from './mail-address';

/**
 * SendGrid's v3 HTTP API (`POST {SENDGRID_BASE_URL}/v3/mail/send`, bearer SENDGRID_API_KEY).
 * 202 is success; any other answer becomes an HttpDeliveryError (429/5xx retried, honouring
 * Retry-After; other 4xx dead).
 */
@Injectable()
export class SendgridEmailTransport extends EmailTransport {
  readonly kind = 'sendgrid';
  private readonly endpoint: string;

  constructor(
    baseUrl: string,
    private readonly apiKey: string,
    private readonly sendTimeoutMs: number,
  ) {
    super();
    this.endpoint = `${baseUrl.replace(/\/+$/, '')}/v3/mail/send`;
  }

  async send(email: OutgoingEmail): Promise<void> {
    const from = parseMailbox(email.from);
    const body = {
      personalizations: [{ to: [{ email: email.to.email, name: email.to.name }] }],
      from: from.name ? { email: from.email, name: from.name } : { email: from.email },
      subject: email.subject,
      content: [
        { type: 'text/plain', value: email.text },
        { type: 'text/html', value: email.html },
      ],
      headers: email.headers,
      custom_args: { delivery_id: email.headers['X-Taskwire-Delivery'] ?? email.messageId },
    };
    const res = await fetch(this.endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.sendTimeoutMs),
      // The upstream's answer is untrusted: a redirect (307/308 would re-send the message, to
      // wherever it points) is a failure like any other non-2xx, never followed.
      redirect: 'manual',
    });
    const text = await res.text().catch(() => '');
    if (res.status >= 200 && res.status < 300) return;
    throw new HttpDeliveryError(res.status, res.headers.get('retry-after'), `SendGrid ${text.slice(0, 200)}`);
  }
}
