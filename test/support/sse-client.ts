/** A minimal Server-Sent Events client over fetch, for e2e tests. */
export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

export class SseClient {
  readonly messages: SseMessage[] = [];
  status = 0;
  /** The response headers (for a refusal: content-type, Retry-After …). */
  headers = new Headers();
  /** The parsed body of a non-2xx answer (a problem document). */
  problem: Record<string, unknown> | null = null;
  /** True once the server ended the stream (not when `close()` aborted it). */
  closedByServer = false;
  /** Resolves when the stream stops, whoever ended it. */
  readonly ended: Promise<void>;
  private markEnded!: () => void;
  private readonly controller = new AbortController();
  private waiters: Array<() => void> = [];

  constructor() {
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
  }

  static async open(url: string, headers: Record<string, string>): Promise<SseClient> {
    const client = new SseClient();
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: client.controller.signal });
    client.status = res.status;
    client.headers = res.headers;
    if (res.ok && res.body) void client.read(res.body);
    else {
      const text = await res.text();
      try {
        client.problem = text ? (JSON.parse(text) as Record<string, unknown>) : null;
      } catch {
        client.problem = null;
      }
      client.markEnded();
    }
    return client;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message: SseMessage = { data: '' };
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) message.id = line.slice(4);
            else if (line.startsWith('event: ')) message.event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length) {
            message.data = data.join('\n');
            this.messages.push(message);
            for (const w of this.waiters.splice(0)) w();
          }
        }
      }
      this.closedByServer = !this.controller.signal.aborted;
    } catch {
      /* aborted */
    } finally {
      this.markEnded();
    }
  }

  /** Waits until the stream stops; true when it did within `timeoutMs`. */
  async endsWithin(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const result = await Promise.race([this.ended.then(() => true as const), timeout]);
    clearTimeout(timer);
    return result;
  }

  async waitFor(predicate: (m: SseMessage) => boolean, timeoutMs = 10_000): Promise<SseMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no matching SSE message within ${timeoutMs} ms (got ${this.messages.map((m) => m.event).join(', ')})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.controller.abort();
  }
}
