/**
 * Shared helpers of the Okta emulator tests: SDK clients built with documented options only,
 * an environment scrubbed of the SDK's configuration sources, and a JSON-Schema validator built
 * from the vendor's OpenAPI spec.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import * as okta from '@okta/okta-sdk-nodejs';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import type { OAuthClientCredentials, RunningOktaEmulator } from '../../../src/emulators/okta';

/**
 * The SDK merges `~/.okta/okta.yaml`, `./okta.yaml` and `OKTA_CLIENT_*` variables into every
 * client's configuration, and routes everything through `https_proxy` (reference C.2): remove the
 * variables and refuse to run when a YAML file would leak in.
 */
export function scrubOktaEnvironment(): void {
  for (const name of Object.keys(process.env)) {
    if (/^OKTA_/i.test(name) || /^https?_proxy$/i.test(name)) delete process.env[name];
  }
  for (const file of [join(process.cwd(), 'okta.yaml'), join(homedir(), '.okta', 'okta.yaml')]) {
    if (existsSync(file))
      throw new Error(`${file} would leak into the Okta SDK's configuration; remove it to run these tests`);
  }
}

/** An executor whose requests and backoffs the test can count. */
export function countingExecutor(maxRetries: number): {
  executor: okta.DefaultRequestExecutor;
  urls: string[];
  backoffs: number[];
  retries: string[];
  /** `status url` of every response the executor saw. */
  responses: string[];
} {
  const executor = new okta.DefaultRequestExecutor({ maxRetries, requestTimeout: 0 });
  const urls: string[] = [];
  const backoffs: number[] = [];
  const retries: string[] = [];
  const responses: string[] = [];
  executor.on('response', (response: { status: number; url: string }) =>
    responses.push(`${response.status} ${response.url}`),
  );
  executor.on('request', (request: { url: string; headers?: Record<string, unknown> }) => {
    urls.push(request.url);
    const count = request.headers?.['X-Okta-Retry-Count'];
    if (count !== undefined) retries.push(String(count));
  });
  executor.on('backoff', (_request: unknown, _response: unknown, _id: unknown, delayMs: number) =>
    backoffs.push(delayMs),
  );
  return { executor, urls, backoffs, retries, responses };
}

/** SSWS client as the reference recipe builds it (cache off, explicit retry policy). */
export function sswsClient(
  orgUrl: string,
  token: string,
  executor = new okta.DefaultRequestExecutor({ maxRetries: 0, requestTimeout: 0 }),
): okta.Client {
  return new okta.Client({ orgUrl, token, cacheMiddleware: null, requestExecutor: executor });
}

/** PrivateKey (OAuth service app) client. */
export function privateKeyClient(
  orgUrl: string,
  app: OAuthClientCredentials,
  scopes: string[],
  executor = new okta.DefaultRequestExecutor({ maxRetries: 0, requestTimeout: 0 }),
): okta.Client {
  return new okta.Client({
    orgUrl,
    authorizationMode: 'PrivateKey',
    clientId: app.clientId,
    scopes,
    privateKey: app.privateKeyPem,
    keyId: app.keyId,
    cacheMiddleware: null,
    requestExecutor: executor,
  });
}

/** Every item of an SDK collection, through `each` (stops at the last page). */
export async function collect<T>(collection: Promise<okta.Collection<T>>): Promise<T[]> {
  const items: T[] = [];
  await (
    await collection
  ).each((item: T) => {
    items.push(item);
  });
  return items;
}

/** The error an SDK call rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<okta.OktaApiError> {
  try {
    await promise;
  } catch (error) {
    return error as okta.OktaApiError;
  }
  throw new Error('expected the call to fail');
}

export async function getJson(
  emulator: RunningOktaEmulator,
  path: string,
  token = emulator.apiToken,
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const response = await fetch(`${emulator.url}${path}`, {
    headers: { Authorization: `SSWS ${token}`, Accept: 'application/json' },
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** Every item of a listing, following `rel="next"` links with plain fetch; also the page count. */
export async function getAll(
  emulator: RunningOktaEmulator,
  path: string,
): Promise<{ items: Record<string, unknown>[]; pages: number }> {
  const items: Record<string, unknown>[] = [];
  let pages = 0;
  let url: string | undefined = `${emulator.url}${path}`;
  while (url !== undefined) {
    const response: Response = await fetch(url, { headers: { Authorization: `SSWS ${emulator.apiToken}` } });
    if (response.status !== 200) throw new Error(`${url}: ${response.status} ${await response.text()}`);
    items.push(...((await response.json()) as Record<string, unknown>[]));
    pages++;
    url = links(response.headers).next;
  }
  return { items, pages };
}

/** `Link` header relations of a fetch response. */
export function links(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (headers.get('link') ?? '').split(/,\s*(?=<)/)) {
    const match = /^<([^>]+)>;\s*rel="([^"]+)"$/.exec(part.trim());
    if (match) out[match[2] as string] = match[1] as string;
  }
  return out;
}

