import http from 'node:http';
import type { Socket } from 'node:net';
import { SMALL_DIRECTORY } from '../helpers/fixtures';
import {
  BASIC,
  eventually,
  rawSocket,
  readUntilClose,
  sleep,
  startRecordedCrowdgate,
  type RecordedCrowdgate,
} from './http-harness';

const CROWD = '/rest/usermanagement/1';
const VERSION_HEADER = /^X-Embedded-Crowd-Version: Crowd\/\S+\r$/im;

/** A complete keep-alive request for `path` on a raw socket. */
const requestText = (path: string, extra = '') =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${BASIC}\r\nAccept: application/json\r\nConnection: keep-alive\r\n${extra}\r\n`;

/** Reads one HTTP answer with a Content-Length from `socket`; resolves with its head and body. */
function readAnswer(socket: Socket): Promise<{ head: string; body: string }> {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = data.subarray(0, end).toString('latin1');
      const length = Number(/^content-length: (\d+)\r?$/im.exec(head)?.[1] ?? 0);
      if (data.length < end + 4 + length) return;
      socket.off('data', onData);
      resolve({ head, body: data.subarray(end + 4, end + 4 + length).toString('utf8') });
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('closed before a complete answer')));
  });
}

/** Splits the bytes of consecutive HTTP answers (each with a Content-Length). */
function splitAnswers(data: string): Array<{ head: string; body: string }> {
  const answers: Array<{ head: string; body: string }> = [];
  let rest = data;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) throw new Error(`incomplete answer: ${rest.slice(0, 200)}`);
    const head = rest.slice(0, end);
    const length = Number(/^content-length: (\d+)$/im.exec(head)?.[1] ?? 0);
    answers.push({ head, body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
  return answers;
}

/**
 * Slow clients: with small timeouts configured (Node's defaults are 60 s for
 * headers and 300 s per request), a client that trickles its headers or body, or sends nothing,
 * is answered 408 and closed by the server. Margins are generous: the limits are 300/600 ms, the
 * assertions allow 8 s.
 */
describe('request timeouts', () => {
  let cg: RecordedCrowdgate;
  beforeAll(async () => {
    cg = await startRecordedCrowdgate(SMALL_DIRECTORY, { headersTimeoutMs: 300, requestTimeoutMs: 600 });
  });
  afterAll(() => cg.stop());

  /** Sends `text` one byte every 100 ms until the socket closes; resolves with what the server sent and whether it closed. */
  async function trickle(text: string): Promise<{ data: string; closed: boolean }> {
    const socket = await rawSocket(cg.port);
    const result = readUntilClose(socket, 8_000);
    let index = 0;
    const timer = setInterval(() => {
      if (socket.destroyed || index >= text.length) return;
      socket.write(text[index++]!);
    }, 100);
    const outcome = await result;
    clearInterval(timer);
    socket.destroy();
    return outcome;
  }

  test('a client trickling its headers is answered 408 (with the Crowd headers) and closed', async () => {
    const { data, closed } = await trickle(
      requestText(`${CROWD}/user?username=alice`, 'X-Padding: ' + 'p'.repeat(200) + '\r\n'),
    );
    expect(closed).toBe(true);
    expect(data).toMatch(/^HTTP\/1\.1 408 /);
    expect(data).toMatch(VERSION_HEADER);
  });

  test('a client trickling a body is closed', async () => {
    const body = JSON.stringify({ value: 'x'.repeat(500) });
    const head = `POST ${CROWD}/authentication?username=alice HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${BASIC}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const socket = await rawSocket(cg.port);
    const result = readUntilClose(socket, 8_000);
    socket.write(head);
    let index = 0;
    const timer = setInterval(() => {
      if (!socket.destroyed && index < body.length) socket.write(body[index++]!);
    }, 100);
    const { closed } = await result;
    clearInterval(timer);
    expect(closed).toBe(true);
    expect(index).toBeLessThan(body.length);
  });

  test('a connection that sends nothing is closed', async () => {
    const socket = await rawSocket(cg.port);
    expect((await readUntilClose(socket, 8_000)).closed).toBe(true);
  });

  test('100 concurrent trickling clients are all closed', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, () =>
        trickle(requestText(`${CROWD}/user?username=alice`, 'X-Padding: ' + 'p'.repeat(200) + '\r\n')),
      ),
    );
    expect(outcomes.filter((o) => o.closed)).toHaveLength(100);
  });

  test('a prompt client is served on a kept-alive connection, and its idle connection is not cut by the request timeouts', async () => {
    const socket = await rawSocket(cg.port);
    socket.write(requestText(`${CROWD}/user?username=alice`));
    expect((await readAnswer(socket)).head).toMatch(/^HTTP\/1\.1 200 /);
    await sleep(1_500); // well past both timeouts, within the keep-alive timeout (65 s)
    socket.write(requestText(`${CROWD}/user?username=carol`));
    const second = await readAnswer(socket);
    expect([second.head.split('\r\n')[0], JSON.parse(second.body).name]).toEqual(['HTTP/1.1 200 OK', 'carol']);
    socket.destroy();
  });

  test('timeouts are logged at debug only', () => {
    expect(cg.lines.filter((l) => l.level !== 'debug')).toEqual([]);
  });
});

