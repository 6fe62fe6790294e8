import type { Socket } from 'node:net';
import {
  BASIC,
  eventually,
  manyUsers,
  rawSocket,
  sleep,
  startRecordedCrowdgate,
  type RecordedCrowdgate,
} from './http-harness';

const CROWD = '/rest/usermanagement/1';
/** 3000 users with `expand=user`: well over a megabyte, streamed page by page, more than socket buffers hold. */
const LARGE_SEARCH = `${CROWD}/search?entity-type=user&max-results=-1&expand=user`;

/**
 * Clients that hang up are not server errors: a hostile session of 100
 * disconnecting clients (mid-body, mid-stream with FIN or RST, mid-headers) leaves no warn or
 * error line and no stack; what it leaves is a small number of debug lines.
 */
describe('client disconnects', () => {
  let cg: RecordedCrowdgate;
  beforeAll(async () => {
    cg = await startRecordedCrowdgate(manyUsers(3000));
  }, 60_000);
  afterAll(() => cg.stop());

  /** Resolves once the server has sent some bytes on `socket`. */
  const firstBytes = (socket: Socket) => new Promise<void>((resolve) => socket.once('data', () => resolve()));

  async function midBody(): Promise<void> {
    const socket = await rawSocket(cg.port);
    socket.write(
      `POST ${CROWD}/authentication?username=user00001 HTTP/1.1\r\nHost: x\r\nAuthorization: ${BASIC}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"value":"`,
    );
    await sleep(50);
    socket.destroy();
  }

  async function midStream(reset: boolean): Promise<void> {
    const socket = await rawSocket(cg.port);
    socket.write(
      `GET ${LARGE_SEARCH} HTTP/1.1\r\nHost: x\r\nAuthorization: ${BASIC}\r\nAccept: application/json\r\n\r\n`,
    );
    await firstBytes(socket);
    socket.pause(); // read no more: the server is left writing into full buffers
    await sleep(20);
    if (reset) socket.resetAndDestroy();
    else socket.destroy();
  }

  async function midHeaders(): Promise<void> {
    const socket = await rawSocket(cg.port);
    socket.write(`GET ${CROWD}/user?username=user00001 HTTP/1.1\r\nHost: x\r\nAuthor`);
    await sleep(20);
    socket.end();
    await sleep(20);
    socket.destroy();
  }

  test('100 clients that disconnect mid-request or mid-stream log no warning, no error, no stack', async () => {
    const clients: Array<Promise<void>> = [];
    for (let i = 0; i < 25; i++) clients.push(midBody(), midStream(false), midStream(true), midHeaders());
    await Promise.all(clients);
    // The server notices the last hang-ups asynchronously; it must still serve afterwards.
    await eventually(
      async () => {
        const response = await fetch(`${cg.url}${CROWD}/user?username=user00001`, {
          headers: { authorization: BASIC, accept: 'application/json' },
        });
        return response.status === 200;
      },
      10_000,
      'a normal request to be served',
    );
    await sleep(500);
    expect(cg.lines.filter((l) => l.level !== 'debug')).toEqual([]);
    expect(cg.lines.filter((l) => l.stack !== undefined)).toEqual([]);
    // Besides its one `request` line: at most two debug lines per client (about 125 now).
    expect(cg.lines.filter((l) => l.message !== 'request').length).toBeLessThanOrEqual(200);
  });
});
