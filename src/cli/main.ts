#!/usr/bin/env node
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildCrowdgateSchema, printCrowdgateSchema } from '../../resolvers/schema';
import { DirectoryError, isDirectoryError } from '../domain/errors';
import { packageRoot } from '../paths';
import { tuneHeapGrowth } from '../server/heap-tuning';
import { backupCommand } from './backup';
import { hashPasswordCommand } from './hash-password';
import { migrateStoreCommand } from './migrate-store';
import { restoreCommand } from './restore';
import { rotateSecretKeyCommand } from './rotate-secret-key';
import { serve } from './serve';
import { syncCommand } from './sync';
import { testConnectionCommand } from './test-connection';

const HELP = `crowdgate — an Atlassian Crowd server and GraphQL API over your cloud directories

Usage:
  crowdgate serve [--config FILE] [--demo] [--host H] [--port N] [--data DIR] [--workers N]
                  [--log-level debug|info|warn|error]
      Serve the Crowd REST API (/rest/usermanagement/1) and GraphQL (/graphql).
      --workers N serves from N processes (server.workers; default 1).
      --log-level wins over CROWDGATE_LOG_LEVEL and logLevel (default info).
      --demo serves the embedded demo (SQLite under ./data, 127.0.0.1:8095,
      application demo/demo, GraphQL token demo).
  crowdgate sync [--config FILE | --demo] [--directory NAME] [--full] [--dry-run] [--approve]
      Synchronise now (incremental where the provider allows, else full) and
      print a summary. --dry-run shows the plan and changes nothing; a plan that
      would deactivate or remove more than the safety threshold is not applied
      unless --approve is given. Exit status: 0 done, 1 failed, 3 waits for approval.
  crowdgate test-connection [--config FILE | --demo] [--directory NAME]
      Ask each directory's identity provider whether crowdgate can read it
      (credentials, permissions, tenant) and print what is wrong, by name.
      Reads and writes nothing else. Exit status: 0 all OK, 1 one failed.
  crowdgate emulate entra|google|okta [--users N] [--groups M] [--seed S] [--port P]
                   [--latency-ms L] [--throttle] [--json] [--work-dir DIR]
      Serve a generated tenant through a loopback emulator of the provider's API
      and print the crowdgate directory entry that reaches it (--json: one line).
  crowdgate rotate-secret-key [--config FILE | --data DIR]
      Re-wrap the stored secrets under a new master key (the key file is
      replaced; with CROWDGATE_SECRET_KEY, give the new key in
      CROWDGATE_NEW_SECRET_KEY). Run it with crowdgate stopped.
  crowdgate backup --out FILE [--config FILE | --data DIR]
      Copy the store to FILE while crowdgate keeps serving and syncing: one
      consistent state, checked before it is renamed to FILE. The secret key
      file (or CROWDGATE_SECRET_KEY) is not in it: keep a copy with it.
  crowdgate restore FILE [--config FILE | --data DIR] [--ignore-secret-key]
      Replace the store with a backup, after checking it (a sound crowdgate
      store, not newer than this release, sealed with the secret key here).
      Run it with crowdgate stopped. The current store is kept beside it as
      crowdgate.sqlite.before-restore-<UTC time>.
  crowdgate migrate-store --from DIR --to URL
      Copy the SQLite store of data directory DIR into the empty PostgreSQL
      store at URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE), in one
      transaction, keeping ids and event tokens; prints the rows per table.
      Run it with crowdgate stopped; DIR is only read.
  crowdgate hash-password
      Read a password on standard input; print its stored form for
      applications[].passwordHash.
  crowdgate emit-schema [--out FILE]
      Write the GraphQL SDL (default schema/schema.graphql).
  crowdgate --help | --version
`;

