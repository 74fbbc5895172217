import { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerSession } from 'smtp-server';

/** A message the sink accepted (answered 250 to). */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** The raw message as sent. */
  raw: string;
  headers: Record<string, string>;
  subject: string;
  messageId: string;
  /** The text/plain part, decoded. */
  text: string;
  /** The text/html part, decoded. */
  html: string;
}

/** What the sink answers to one message: accept, refuse with an SMTP code, or hold (never answer). */
export type SinkAnswer = { accept: true } | { code: number; message: string } | { stall: Promise<void> };

export interface SmtpSink {
  url: string;
  /** Accepted messages, in order. */
  readonly accepted: ReceivedMail[];
  /** Every message received (accepted or not), in order. */
  readonly received: ReceivedMail[];
  /** Decides each answer; default: accept everything. `index` counts received messages from 0. */
  answer: (mail: ReceivedMail, index: number) => SinkAnswer | Promise<SinkAnswer>;
  close(): Promise<void>;
}

function decodeQuotedPrintable(text: string): string {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodePart(headers: string, body: string): string {
  const encoding = /content-transfer-encoding:\s*([^\s;]+)/i.exec(headers)?.[1]?.toLowerCase();
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, kind: string, data: string) =>
    kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')),
  );
}

/** Minimal MIME reading: headers, and the text/plain and text/html parts of a multipart/alternative. */
export function parseMail(raw: string, from: string, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).toLowerCase()] = decodeWords(line.slice(at + 1).trim());
  }
  let text = '';
  let html = '';
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  const parts = boundary ? body.split(`--${boundary}`).slice(1, -1) : [`${head}\r\n\r\n${body}`];
  for (const part of parts) {
    const at = part.indexOf('\r\n\r\n');
    const partHead = part.slice(0, at);
    const content = decodePart(partHead, part.slice(at + 4).replace(/\r\n$/, ''));
    if (/content-type:\s*text\/html/i.test(partHead)) html = content;
    else if (/content-type:\s*text\/plain/i.test(partHead)) text = content;
  }
  return {
    from,
    to,
    raw,
    headers,
    subject: headers.subject ?? '',
    messageId: headers['message-id'] ?? '',
    text: text.replace(/\r\n/g, '\n'),
    html,
  };
}

/** A real SMTP server (the `smtp-server` package) on 127.0.0.1 for tests: no TLS, no auth. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const accepted: ReceivedMail[] = [];
  const received: ReceivedMail[] = [];
  const sink: SmtpSink = {
    url: '',
    accepted,
    received,
    answer: () => ({ accept: true }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    socketTimeout: 120_000,
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const envelope = session.envelope;
        const mail = parseMail(
          Buffer.concat(chunks).toString('utf8'),
          envelope.mailFrom ? envelope.mailFrom.address : '',
          envelope.rcptTo.map((r) => r.address),
        );
        const index = received.length;
        received.push(mail);
        void Promise.resolve(sink.answer(mail, index)).then(async (answer) => {
          if ('stall' in answer) {
            await answer.stall;
            return callback(Object.assign(new Error('stalled message released'), { responseCode: 451 }));
          }
          if ('code' in answer) return callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
          accepted.push(mail);
          callback(null);
        });
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  sink.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return sink;
}