/**
 * The per-address connection cap (finding 8): with `maxConnectionsPerAddress: 5`, five open
 * connections from 127.0.0.1 are served and the sixth is closed at once; when one of the five
 * closes, a new connection is served again.
 */
describe('connections per address', () => {
  let cg: RecordedCrowdgate;
  beforeAll(async () => {
    cg = await startRecordedCrowdgate(SMALL_DIRECTORY, { maxConnectionsPerAddress: 5 });
  });
  afterAll(() => cg.stop());

  /** A connection that has completed one request (so the server has accepted and counted it). */
  async function servedConnection(): Promise<Socket> {
    const socket = await rawSocket(cg.port);
    socket.write(requestText(`${CROWD}/config/cookie`));
    const { head } = await readAnswer(socket);
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    return socket;
  }

  test('the connection over the cap is closed without an answer; one below it is served again', async () => {
    const open = [];
    for (let i = 0; i < 5; i++) open.push(await servedConnection());
    const refused = await rawSocket(cg.port);
    const result = readUntilClose(refused, 8_000);
    refused.write(requestText(`${CROWD}/config/cookie`));
    expect(await result).toEqual({ data: '', closed: true });

    open.pop()!.destroy();
    // The server sees the close asynchronously: retry until a new connection is served.
    await eventually(
      async () => {
        try {
          (await servedConnection()).destroy();
          return true;
        } catch {
          return false;
        }
      },
      8_000,
      'a connection to be accepted again',
    );
    for (const socket of open) socket.destroy();
    expect(cg.lines.filter((l) => l.level === 'warn')).toEqual([
      expect.objectContaining({ address: '127.0.0.1', maxConnectionsPerAddress: 5 }),
    ]);
  });

  test('many refused connections log at most one warning', async () => {
    const open: Socket[] = [];
    // The previous test's connections close asynchronously on the server's side.
    await eventually(
      async () => {
        try {
          open.push(await servedConnection());
        } catch {
          // refused: one of the previous connections is still counted
        }
        return open.length === 5;
      },
      8_000,
      'five connections to be served',
    );
    const refused = await Promise.all(
      Array.from({ length: 50 }, () => rawSocket(cg.port).then((s) => readUntilClose(s, 8_000))),
    );
    expect(refused.filter((r) => r.closed && r.data === '')).toHaveLength(50);
    for (const socket of open) socket.destroy();
    expect(cg.lines.filter((l) => l.level !== 'debug')).toHaveLength(1); // the one of the first test, within the minute
  });
});

/**
 * Request line and headers (finding 11): Node's default limit (16 KiB) answered long search URLs
 * with a bare 431. A 32 KiB URL is served; one over `maxHeaderBytes` (64 KiB) gets 431 with the
 * Crowd version headers and a Crowd error entity.
 */
describe('long URLs', () => {
  let cg: RecordedCrowdgate;
  beforeAll(async () => {
    cg = await startRecordedCrowdgate(SMALL_DIRECTORY);
  });
  afterAll(() => cg.stop());

  function get(path: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.get(`${cg.url}${path}`, { agent: false, headers: { authorization: BASIC } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
    });
  }

  test('a 32 KiB search URL reaches the Crowd facade', async () => {
    const restriction = encodeURIComponent(`name = "${'a'.repeat(32 * 1024 - 100)}"`);
    const { status, headers } = await get(`${CROWD}/search?entity-type=user&restriction=${restriction}`);
    expect(status).not.toBe(431);
    expect(headers['x-embedded-crowd-version']).toMatch(/^Crowd\//);
  });

  test('a URL over the limit is answered 431 with the Crowd headers and an error entity', async () => {
    const socket = await rawSocket(cg.port);
    const result = readUntilClose(socket, 8_000);
    socket.write(requestText(`${CROWD}/user?username=${'a'.repeat(70 * 1024)}`));
    const { data, closed } = await result;
    expect(closed).toBe(true);
    const [answer] = splitAnswers(data);
    expect(answer!.head).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer!.head).toMatch(VERSION_HEADER);
    expect(answer!.head).toMatch(/^Content-Type: application\/xml\r?$/im);
    expect(answer!.body).toMatch(
      /<error><reason>ILLEGAL_ARGUMENT<\/reason><message>The request line and headers exceed 65536 bytes<\/message><\/error>$/,
    );
  });
});

