/**
 * Raw-socket cases: bytes that are not (quite) HTTP/1.1. Malformed request lines, broken headers,
 * conflicting framing, a GET with a body, pipelined requests, another protocol's greeting, random
 * bytes, a request that never ends.
 */
import type { FuzzCase } from './case';
import { crowdRequest, type CrowdContext } from './crowd-cases';
import type { Rng } from './rng';
import { encode, text } from './values';
import { encodeRequest, type HttpRequestSpec } from './wire';

const TLS_CLIENT_HELLO = Buffer.from(
  '16030100a5010000a10303' +
    '00'.repeat(32) +
    '000020c02bc02fc02cc030cca9cca8c013c014009c009d002f0035000a0100005800000014001200000f3132372e302e302e31',
  'hex',
);

/** A raw case. `path` is a Crowd path of the server (for request lines that look right). */
export function rawCase(rng: Rng, ctx: CrowdContext, base: { seed: number; index: number }): FuzzCase {
  const host = `Host: ${ctx.target.host}:${ctx.target.port}`;
  const auth = `Authorization: Basic ${Buffer.from(`${ctx.vocab.application.name}:${ctx.vocab.application.password}`).toString('base64')}`;
  const user = ctx.vocab.users.length ? ctx.vocab.users[0]! : 'alice';
  const path = `${ctx.mounts[0]}/user?username=${encode(rng, user)}`;
  const raw = (generator: string, label: string, bytes: Buffer | string, extra: Partial<FuzzCase> = {}): FuzzCase => ({
    ...base,
    door: 'raw',
    generator: `raw/${generator}`,
    label,
    bytes: typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes,
    methods: [],
    ...extra,
  });
  return rng.weighted<FuzzCase>([
    [
      3,
      () => {
        const lines = [
          'GET\r\n\r\n',
          `GET ${path}\r\n\r\n`,
          `GET ${path} HTTP/9.9\r\n${host}\r\n\r\n`,
          `GET ${path} HTTP/1.1 extra\r\n${host}\r\n\r\n`,
          `GET  ${path}  HTTP/1.1\r\n${host}\r\n\r\n`,
          `G ET ${path} HTTP/1.1\r\n${host}\r\n\r\n`,
          `get ${path} HTTP/1.1\r\n${host}\r\n\r\n`,
          `GET\t${path}\tHTTP/1.1\r\n${host}\r\n\r\n`,
          `GET ${path} HTTP/1.1\n${host}\n${auth}\n\n`,
          `GET ${path} HTTP/1.1\r${host}\r\r`,
          `GET http://evil.example${path} HTTP/1.1\r\n${host}\r\n${auth}\r\n\r\n`,
          `GET //evil.example/x HTTP/1.1\r\n${host}\r\n\r\n`,
          `OPTIONS * HTTP/1.1\r\n${host}\r\n\r\n`,
          `CONNECT 127.0.0.1:22 HTTP/1.1\r\n${host}\r\n\r\n`,
          `GET ${path.replace('?', '\u0000?')} HTTP/1.1\r\n${host}\r\n\r\n`,
          `GET ${path}\u00ff\u00fe HTTP/1.1\r\n${host}\r\n${auth}\r\n\r\n`,
          `GET /rest/usermanagement/1/user?username=a b HTTP/1.1\r\n${host}\r\n\r\n`,
          `GET ${path}#frag HTTP/1.1\r\n${host}\r\n${auth}\r\n\r\n`,
          `${'A'.repeat(70_000)} / HTTP/1.1\r\n\r\n`,
          `GET /${'a'.repeat(70_000)} HTTP/1.1\r\n${host}\r\n\r\n`,
          'HTTP/1.1 200 OK\r\n\r\n',
          '\r\n\r\n\r\n',
          `\r\nGET ${path} HTTP/1.1\r\n${host}\r\n${auth}\r\n\r\n`,
        ];
        const line = rng.pick(lines);
        return raw('request-line', `malformed request line ${JSON.stringify(line.slice(0, 60))}`, line);
      },
    ],
    [
      3,
      () => {
        const headers = rng.pick([
          `${host}\r\nNoColon\r\n`,
          `${host}\r\nX : space-before-colon\r\n`,
          `${host}\r\nX-Folded: a\r\n  continued\r\n`,
          `${host}\r\nX-Nul: a\u0000b\r\n`,
          `${host}\r\n${'X'.repeat(70_000)}: v\r\n`,
          `${host}\r\n${Array.from({ length: 3000 }, (_, i) => `X-${i}: v`).join('\r\n')}\r\n`,
          `${host}\r\n${host}\r\n`,
          '',
          `Host: \r\n`,
          `Host: [::1\r\n`,
          `Host: evil.example\r\n`,
          `${host}\r\n${auth}\r\n${auth.replace('Basic', 'Bearer')}\r\n`,
          `${host}\r\nAuthorization: Basic\u00ff\u00fe\r\n`,
          `${host}\r\nContent-Type: application/json\u0000\r\n`,
          `${host}\r\n: empty-name\r\n`,
          `${host}\r\nX-Ünicode: v\r\n`,
        ]);
        return raw(
          'headers',
          `odd headers ${JSON.stringify(headers.slice(0, 60))}`,
          `GET ${path} HTTP/1.1\r\n${headers}${auth}\r\nConnection: close\r\n\r\n`,
        );
      },
    ],
    [
      3,
      () => {
        const body = '<null-search-restriction/>';
        const search = `POST ${ctx.mounts[0]}/search?entity-type=user&max-results=1 HTTP/1.1\r\n${host}\r\n${auth}\r\nContent-Type: application/xml\r\n`;
        const framing = rng.pick([
          `Content-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
          `Content-Length: ${body.length}\r\nContent-Length: ${body.length + 5}\r\n\r\n${body}`,
          `Content-Length: -1\r\n\r\n${body}`,
          `Content-Length: 1e3\r\n\r\n${body}`,
          `Content-Length: 99999999999999999999\r\n\r\n${body}`,
          `Content-Length: ${body.length}, ${body.length}\r\n\r\n${body}`,
          `Transfer-Encoding: chunked\r\n\r\nzz\r\n${body}\r\n0\r\n\r\n`,
          `Transfer-Encoding: chunked\r\n\r\n${body.length.toString(16)};${'e'.repeat(20_000)}\r\n${body}\r\n0\r\n\r\n`,
          `Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFF\r\n${body}\r\n0\r\n\r\n`,
          `Transfer-Encoding: gzip, chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
          `Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n${body}`,
          `Transfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\nX-Trailer: a\r\n\r\n`,
          `Content-Length: ${body.length * 3}\r\n\r\n${body}`,
          `Transfer-Encoding: chunked\r\n\r\n5\r\n<null\r\n`,
        ]);
        return raw(
          'framing',
          `conflicting or broken framing ${JSON.stringify(framing.slice(0, 60))}`,
          search + framing,
        );
      },
    ],
    [
      3,
      () => {
        // Pipelined: 2–8 generated requests on one connection, written at once.
        const n = rng.range(2, 8);
        const specs: HttpRequestSpec[] = [];
        for (let i = 0; i < n; i++) {
          const { request } = crowdRequest(rng, ctx);
          const headers = request.headers.filter(([name]) => name !== 'Connection');
          if (i === n - 1) headers.push(['Connection', 'close']);
          specs.push({ ...request, headers, body: request.body.length > 64 * 1024 ? Buffer.alloc(0) : request.body });
        }
        const bytes = Buffer.concat(specs.map((s) => encodeRequest(ctx.target, s)));
        return raw(
          'pipelined',
          `${n} pipelined: ${specs.map((s) => `${s.method} ${s.target.slice(ctx.mounts[0]!.length, 40)}`).join(', ')}`,
          bytes,
          { expected: n, methods: specs.map((s) => s.method) },
        );
      },
    ],
    [
      2,
      () => {
        // A GET with a body: framed (Content-Length), unframed (what the npm crowd client sends), then another request.
        const body = rng.pick(['{}', '<null-search-restriction/>', 'x'.repeat(rng.logRange(1, 100_000)), '\r\n']);
        const framed = rng.chance(0.5);
        const first = `GET ${path} HTTP/1.1\r\n${host}\r\n${auth}\r\n${framed ? `Content-Length: ${body.length}\r\n` : ''}\r\n${body}`;
        const second = rng.chance(0.5)
          ? `GET ${ctx.mounts[0]}/config/cookie HTTP/1.1\r\n${host}\r\n${auth}\r\nConnection: close\r\n\r\n`
          : '';
        return raw(
          'get-with-body',
          `GET with a ${framed ? 'framed' : 'unframed'} ${body.length}-byte body${second ? ', then a GET' : ''}`,
          first + second,
          { methods: ['GET', 'GET'] },
        );
      },
    ],
    [
      2,
      () => {
        // Another protocol's greeting, or bytes.
        return rng.weighted<FuzzCase>([
          [1, () => raw('protocol', 'HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')],
          [1, () => raw('protocol', 'TLS ClientHello', TLS_CLIENT_HELLO)],
          [1, () => raw('protocol', 'SSH greeting', 'SSH-2.0-OpenSSH_9.6\r\n')],
          [
            2,
            () => {
              const bytes = Buffer.from(Array.from({ length: rng.logRange(1, 4000) }, () => rng.int(256)));
              return raw('bytes', `${bytes.length} random bytes`, bytes);
            },
          ],
          [1, () => raw('bytes', 'random text', Buffer.from(text(rng, 200), 'utf8'))],
        ]);
      },
    ],
    [
      1,
      () =>
        raw(
          'incomplete',
          'a request that never ends (no blank line)',
          `GET ${path} HTTP/1.1\r\n${host}\r\n${auth}\r\nX-More: `,
        ),
    ],
    [
      1,
      () =>
        raw(
          'incomplete',
          'a body shorter than its Content-Length',
          `POST ${ctx.mounts[0]}/authentication?username=${encode(rng, user)} HTTP/1.1\r\n${host}\r\n${auth}\r\nContent-Type: application/xml\r\nContent-Length: 500\r\n\r\n<password><value>de`,
        ),
    ],
  ]);
}
