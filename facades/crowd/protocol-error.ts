import { STATUS_CODES } from 'node:http';
import { renderError } from './codec/entities';

/**
 * The raw bytes of a Crowd error answer for a request the HTTP parser rejected before any route
 * saw it (an over-long URL, bytes that are not HTTP): status line, the version headers every
 * Crowd answer carries (Jira's client refuses an answer without
 * `X-Embedded-Crowd-Version`), `Connection: close`, and an XML `<error>` entity (XML: the Accept
 * header may be what could not be read). The composition root hands this to the HTTP server
 * (src/http/client-errors.ts), which must not depend on the facade.
 */
export function crowdProtocolErrorAnswer(status: number, message: string, crowdVersion: string): Buffer {
  const body = Buffer.from(
    renderError(status >= 500 ? 'OPERATION_FAILED' : 'ILLEGAL_ARGUMENT', message, 'xml'),
    'utf8',
  );
  const head =
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
    `X-Embedded-Crowd-Version: ${crowdVersion}\r\n` +
    // As the facade's envelope (router.ts) sends them.
    'X-Crowd-User-Management-Version: 1.4\r\n' +
    'Cache-Control: no-cache, no-store\r\n' +
    'Content-Type: application/xml\r\n' +
    `Content-Length: ${body.length}\r\n` +
    'Connection: close\r\n\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
