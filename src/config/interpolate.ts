/**
 * `${NAME}` environment interpolation, applied to the parsed YAML value (never to the YAML text),
 * so a variable's value is always a plain string and can never inject YAML structure.
 *
 * Rules, applied to every string scalar at any depth (mapping keys are left alone):
 *  - `${NAME}` (NAME = `[A-Za-z_][A-Za-z0-9_]*`) is replaced by `env.NAME`; an empty value is allowed.
 *  - `$${` is a literal `${` (so `$${HOME}` gives the text `${HOME}`).
 *  - Any other `${` (bad name, `${X:-default}`, unclosed) is a problem, as is an unset variable.
 *  - A lone `$` or `$$` not followed by `{` is kept as is. Substituted values are not re-scanned.
 * Non-string scalars (numbers, booleans, null) pass through unchanged.
 */

/** Location of a value in the configuration: mapping keys and sequence indexes from the root. */
export type ConfigPath = readonly (string | number)[];

/** One thing wrong with the configuration, at `path` (empty = the document itself). */
export interface ConfigProblem {
  readonly path: ConfigPath;
  readonly message: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface InterpolationResult {
  /** A copy of the input with strings interpolated (shared structure is not preserved). */
  readonly value: unknown;
  /** Empty on success. One entry per bad reference, in document order. */
  readonly problems: readonly ConfigProblem[];
}

const REFERENCE = /\$\$\{|\$\{([^}]*)(\})?/g;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Interpolate every string in `value` (plain objects and arrays are walked; other objects, e.g. a
 * Buffer from `!!binary`, are returned as is for the schema to reject). Also reports a mapping key
 * `__proto__` as a problem, since it cannot be represented safely in a JavaScript object.
 */
export function interpolateEnv(value: unknown, env: Env): InterpolationResult {
  const problems: ConfigProblem[] = [];
  const result = walk(value, [], env, problems);
  return { value: result, problems };
}

/** Interpolate one string; problems are reported at `path`. Exposed for tests and reuse. */
export function interpolateString(text: string, env: Env, path: ConfigPath, problems: ConfigProblem[]): string {
  return text.replace(REFERENCE, (match: string, name: string | undefined, close: string | undefined) => {
    if (match === '$${') return '${';
    if (close === undefined) {
      problems.push({ path, message: 'unclosed "${" (write "$${" for a literal "${")' });
      return match;
    }
    if (name === undefined || !VARIABLE_NAME.test(name)) {
      problems.push({
        path,
        message: `invalid variable reference "${match}" (expected \${NAME}; write "$\${" for a literal "\${")`,
      });
      return match;
    }
    const replacement = Object.hasOwn(env, name) ? env[name] : undefined;
    if (replacement === undefined) {
      problems.push({ path, message: `environment variable ${name} is not set` });
      return match;
    }
    return replacement;
  });
}

function walk(value: unknown, path: (string | number)[], env: Env, problems: ConfigProblem[]): unknown {
  if (typeof value === 'string') return interpolateString(value, env, path, problems);
  if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index], env, problems));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === '__proto__') {
        problems.push({ path: [...path, key], message: 'the key "__proto__" is not allowed' });
        continue;
      }
      out[key] = walk(item, [...path, key], env, problems);
    }
    return out;
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
