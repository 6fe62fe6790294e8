import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/** Reads the request body as UTF-8, refusing more than `limit` bytes (throws RangeError). */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new RangeError(`request body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** First value of a header (node lower-cases names). */
export function header(
  headers: IncomingHttpHeaders | Readonly<Record<string, string | undefined>>,
  name: string,
): string | undefined {
  const value = (headers as Record<string, string | string[] | undefined>)[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Body text; JSON unless headers say otherwise. */
  readonly body: string | null;
}

export function send(res: ServerResponse, reply: Reply): void {
  const body = reply.body === null ? null : Buffer.from(reply.body, 'utf8');
  const headers: Record<string, string | number> = { ...reply.headers };
  if (body !== null) headers['Content-Length'] = body.length;
  res.writeHead(reply.status, headers);
  res.end(body ?? undefined);
}

/** Query parameters with `$`-options looked up case-insensitively ($skipToken and $skiptoken alike). */
export class Query {
  private readonly map = new Map<string, string>();

  constructor(readonly raw: string) {
    for (const [key, value] of new URLSearchParams(raw)) {
      const normalised = key.startsWith('$') ? key.toLowerCase() : key;
      if (!this.map.has(normalised)) this.map.set(normalised, value);
    }
  }

  get(name: string): string | undefined {
    return this.map.get(name.startsWith('$') ? name.toLowerCase() : name);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** The `$`-options present, lower-cased. */
  options(): string[] {
    return [...this.map.keys()].filter((k) => k.startsWith('$'));
  }

  /** The raw query without the given options (case-insensitive), for building next links. */
  without(...names: string[]): string {
    const drop = new Set(names.map((n) => n.toLowerCase()));
    return this.raw
      .split('&')
      .filter((part) => part !== '' && !drop.has(decodeURIComponent(part.split('=')[0] ?? '').toLowerCase()))
      .join('&');
  }
}
