import { connect } from 'node:net';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * What arrives before a route runs: requests Node's HTTP parser refuses (`clientError`).
 * API.md "Failure behaviour": every error answer is problem+json.
 */
describe('Errors before routing (real app over HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  /** Sends raw bytes over TCP and reads until the server closes: fetch cannot send what Node refuses. */
  function rawExchange(request: Buffer | string): Promise<{ statusLine: string; headers: Record<string, string>; body: string }> {
    const { hostname, port } = new URL(t.running.url);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port) });
      const chunks: Buffer[] = [];
      socket.on('data', (chunk) => chunks.push(chunk));
      socket.on('error', (err) => (chunks.length ? undefined : reject(err)));
      socket.on('close', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const [head, ...rest] = text.split('\r\n\r\n');
        const [statusLine, ...lines] = head.split('\r\n');
        const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
        resolve({ statusLine, headers, body: rest.join('\r\n\r\n') });
      });
      socket.write(request);
    });
  }

  const expectWireProblem = (res: { statusLine: string; headers: Record<string, string>; body: string }, status: number, code: string) => {
    expect(res.statusLine).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
    const problem = JSON.parse(res.body);
    expect(problem).toMatchObject({ status, code, title: expect.any(String), detail: expect.any(String), instance: expect.any(String) });
    expect(problem.type).toMatch(/^https:\/\//);
    // The same response headers as every other answer.
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    return problem;
  };

  describe('requests the HTTP parser refuses', () => {
    it('answers a header block over the limit with a 431 problem', async () => {
      const res = await rawExchange(`GET /api/v1/tasks HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(20 * 1024)}\r\n\r\n`);
      const problem = expectWireProblem(res, 431, 'HEADERS_TOO_LARGE');
      expect(problem.title).toBe('Request Header Fields Too Large');
      expect(problem.instance).toBe('/api/v1/tasks');
    });

    it('answers a URL over the limit with a 431 problem', async () => {
      const res = await rawExchange(`GET /api/v1/tasks?q=${'b'.repeat(20 * 1024)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      const problem = expectWireProblem(res, 431, 'HEADERS_TOO_LARGE');
      expect(problem.instance).toBe('/'); // the oversized target is not echoed back
    });

    it('answers a header value with a byte HTTP does not allow with a 400 problem', async () => {
      const res = await rawExchange(Buffer.concat([Buffer.from('GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Bad: a'), Buffer.from([0x01]), Buffer.from('b\r\n\r\n')]));
      const problem = expectWireProblem(res, 400, 'BAD_REQUEST');
      expect(problem.instance).toBe('/health/live');
    });

    it('answers a header name with a character HTTP does not allow with a 400 problem', async () => {
      const res = await rawExchange('GET /health/live HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n\r\n');
      expectWireProblem(res, 400, 'BAD_REQUEST');
    });

    it('answers an HTTP/1.1 request without Host with a 400 problem (Node alone sends an empty 400)', async () => {
      const res = await rawExchange('GET /health/live HTTP/1.1\r\nConnection: close\r\n\r\n');
      const problem = expectWireProblem(res, 400, 'BAD_REQUEST');
      expect(problem).toMatchObject({ instance: '/health/live', detail: 'An HTTP/1.1 request needs a Host header' });
      // HTTP/1.0 has no Host requirement.
      expect((await rawExchange('GET /health/live HTTP/1.0\r\n\r\n')).statusLine).toMatch(/^HTTP\/1\.1 200 /);
    });

    it('answers bytes that are not HTTP at all with a 400 problem', async () => {
      const res = await rawExchange('\u0016\u0003\u0001 hello\r\n\r\n');
      const problem = expectWireProblem(res, 400, 'BAD_REQUEST');
      expect(problem.instance).toBe('/');
    });
  });
});
