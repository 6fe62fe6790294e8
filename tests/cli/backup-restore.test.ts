import Database from 'better-sqlite3';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { generateMasterKeyText } from '../../src/security/master-key';
import { SCHEMA_VERSION } from '../../src/store/sqlite/inspect';
import { holdStoreExclusively } from '../../src/store/sqlite/store-hold';
import { CLI } from './helpers';

// Each command is a child process running the built CLI (`npm test` builds first); a demo sync
// takes seconds alone and far longer on a loaded machine: margins are generous, nothing is timed.
jest.setTimeout(300_000);

/** The children use the key file of their data directory. */
const env = { ...process.env };
delete env.CROWDGATE_SECRET_KEY;

function crowdgate(args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Counts rows of a store or backup file without changing it. */
function count(file: string, table: 'users' | 'groups' | 'directories'): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  } finally {
    db.close();
  }
}

/** Every file of a directory with its bytes (subdirectories by name): "untouched" means equal. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { withFileTypes: true })
      .map((entry) => [
        entry.name,
        entry.isDirectory() ? 'dir' : readFileSync(join(dir, entry.name)).toString('base64'),
      ])
      .sort(),
  );
}

describe('crowdgate backup and crowdgate restore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crowdgate-backup-cli-'));
  const data = join(dir, 'data');
  const backup = join(dir, 'backup.sqlite');
  let serving: ChildProcess | undefined;
  afterAll(() => {
    if (serving?.exitCode === null) serving.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  beforeAll(() => {
    const sync = crowdgate(['sync', '--demo', '--data', data]);
    expect(sync.stderr).toBe('');
    expect(sync.code).toBe(0);
  });

  test('backup: a progress line on stderr, a summary on stdout, a standalone copy holding the store', () => {
    const { code, stdout, stderr } = crowdgate(['backup', '--data', data, '--out', backup]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^backup: 0% \(0 of \d+ pages\)$/m);
    expect(stderr).toMatch(/^backup: 100% \((\d+) of \1 pages\)$/m);
    const [summary, key] = stdout.split('\n');
    expect(summary).toMatch(
      new RegExp(
        `^Backed up ${join(data, 'crowdgate.sqlite')} to ${backup}: \\d+\\.\\d (KiB|MiB), ` +
          `schema version ${SCHEMA_VERSION}, 1 directory, 300 users, ${count(backup, 'groups')} groups\\.$`,
      ),
    );
    expect(statSync(backup).size).toBeGreaterThan(1024);
    expect(key).toBe(
      `The secret key is not in the backup: keep a copy of ${join(data, 'secret.key')} with it (the stored secrets open only with that key).`,
    );
    expect(count(backup, 'users')).toBe(300);
    expect(readFileSync(backup).subarray(18, 20)).toEqual(Buffer.from([1, 1])); // rollback journal: no -wal needed
    expect(readdirSync(dir).filter((name) => name.startsWith('backup.sqlite'))).toEqual(['backup.sqlite']);
  });

  test('backup to a path that cannot be written: exit 1, the path and the reason, no partial file', () => {
    const missing = join(dir, 'missing', 'b.sqlite');
    const underFile = join(dir, 'plain-file', 'b.sqlite');
    writeFileSync(join(dir, 'plain-file'), 'x');
    const before = snapshot(dir);
    expect(crowdgate(['backup', '--data', data, '--out', missing])).toEqual({
      code: 1,
      stdout: '',
      stderr: `crowdgate: the backup cannot be written to ${missing} (no such file or directory, ENOENT)\n`,
    });
    expect(crowdgate(['backup', '--data', data, '--out', underFile])).toMatchObject({
      code: 1,
      stderr: `crowdgate: the backup cannot be written to ${underFile} (a parent is not a directory, ENOTDIR)\n`,
    });
    expect(snapshot(dir)).toEqual(before);
  });

  test('usage errors exit 2 with a message', () => {
    expect(crowdgate(['backup', '--data', data])).toMatchObject({ code: 2, stderr: /give --out FILE/ });
    expect(crowdgate(['backup', '--out', join(dir, 'x.sqlite')])).toMatchObject({
      code: 2,
      stderr: /give --config FILE or --data DIR/,
    });
    expect(crowdgate(['backup', '--data', join(dir, 'nowhere'), '--out', join(dir, 'x.sqlite')])).toMatchObject({
      code: 2,
      stderr: /there is no crowdgate store in .*nowhere/,
    });
    expect(crowdgate(['restore', '--data', data])).toMatchObject({ code: 2, stderr: /give the backup FILE/ });
    expect(crowdgate(['restore', backup, backup, '--data', data])).toMatchObject({ code: 2 });
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });

  test('restore is refused while crowdgate serve holds the store; serve is refused while a restore holds it', async () => {
    serving = spawn(process.execPath, [CLI, 'serve', '--demo', '--data', data, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    const output: string[] = [];
    createInterface({ input: serving.stderr! }).on('line', (line) => output.push(line));
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: serving!.stdout! }).on('line', (line) => {
        output.push(line);
        if (line.startsWith('crowdgate is serving')) resolve();
      });
      serving!.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output.join('\n')}`)));
    });
    const refused = crowdgate(['restore', backup, '--data', data]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `crowdgate: crowdgate (pid ${serving.pid}) is using ${data}; stop it first (serve, sync and backup all use the store), then run the restore again\n`,
    );
    expect(readdirSync(data).filter((name) => /before-restore|restoring/.test(name))).toEqual([]);
    // A backup while it serves is fine.
    expect(crowdgate(['backup', '--data', data, '--out', join(dir, 'while-serving.sqlite')]).code).toBe(0);
    serving.kill('SIGTERM');
    expect(await new Promise((resolve) => serving!.once('exit', resolve))).toBe(0);

    // This process stands for a restore under way.
    const restore = holdStoreExclusively(data);
    try {
      const start = crowdgate(['serve', '--demo', '--data', data, '--port', '0']);
      expect(start.code).toBe(1);
      expect(start.stderr).toBe(
        `crowdgate: a restore of ${data} is in progress (crowdgate restore, pid ${process.pid}); start crowdgate again when it has finished\n`,
      );
      expect(crowdgate(['sync', '--demo', '--data', data]).stderr).toMatch(/a restore of .* is in progress/);
    } finally {
      restore.release();
    }
  });

  test('restore refuses a file that is not a crowdgate store, or of a newer schema; the store is untouched', () => {
    const notSqlite = join(dir, 'crowdgate.yaml');
    writeFileSync(notSqlite, 'directories: []\n');
    const otherSqlite = join(dir, 'other.sqlite');
    const db = new Database(otherSqlite);
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY)');
    db.close();
    const newer = join(dir, 'newer.sqlite');
    copyFileSync(backup, newer);
    const bump = new Database(newer);
    bump.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)').run(SCHEMA_VERSION + 1);
    bump.close();

    const before = snapshot(data);
    const cases: Array<[string, string]> = [
      [notSqlite, `${notSqlite} is not a SQLite database, so not a crowdgate store or backup`],
      [join(dir, 'absent.sqlite'), `${join(dir, 'absent.sqlite')} cannot be read (no such file or directory, ENOENT)`],
      [
        otherSqlite,
        `${otherSqlite} is a SQLite database but not a crowdgate store (no schema_migrations, directories, users, groups tables)`,
      ],
      [
        newer,
        `${newer} is a crowdgate store of schema version ${SCHEMA_VERSION + 1}, newer than this crowdgate's (schema version ${SCHEMA_VERSION}): use the crowdgate release that made it, or a newer one`,
      ],
    ];
    for (const [file, message] of cases) {
      expect(crowdgate(['restore', file, '--data', data])).toEqual({
        code: 1,
        stdout: '',
        stderr: `crowdgate: ${message}\n`,
      });
      expect(snapshot(data)).toEqual(before);
    }
  });

  test('restore refuses a backup sealed with another secret key than the one here, unless told to ignore it', () => {
    const other = join(dir, 'other-key');
    mkdirSync(other);
    writeFileSync(join(other, 'secret.key'), `${generateMasterKeyText()}\n`, { mode: 0o600 });
    const refused = crowdgate(['restore', backup, '--data', other]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(
        `^crowdgate: the secrets in ${backup} were sealed with another secret key than the one in ${join(other, 'secret.key')} \\(fingerprint [0-9a-f]{16}\\)`,
      ),
    );
    expect(refused.stderr).toMatch(/The store is unchanged\.\n$/);
    expect(existsSync(join(other, 'crowdgate.sqlite'))).toBe(false);

    const forced = crowdgate(['restore', backup, '--data', other, '--ignore-secret-key']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/^crowdgate: warning: the secret key here does not open the restored secrets/);
    expect(count(join(other, 'crowdgate.sqlite'), 'users')).toBe(300);
  });

  test('a restore replaces the store with the backup, keeps the previous store aside, and crowdgate runs on it', () => {
    // The store moves on after the backup: ten users are gone.
    const store = new Database(join(data, 'crowdgate.sqlite'));
    store.pragma('foreign_keys = ON');
    store.exec('DELETE FROM users WHERE id IN (SELECT id FROM users ORDER BY id LIMIT 10)');
    store.close();
    expect(count(join(data, 'crowdgate.sqlite'), 'users')).toBe(290);

    const { code, stdout, stderr } = crowdgate(['restore', backup, '--data', data]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const aside = /^The previous store is kept as (\S+); delete it once the restored store is known good\.$/m.exec(
      stdout,
    )?.[1];
    expect(aside).toMatch(new RegExp(`^${join(data, 'crowdgate.sqlite')}\\.before-restore-\\d{8}T\\d{6}Z$`));
    expect(stdout).toMatch(
      new RegExp(
        `^Restored ${backup} into ${join(data, 'crowdgate.sqlite')}: schema version ${SCHEMA_VERSION}, 1 directory, 300 users, \\d+ groups\\.$`,
        'm',
      ),
    );
    expect(stdout).toMatch(
      /^Next: start crowdgate\. The secret key in \S+secret\.key \(fingerprint [0-9a-f]{16}\) opens the restored secrets\.$/m,
    );
    expect(count(join(data, 'crowdgate.sqlite'), 'users')).toBe(300);
    expect(count(aside!, 'users')).toBe(290);
    expect(readdirSync(data).filter((name) => /-wal$|-shm$|restoring/.test(name))).toEqual([]);

    // crowdgate opens the restored store with the key here and synchronises it.
    const sync = crowdgate(['sync', '--demo', '--data', data]);
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(/users: {2}\+0 added/);
  });

  test('restore into a new data directory that has the key file saved with the backup', () => {
    const fresh = join(dir, 'fresh');
    mkdirSync(fresh);
    copyFileSync(join(data, 'secret.key'), join(fresh, 'secret.key'));
    chmodSync(join(fresh, 'secret.key'), 0o600);
    const { code, stdout } = crowdgate(['restore', backup, '--data', fresh]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^There was no store before\.$/m);
    expect(count(join(fresh, 'crowdgate.sqlite'), 'users')).toBe(300);
  });
});
