import { GraphQLFailure } from '../../graphql/client';

/**
 * Checks made in the browser before anything is sent (the server checks everything again and
 * more: a CIDR with host bits set, a name already taken), and the mapping of the server's field
 * paths (`allowedAddresses[2]`, `directories[0]`) back onto the controls that hold them.
 */

/** The server's rule for application and token names (src/config/schema.ts `configName`). */
const NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export function nameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'Enter a name.';
  if (!NAME_PATTERN.test(name)) return 'Use 1 to 64 characters from A-Z a-z 0-9 . _ - (no spaces).';
  return undefined;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isIpv6(text: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || !text.includes(':')) return false;
  try {
    // The URL parser knows IPv6 exactly (compression, embedded IPv4); no hand-written grammar.
    new URL(`http://[${text}]/`);
    return true;
  } catch {
    return false;
  }
}

/** Whether `text` looks like a CIDR (an address, optionally /prefix); undefined when it does. */
export function cidrProblem(text: string): string | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const prefix = slash < 0 ? undefined : text.slice(slash + 1);
  const family = IPV4.test(address) ? 4 : isIpv6(address) ? 6 : undefined;
  if (family === undefined) return `"${address}" is not an IPv4 or IPv6 address (write 10.0.0.0/8 or 2001:db8::/32)`;
  const bits = family === 4 ? 32 : 128;
  if (prefix !== undefined && (!/^(0|[1-9]\d{0,2})$/.test(prefix) || Number(prefix) > bits))
    return `the prefix length after "/" must be 0 to ${bits} for IPv${family}`;
  return undefined;
}

/** The non-empty lines of the allowed-addresses box, with their line numbers (1-based). */
export function addressLines(text: string): Array<{ value: string; line: number }> {
  return text
    .split('\n')
    .map((raw, index) => ({ value: raw.trim(), line: index + 1 }))
    .filter((entry) => entry.value !== '');
}

/** Every line that is not a CIDR, as one message ("line 2: …"); undefined when all are. */
export function addressesProblem(text: string): string | undefined {
  const problems = addressLines(text).flatMap(({ value, line }) => {
    const problem = cidrProblem(value);
    return problem ? [`Line ${line}: ${problem}`] : [];
  });
  return problems.length > 0 ? problems.join(' · ') : undefined;
}

/** The server's problems about `allowedAddresses[i]` (i indexes what was sent), said per line. */
export function serverAddressProblem(
  byField: Record<string, string>,
  sent: ReadonlyArray<{ value: string; line: number }>,
): string | undefined {
  const lines: string[] = [];
  for (const [field, message] of Object.entries(byField)) {
    if (field === 'allowedAddresses') lines.push(message);
    const match = /^allowedAddresses\[(\d+)\]$/.exec(field);
    if (!match) continue;
    const entry = sent[Number(match[1])];
    lines.push(entry ? `Line ${entry.line} (${entry.value}): ${message}` : message);
  }
  return lines.length > 0 ? lines.join(' · ') : undefined;
}

/** The server's problems about `directories` or `directories[i]`. */
export function serverDirectoriesProblem(byField: Record<string, string>, sent: readonly string[]): string | undefined {
  const lines: string[] = [];
  for (const [field, message] of Object.entries(byField)) {
    if (field === 'directories') lines.push(message);
    const match = /^directories\[(\d+)\]$/.exec(field);
    if (match) lines.push(`${sent[Number(match[1])] ?? field}: ${message}`);
  }
  return lines.length > 0 ? lines.join(' · ') : undefined;
}

/** Fields a form shows its errors next to; anything else the server names is listed above the form. */
export function isPlacedField(field: string, placed: readonly string[]): boolean {
  return placed.some((p) => field === p || field.startsWith(`${p}[`));
}

/**
 * What to say above a form after a failure: the problems that name no field (or a field the form
 * does not have), or a pointer to the fields marked below.
 */
export function formProblems(error: unknown, placed: readonly string[]): string[] {
  if (!(error instanceof GraphQLFailure)) return error ? [error instanceof Error ? error.message : String(error)] : [];
  const unplaced = error.problems
    .filter((p) => !p.field || !isPlacedField(p.field, placed))
    .map((p) => (p.field ? `${p.field}: ${p.message}` : p.message));
  if (unplaced.length > 0) return unplaced;
  return ['crowdgate refused this: see the fields marked below.'];
}