/** Exit codes: 0 success, 1 unexpected failure, 2 usage or configuration error. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(HELP);
      return 0;
    case '--version':
      process.stdout.write(
        `${(JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version}\n`,
      );
      return 0;
    case 'serve': {
      const { values } = parseArgs({
        args: rest,
        options: {
          config: { type: 'string' },
          demo: { type: 'boolean' },
          host: { type: 'string' },
          port: { type: 'string' },
          data: { type: 'string' },
          workers: { type: 'string' },
          'log-level': { type: 'string' },
        },
        strict: true,
      });
      await serve(values, process.stdout);
      return 0;
    }
    case 'sync': {
      const { values } = parseArgs({
        args: rest,
        options: {
          config: { type: 'string' },
          demo: { type: 'boolean' },
          data: { type: 'string' },
          directory: { type: 'string' },
          full: { type: 'boolean' },
          'dry-run': { type: 'boolean' },
          approve: { type: 'boolean' },
          verbose: { type: 'boolean' },
        },
        strict: true,
      });
      return syncCommand(values, process.stdout);
    }
    case 'rotate-secret-key': {
      const { values } = parseArgs({
        args: rest,
        options: { config: { type: 'string' }, data: { type: 'string' } },
        strict: true,
      });
      return rotateSecretKeyCommand(values, process.stdout);
    }
    case 'backup': {
      const { values } = parseArgs({
        args: rest,
        options: { out: { type: 'string' }, config: { type: 'string' }, data: { type: 'string' } },
        strict: true,
      });
      return backupCommand(values, process.stdout, process.stderr);
    }
    case 'restore': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { config: { type: 'string' }, data: { type: 'string' }, 'ignore-secret-key': { type: 'boolean' } },
        allowPositionals: true,
        strict: true,
      });
      if (positionals.length > 1)
        throw new DirectoryError('CONFIGURATION', `restore takes one backup FILE, not ${positionals.length}`);
      return restoreCommand(positionals[0], values, process.stdout, process.stderr);
    }
    case 'migrate-store': {
      const { values } = parseArgs({
        args: rest,
        options: { from: { type: 'string' }, to: { type: 'string' } },
        strict: true,
      });
      return migrateStoreCommand(values, process.stdout, process.stderr);
    }
    case 'test-connection': {
      const { values } = parseArgs({
        args: rest,
        options: { config: { type: 'string' }, demo: { type: 'boolean' }, directory: { type: 'string' } },
        strict: true,
      });
      return testConnectionCommand(values, process.stdout);
    }
    case 'emulate': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: {
          users: { type: 'string' },
          groups: { type: 'string' },
          seed: { type: 'string' },
          port: { type: 'string' },
          'latency-ms': { type: 'string' },
          throttle: { type: 'boolean' },
          json: { type: 'boolean' },
          'work-dir': { type: 'string' },
        },
        allowPositionals: true,
        strict: true,
      });
      // Loaded on demand: the emulators are development tools, never part of a serving process.
      const { emulateCommand } = await import('./emulate');
      await emulateCommand(positionals[0], values, process.stdout, process.stderr);
      return 0;
    }
    case 'hash-password':
      parseArgs({ args: rest, options: {}, strict: true });
      await hashPasswordCommand(process.stdin, process.stdout);
      return 0;
    case 'emit-schema': {
      const { values } = parseArgs({ args: rest, options: { out: { type: 'string' } }, strict: true });
      const file = values.out ?? join(packageRoot(), 'schema', 'schema.graphql');
      writeFileSync(file, printCrowdgateSchema(await buildCrowdgateSchema()));
      process.stdout.write(`wrote ${file}\n`);
      return 0;
    }
    default:
      process.stderr.write(`crowdgate: unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

tuneHeapGrowth();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (isDirectoryError(error) && ['CONFIGURATION', 'INVALID_ARGUMENT', 'DIRECTORY_NOT_FOUND'].includes(error.code)) {
      process.stderr.write(`crowdgate: ${error.message}\n`);
      process.exitCode = 2;
    } else if (isDirectoryError(error) && error.code === 'CONFLICT') {
      // Another process is in the way (a restore in progress, a concurrent change): its message says what to do.
      process.stderr.write(`crowdgate: ${error.message}\n`);
      process.exitCode = 1;
    } else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`crowdgate: ${error.message}\n\n${HELP}`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`crowdgate: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