export const SPEC_PATH = resolve(__dirname, '../../../../shared/specs/okta-management.yaml');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Definitions validated in a closed variant (`additionalProperties: false`, refs to other closed
 * definitions followed to their closed variants) so that a misspelt or invented property fails
 * (the spec leaves objects open). The originals stay open for the spec's own allOf/anyOf uses.
 */
const CLOSED = new Set([
  'User',
  'Group',
  'UserCredentials',
  'AuthenticationProvider',
  'LogEvent',
  'LogActor',
  'LogTarget',
  'LogOutcome',
  'LogClient',
  'LogUserAgent',
  'LogTransaction',
  'LogDebugContext',
  'LogAuthenticationContext',
  'LogSecurityContext',
  'LogRequest',
  'LogIpAddress',
  'Error',
  'ErrorCause',
]);
const DROPPED = new Set([
  'description',
  'example',
  'examples',
  'discriminator',
  'readOnly',
  'writeOnly',
  'xml',
  'externalDocs',
  'deprecated',
]);
const REF_PREFIX = '#/components/schemas/';

/**
 * OpenAPI 3.0 schema → JSON Schema (draft-07): `$ref`s into `components/schemas` become refs into
 * one root schema; `nullable: true` admits null (as a type, an enum member, or — for typeless
 * schemas — an anyOf branch); vendor extensions and annotations are dropped; `$ref` siblings are
 * ignored, as OpenAPI 3.0 specifies.
 */
function convert(node: Json, formats: Set<string>): Json {
  if (Array.isArray(node)) return node.map((n) => convert(n, formats));
  if (node === null || typeof node !== 'object') return node;
  const ref = node.$ref;
  if (typeof ref === 'string') {
    if (!ref.startsWith(REF_PREFIX)) throw new Error(`unexpected $ref ${ref}`);
    return { $ref: `okta#/definitions/${ref.slice(REF_PREFIX.length)}` };
  }
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key) || key.startsWith('x-') || key === 'nullable') continue;
    if (key === 'properties' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v, formats)]));
    } else if (key === 'format' && typeof value === 'string') {
      formats.add(value);
      out.format = value;
    } else if (key === 'enum' && Array.isArray(value)) {
      out.enum = [...new Set(value)]; // two unrelated spec enums list a value twice, which draft-07 forbids
    } else if (key === 'required' || key === 'default') {
      out[key] = value;
    } else {
      out[key] = convert(value, formats);
    }
  }
  if (node.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else return { anyOf: [out, { type: 'null' }] };
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  return out;
}

const CLOSED_SUFFIX = '__closed';

/** Deep copy whose refs to closed definitions point at their closed variants. */
function closedVariant(node: Json): Json {
  if (Array.isArray(node)) return node.map(closedVariant);
  if (node === null || typeof node !== 'object') return node;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) {
    const target = key === '$ref' && typeof value === 'string' ? value.slice('okta#/definitions/'.length) : null;
    out[key] = target !== null && CLOSED.has(target) ? `${value as string}${CLOSED_SUFFIX}` : closedVariant(value);
  }
  return out;
}

export interface SpecValidator {
  /** Null when valid, else the ajv errors as text. */
  errors(schema: string, data: unknown): string | null;
}

let cached: SpecValidator | null = null;

export function loadSpecValidator(): SpecValidator {
  if (cached !== null) return cached;
  const spec = parse(readFileSync(SPEC_PATH, 'utf8')) as { components: { schemas: Record<string, Json> } };
  const formats = new Set<string>();
  const definitions: Record<string, Json> = {};
  for (const [name, schema] of Object.entries(spec.components.schemas)) definitions[name] = convert(schema, formats);
  for (const name of CLOSED) {
    const closed = closedVariant(definitions[name] ?? null);
    if (closed === null || typeof closed !== 'object' || Array.isArray(closed) || closed.properties === undefined) {
      throw new Error(`cannot close ${name}`);
    }
    closed.additionalProperties ??= false;
    definitions[`${name}${CLOSED_SUFFIX}`] = closed;
  }
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const format of formats) {
    if (format === 'date-time')
      ajv.addFormat(format, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
    else if (format === 'email') ajv.addFormat(format, /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
    else ajv.addFormat(format, true);
  }
  ajv.addSchema({ $id: 'okta', definitions } as object);
  const validators = new Map<string, ValidateFunction>();
  cached = {
    errors(schema: string, data: unknown): string | null {
      let validate = validators.get(schema);
      if (validate === undefined) {
        const found = ajv.getSchema(`okta#/definitions/${schema}${CLOSED.has(schema) ? CLOSED_SUFFIX : ''}`);
        if (found === undefined) throw new Error(`no schema ${schema}`);
        validators.set(schema, (validate = found));
      }
      return validate(data) ? null : ajv.errorsText(validate.errors, { separator: '\n' });
    },
  };
  return cached;
}
