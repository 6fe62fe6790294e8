import type { z } from 'zod';
import { DirectoryError, type FieldProblem } from '../domain/errors';

/**
 * Parses a directory's provider settings (`directories[].<kind>`) with the connector's strict zod
 * schema and its own cross-field checks, and reports every problem at once as one CONFIGURATION
 * error, a line each, keyed like the configuration file: `directories[corp].entra.clientId:
 * missing`, `…: unknown setting`, or the schema's message. Secrets never appear: messages name
 * keys, not values.
 */
export function parseSettingsBlock<Schema extends z.ZodType>(
  kind: 'entra' | 'google' | 'okta',
  directoryName: string,
  raw: unknown,
  schema: Schema,
  /** Said when the block is absent, e.g. "an Okta directory needs orgUrl and …". */
  needs: string,
  /** Problems zod cannot see (exactly one credential, …) as [key, problem]. */
  crossChecks: (given: Record<string, unknown>) => [string, string][],
): { settings: z.output<Schema>; prefix: string } {
  const prefix = `directories[${directoryName}].${kind}`;
  if (raw === undefined || raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new DirectoryError('CONFIGURATION', `${prefix}: missing; ${needs}`, {
      problems: [{ field: kind, message: `missing; ${needs}` }],
    });
  }
  const given = raw as Record<string, unknown>;
  const result = schema.safeParse(raw);
  const problems: FieldProblem[] = result.success
    ? []
    : result.error.issues.flatMap((issue) => {
        if (issue.code === 'unrecognized_keys')
          return issue.keys.map((key) => ({ field: `${kind}.${key}`, message: 'unknown setting' }));
        const key = issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
        const absent = issue.path.length === 1 && given[String(issue.path[0])] === undefined;
        return [
          { field: `${kind}${key}`, message: issue.code === 'invalid_type' && absent ? 'missing' : issue.message },
        ];
      });
  for (const [key, problem] of crossChecks(given)) problems.push({ field: `${kind}.${key}`, message: problem });
  if (!result.success || problems.length > 0) {
    const lines = problems.map((p) => `directories[${directoryName}].${p.field}: ${p.message}`);
    throw new DirectoryError('CONFIGURATION', lines.join('\n'), { problems });
  }
  return { settings: result.data, prefix };
}
