import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/** An HTTP receiver on 127.0.0.1 (a webhook endpoint, a fake email provider) that records what it is sent. */
export class Receiver {
  readonly requests: Array<{ url: string; headers: IncomingMessage['headers']; body: string }> = [];
  private server!: Server;
  url = '';

  constructor(private readonly respond: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(204).end()) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        this.requests.push({ url: req.url ?? '', headers: req.headers, body });
        this.respond(req, res);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections?.();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
