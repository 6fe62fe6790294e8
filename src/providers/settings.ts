import type { z } from 'zod';
import { DirectoryError } from '../domain/errors';

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
    throw new DirectoryError('CONFIGURATION', `${prefix}: missing; ${needs}`);
  }
  const given = raw as Record<string, unknown>;
  const result = schema.safeParse(raw);
  const lines = result.success
    ? []
    : result.error.issues.flatMap((issue) => {
        if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${prefix}.${key}: unknown setting`);
        const key = issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
        const absent = issue.path.length === 1 && given[String(issue.path[0])] === undefined;
        return [`${prefix}${key}: ${issue.code === 'invalid_type' && absent ? 'missing' : issue.message}`];
      });
  for (const [key, problem] of crossChecks(given)) lines.push(`${prefix}.${key}: ${problem}`);
  if (!result.success || lines.length > 0) throw new DirectoryError('CONFIGURATION', lines.join('\n'));
  return { settings: result.data, prefix };
}