/**
 * Bytes that do not parse after a complete request (finding 10): the npm `atlassian-crowd` clients
 * send `GET /user/attribute` with a `{}` body and no Content-Length. Node answered 400 before the
 * answer to the GET; now the GET is answered in full first (with `Connection: close`), then the
 * connection is closed.
 */
describe('garbage after a complete request', () => {
  let cg: RecordedCrowdgate;
  beforeAll(async () => {
    cg = await startRecordedCrowdgate(SMALL_DIRECTORY);
  });
  afterAll(() => cg.stop());

  test('GET with an undeclared {} body: the full 200 answer first, then (perhaps) a Crowd 400, then close', async () => {
    const socket = await rawSocket(cg.port);
    const result = readUntilClose(socket, 8_000);
    socket.write(requestText(`${CROWD}/user/attribute?username=alice`) + '{}');
    const { data, closed } = await result;
    expect(closed).toBe(true);
    const [first, ...rest] = splitAnswers(data);
    expect(first!.head).toMatch(/^HTTP\/1\.1 200 /);
    expect(first!.head).toMatch(/^Connection: close\r?$/im);
    expect(JSON.parse(first!.body)).toMatchObject({ attributes: [{ name: 'department', values: ['R&D'] }] });
    for (const answer of rest)
      expect([answer.head.split('\r\n')[0], VERSION_HEADER.test(answer.head)]).toEqual([
        'HTTP/1.1 400 Bad Request',
        true,
      ]);
  });

  test('pipelined requests before the garbage are all answered, in order', async () => {
    const socket = await rawSocket(cg.port);
    const result = readUntilClose(socket, 8_000);
    socket.write(requestText(`${CROWD}/user?username=alice`) + requestText(`${CROWD}/user?username=carol`) + '{}');
    const { data, closed } = await result;
    expect(closed).toBe(true);
    const answers = splitAnswers(data);
    expect(answers.slice(0, 2).map((a) => [a.head.split('\r\n')[0], JSON.parse(a.body).name])).toEqual([
      ['HTTP/1.1 200 OK', 'alice'],
      ['HTTP/1.1 200 OK', 'carol'],
    ]);
  });

  test('garbage alone is answered 400 with the Crowd headers and an error entity, then closed', async () => {
    const socket = await rawSocket(cg.port);
    const result = readUntilClose(socket, 8_000);
    socket.write('{}\r\n\r\n');
    const { data, closed } = await result;
    expect(closed).toBe(true);
    const [answer, ...rest] = splitAnswers(data);
    expect(answer!.head).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer!.head).toMatch(VERSION_HEADER);
    expect(answer!.body).toContain('<reason>ILLEGAL_ARGUMENT</reason>');
    expect(rest).toEqual([]);
  });

  test.each([
    [
      'an Expect other than 100-continue',
      `GET ${CROWD}/user?username=alice HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${BASIC}\r\nExpect: 200-ok\r\n\r\n`,
      417,
    ],
    [
      'an HTTP/1.1 request without Host',
      `GET ${CROWD}/user?username=alice HTTP/1.1\r\nAuthorization: ${BASIC}\r\n\r\n`,
      400,
    ],
  ])(
    "%s is refused with the Crowd headers and an error entity, not node's bare answer",
    async (_what, request, status) => {
      const socket = await rawSocket(cg.port);
      const result = readUntilClose(socket, 8_000);
      socket.write(request);
      const { data, closed } = await result;
      expect(closed).toBe(true);
      const [answer, ...rest] = splitAnswers(data);
      expect(answer!.head.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(answer!.head).toMatch(VERSION_HEADER);
      expect(answer!.body).toContain('<reason>ILLEGAL_ARGUMENT</reason>');
      expect(rest).toEqual([]);
    },
  );

  test('an HTTP/1.0 request without Host is still served', async () => {
    const socket = await rawSocket(cg.port);
    const result = readUntilClose(socket, 8_000);
    socket.write(
      `GET ${CROWD}/user?username=alice HTTP/1.0\r\nAuthorization: ${BASIC}\r\nAccept: application/json\r\n\r\n`,
    );
    const { data } = await result;
    expect(data).toMatch(/^HTTP\/1\.1 200 /);
  });

  test('protocol errors are logged at debug only', () => {
    expect(cg.lines.filter((l) => l.level !== 'debug')).toEqual([]);
  });
});
