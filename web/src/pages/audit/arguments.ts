/** An audit entry's arguments (JSON with secrets already redacted by the server), as the log shows them. */

const SUMMARY_LENGTH = 90;

function parsed(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}

/** A value in a few characters: scalars as JSON, objects by their first keys (one level deep). */
function brief(value: unknown, depth = 0): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  if (Array.isArray(value))
    return value.length <= 3 && depth === 0
      ? `[${value.map((v) => brief(v, depth + 1)).join(', ')}]`
      : `[${value.length} item${value.length === 1 ? '' : 's'}]`;
  if (depth > 0) return '{…}';
  const entries = Object.entries(value);
  const shown = entries.slice(0, 4).map(([key, inner]) => `${key}: ${brief(inner, depth + 1)}`);
  return `{${shown.join(', ')}${entries.length > 4 ? ', …' : ''}}`;
}

/** One line: `name: "jira", input: {name, directories, …}`, cut at ~90 characters; '' when there are none. */
export function argumentsSummary(json: string): string {
  const value = parsed(json);
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return typeof value === 'string' ? value : '';
  const entries = Object.entries(value);
  if (entries.length === 0) return '';
  const line = entries.map(([key, inner]) => `${key}: ${brief(inner)}`).join(', ');
  return line.length > SUMMARY_LENGTH ? `${line.slice(0, SUMMARY_LENGTH - 1)}…` : line;
}

/** The arguments in full, indented. */
export function prettyArguments(json: string): string {
  const value = parsed(json);
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}
