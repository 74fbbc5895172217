import { connect } from 'node:net';
import { Session, createUser } from '../support/auth-fixtures';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * What arrives before a route runs: requests Node's HTTP parser refuses (`clientError`) and bodies
 * whose bytes are not UTF-8. API.md "Failure behaviour": every error answer is problem+json, and
 * bodies must be UTF-8 (another charset is 415, invalid UTF-8 is 400).
 */
describe('Errors before routing and body encodings (real app over HTTP)', () => {
  let t: TestApp;
  let member: Session;
  beforeAll(async () => {
    t = await startTestApp();
    member = await createUser(t, 'member');
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
        const headers = Object.fromEntries(
          lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
        );
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

    it('answers a chunk extension over the limit with a 413 problem', async () => {
      const res = await rawExchange(
        `POST /api/v1/tasks HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2;ext=${'e'.repeat(20 * 1024)}\r\n{}\r\n0\r\n\r\n`,
      );
      expectWireProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('answers a header value with a byte HTTP does not allow with a 400 problem', async () => {
      const res = await rawExchange(
        Buffer.concat([
          Buffer.from('GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Bad: a'),
          Buffer.from([0x01]),
          Buffer.from('b\r\n\r\n'),
        ]),
      );
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

  describe('JSON bodies must be UTF-8', () => {
    const API = '/api/v1';
    const titles = async () => {
      const list = await t.http.get(`${API}/tasks?limit=100`, { token: member.accessToken });
      expect(list.status).toBe(200);
      return (list.body.data as Array<{ title: string }>).map((task) => task.title);
    };
    const expectProblem = (res: { status: number; headers: Headers; body: any }, status: number, code: string) => {
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status, code, instance: `${API}/tasks` });
    };

    it('refuses a body declared in another charset with a 415 problem and stores nothing', async () => {
      const latin1 = Buffer.from(JSON.stringify({ title: 'latin1 café' }), 'latin1');
      for (const contentType of [
        'application/json; charset=latin1',
        'application/json; charset=ISO-8859-1',
        'application/json;charset="windows-1252"',
        'application/json; charset=utf-16',
      ]) {
        const res = await t.http.post(`${API}/tasks`, undefined, {
          token: member.accessToken,
          raw: latin1,
          headers: { 'content-type': contentType },
        });
        expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
        expect(res.body.detail).toMatch(/UTF-8/);
      }
      expect((await titles()).filter((title) => title.startsWith('latin1'))).toEqual([]);
    });

    it('refuses bytes that are not UTF-8 with a 400 problem and never stores a replacement character', async () => {
      const invalid = Buffer.concat([Buffer.from('{"title":"raw caf'), Buffer.from([0xe9]), Buffer.from(' bytes"}')]);
      for (const contentType of ['application/json', 'application/json; charset=utf-8']) {
        const res = await t.http.post(`${API}/tasks`, undefined, {
          token: member.accessToken,
          raw: invalid,
          headers: { 'content-type': contentType },
        });
        expectProblem(res, 400, 'MALFORMED_JSON');
        expect(res.body.detail).toBe('The body is not valid UTF-8');
      }
      const stored = await titles();
      expect(stored.filter((title) => title.startsWith('raw caf'))).toEqual([]);
      expect(stored.some((title) => title.includes('\uFFFD'))).toBe(false);
    });

    it('accepts UTF-8 with or without a charset, in any case, and stores it exactly', async () => {
      for (const [contentType, title] of [
        ['application/json', 'utf8 café ✓ 1'],
        ['application/json; charset=UTF-8', 'utf8 café ✓ 2'],
        ['application/json; charset="utf-8"', 'utf8 café ✓ 3'],
      ]) {
        const res = await t.http.post(`${API}/tasks`, undefined, {
          token: member.accessToken,
          raw: Buffer.from(JSON.stringify({ title }), 'utf8'),
          headers: { 'content-type': contentType },
        });
        expect(res.status).toBe(201);
        expect(res.body.title).toBe(title);
      }
      expect(await titles()).toEqual(expect.arrayContaining(['utf8 café ✓ 1', 'utf8 café ✓ 2', 'utf8 café ✓ 3']));
    });

    it('keeps malformed and empty JSON answers as they were', async () => {
      expectProblem(
        await t.http.post(`${API}/tasks`, undefined, {
          token: member.accessToken,
          raw: '{"title":',
          headers: { 'content-type': 'application/json' },
        }),
        400,
        'MALFORMED_JSON',
      );
      const proto = await t.http.post(`${API}/tasks`, undefined, {
        token: member.accessToken,
        raw: '{"title":"p","__proto__":{"x":1}}',
        headers: { 'content-type': 'application/json' },
      });
      expect(proto.status).toBe(400);
      expect(proto.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });
  });
});
