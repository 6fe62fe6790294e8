import { DirectoryError } from '../domain/errors';
import type { EmulatorKind, EmulatorOptions, RunningEmulator } from '../emulators/core/emulator';
import { startEntraEmulator } from '../emulators/entra';
import { startGoogleEmulator } from '../emulators/google';
import { startOktaEmulator } from '../emulators/okta';

export interface EmulateOptions {
  users?: string;
  groups?: string;
  seed?: string;
  port?: string;
  'latency-ms'?: string;
  throttle?: boolean;
  json?: boolean;
  'work-dir'?: string;
}

const STARTERS: Readonly<Record<EmulatorKind, (options: EmulatorOptions) => Promise<RunningEmulator>>> = {
  entra: startEntraEmulator,
  google: startGoogleEmulator,
  okta: startOktaEmulator,
};

/**
 * `crowdgate emulate entra|google|okta`: one emulator on loopback, serving a generated tenant,
 * until SIGINT or SIGTERM. Prints how to point crowdgate at it; with `--json`, exactly one JSON
 * line `{"kind","url","directory"}` where `directory` is a working `directories:` entry.
 */
export async function emulateCommand(
  kind: string | undefined,
  options: EmulateOptions,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<void> {
  if (kind !== 'entra' && kind !== 'google' && kind !== 'okta') {
    throw new DirectoryError('INVALID_ARGUMENT', `emulate: expected entra, google or okta, not "${kind ?? ''}"`);
  }
  const users = count(options.users, 'users', 1000, 100_000);
  const groups = count(options.groups, 'groups', Math.max(1, Math.round(users / 10)), 20_000);
  const latency = count(options['latency-ms'], 'latency-ms', 0, 60_000);
  const emulator = await STARTERS[kind]({
    tenant: { seed: options.seed ?? 'crowdgate', users, groups },
    port: count(options.port, 'port', 0, 65_535),
    faults: { latencyMs: latency, throttle: { enabled: Boolean(options.throttle), budget: null } },
    ...(options['work-dir'] ? { workDir: options['work-dir'] } : {}),
  });
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const directory = emulator.directoryConfig(`${kind}-emulator`);
  if (options.json) {
    out.write(`${JSON.stringify({ kind, url: emulator.url, directory })}\n`);
  } else {
    out.write(
      [
        `${kind} emulator serving ${users} users and ${groups} groups at ${emulator.url}`,
        `control API: ${emulator.url}/_emulator/  (Authorization: Bearer ${emulator.controlToken})`,
        '',
        'Add this to the directories: list of crowdgate.yaml:',
        '',
        indentYamlish(directory),
        '',
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
  }
  err.write(`control token: ${emulator.controlToken}\n`);
  await stopped;
  await emulator.close();
}

function count(raw: string | undefined, name: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > max)
    throw new DirectoryError('INVALID_ARGUMENT', `--${name}: expected a whole number from 0 to ${max}, not "${raw}"`);
  return value;
}

/** The directory entry as a YAML list item (JSON flow values are valid YAML). */
function indentYamlish(directory: Record<string, unknown>): string {
  const lines = [
    '  - ' +
      Object.entries(directory)
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join('\n    '),
  ];
  return lines.join('\n');
}
