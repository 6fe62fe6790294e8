import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { DirectoryError } from '../domain/errors';
import { interpolateEnv, type ConfigPath, type ConfigProblem, type Env } from './interpolate';
import { configSchema, type Config, type TlsConfig } from './schema';

/**
 * Read, parse, interpolate and validate a configuration file. The returned `dataDir` and
 * `server.tls` files are absolute (relative ones are resolved against the directory containing `file`).
 *
 * Every failure throws `DirectoryError('CONFIGURATION', message)`; the message has one line per
 * problem, each starting with `file` as given and then either `line:column` (YAML syntax) or the
 * key path, e.g. `crowdgate.yaml: applications[0].directories[1]: unknown directory "corpx"`.
 */
export async function loadConfigFile(file: string, env: Env = process.env): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DirectoryError('CONFIGURATION', `${file}: cannot read configuration file: ${messageOf(error)}`, {
      cause: error,
    });
  }
  const config = parseConfig(text, file, env);
  const base = path.dirname(path.resolve(file));
  const { tls } = config.server;
  return {
    ...config,
    dataDir: path.resolve(base, config.dataDir),
    ...(tls ? { server: { ...config.server, tls: resolveTlsFiles(tls, base) } } : {}),
  };
}

/** The `server.tls` files, relative ones resolved against `base` (like `dataDir`). */
function resolveTlsFiles(tls: TlsConfig, base: string): TlsConfig {
  const at = (file: string) => path.resolve(base, file);
  return {
    certFile: at(tls.certFile),
    keyFile: at(tls.keyFile),
    ...(tls.caFile !== undefined ? { caFile: at(tls.caFile) } : {}),
    ...(tls.passphraseFile !== undefined ? { passphraseFile: at(tls.passphraseFile) } : {}),
  };
}

/**
 * Parse configuration text; `fileLabel` prefixes every problem line. Same errors as
 * `loadConfigFile`, but `dataDir` and the `server.tls` files are returned exactly as written (possibly relative).
 */
export function parseConfig(text: string, fileLabel: string, env: Env = process.env): Config {
  const raw = parseYaml(text, fileLabel);
  const { value, problems } = interpolateEnv(raw, env);
  if (problems.length > 0) throw configurationError(fileLabel, problems);
  const result = configSchema.safeParse(value, { reportInput: true });
  if (!result.success) throw configurationError(fileLabel, result.error.issues.flatMap(describeIssue));
  return result.data;
}

/** `directories[0].entra`, `server.port`, `["odd key"]`; the empty path is the document. */
export function formatConfigPath(configPath: ConfigPath): string {
  let out = '';
  for (const segment of configPath) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

function parseYaml(text: string, fileLabel: string): unknown {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    // `1:` and `"1":` are different YAML keys but the same JavaScript property: treat as duplicates.
    uniqueKeys: (a, b) => a === b || (isScalar(a) && isScalar(b) && String(a.value) === String(b.value)),
  });
  const located = [...doc.errors, ...doc.warnings].map((e) => {
    const { line, col } = lineCounter.linePos(e.pos[0]);
    return { line, col, message: `${fileLabel}:${line}:${col}: ${firstLine(e.message)}` };
  });
  if (located.length > 0) {
    located.sort((a, b) => a.line - b.line || a.col - b.col);
    throw new DirectoryError('CONFIGURATION', located.map((l) => l.message).join('\n'));
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // Unresolvable aliases and alias bombs surface only when converting.
    throw new DirectoryError('CONFIGURATION', `${fileLabel}: ${firstLine(messageOf(error))}`, { cause: error });
  }
}

function configurationError(fileLabel: string, problems: readonly ConfigProblem[]): DirectoryError {
  const lines = problems.map(({ path: at, message }) => {
    const where = formatConfigPath(at);
    return where === '' ? `${fileLabel}: ${message}` : `${fileLabel}: ${where}: ${message}`;
  });
  return new DirectoryError('CONFIGURATION', [...new Set(lines)].join('\n'));
}

/** Turn one zod issue into problems with our wording (never echoing values, which may be secrets). */
function describeIssue(issue: z.core.$ZodIssue): ConfigProblem[] {
  const at = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ path: [...at, key], message: 'unknown key' }));
    case 'invalid_type':
      return [
        {
          path: at,
          message:
            issue.input === undefined
              ? 'is required'
              : `expected ${article(issue.expected)}, got ${article(typeName(issue.input))}`,
        },
      ];
    case 'invalid_value':
      return [{ path: at, message: `expected one of ${issue.values.map(String).join(', ')}` }];
    default:
      return [{ path: at, message: issue.message }];
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') {
    const proto: unknown = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null ? 'object' : 'non-plain value';
  }
  return typeof value;
}

/** "a list", "a mapping", "a string": words a YAML author recognises. */
function article(type: string): string {
  switch (type) {
    case 'array':
      return 'a list';
    case 'object':
      return 'a mapping';
    case 'null':
      return 'null (empty value)';
    case 'int':
      return 'an integer';
    case 'undefined':
      return 'nothing';
    default:
      return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
  }
}

/** `error.message` without relying on `instanceof Error` (fs errors may come from another realm). */
function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') {
    return error.message;
  }
  return String(error);
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}
