export interface OutgoingEmail {
  from: string;
  to: { email: string; name: string };
  subject: string;
  text: string;
  html: string;
  /** RFC 5322 Message-ID; we derive it from the delivery id so receivers can drop a duplicate. */
  messageId: string;
  headers: Record<string, string>;
}

/** Sends one email (SMTP, SendGrid or the log). Resolves when the provider accepted it. */
export abstract class EmailTransport {
  abstract readonly kind: string;
  abstract send(email: OutgoingEmail): Promise<void>;
}
