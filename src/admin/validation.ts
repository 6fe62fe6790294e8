import type { z } from 'zod';
import { DirectoryError, isDirectoryError, type FieldProblem } from '../domain/errors';
import { formatConfigPath } from '../config/load';
import { directoryEntrySchema, type DirectoryConfig } from '../config/schema';
import { checkProviderSettings } from '../providers/registry';

/**
 * Checks an input of the administration API exactly as the configuration file's entry would be
 * checked (the zod schema, then the connector's own settings parser) and reports every problem
 * at its input path (`entra.tenantId`, `localGroups[2]`): INVALID_ARGUMENT with `problems`.
 * Messages name keys, never values, so a secret in the wrong shape is not echoed.
 */
export function validateDirectoryEntry(raw: Readonly<Record<string, unknown>>): DirectoryConfig {
  const result = directoryEntrySchema.safeParse(raw);
  if (!result.success) throw invalidInput('directory', zodProblems(result.error));
  const directory = result.data;
  if (directory.provider === 'demo') return directory;
  try {
    checkProviderSettings(directory);
  } catch (error) {
    if (isDirectoryError(error) && error.code === 'CONFIGURATION') throw invalidInput('directory', problemsOf(error));
    throw error;
  }
  return directory;
}

/** The problems of a zod error at their input paths; an unknown key is a problem at that key. */
export function zodProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          field: formatConfigPath([...issue.path.map(pathSegment), key]),
          message: 'unknown key',
        }))
      : [{ field: formatConfigPath(issue.path.map(pathSegment)), message: issue.message }],
  );
}

export function invalidInput(what: string, problems: readonly FieldProblem[]): DirectoryError {
  const lines = problems.map((p) => (p.field === '' ? p.message : `${p.field}: ${p.message}`));
  return new DirectoryError('INVALID_ARGUMENT', `The ${what} is not valid: ${lines.join('; ')}`, { problems });
}

/** A single problem at one field. */
export function invalidField(field: string, message: string): DirectoryError {
  return new DirectoryError('INVALID_ARGUMENT', `${field}: ${message}`, { problems: [{ field, message }] });
}

/**
 * The connector's problems: structured when its parser gave them, else read back from its message
 * lines (`directories[corp].google.serviceAccountKey: …`).
 */
function problemsOf(error: DirectoryError): FieldProblem[] {
  if (error.problems.length > 0) return [...error.problems];
  return error.message.split('\n').map((line) => {
    const match = /^directories\[[^\]]*\]\.([^:]+): (.*)$/s.exec(line);
    return match ? { field: match[1]!, message: match[2]! } : { field: '', message: line };
  });
}

function pathSegment(segment: PropertyKey): string | number {
  return typeof segment === 'number' ? segment : String(segment);
}
