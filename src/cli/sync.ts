import { loadConfigFile } from '../config/load';
import { demoConfig } from '../config/demo';
import type { Config } from '../config/schema';
import { DirectoryError } from '../domain/errors';
import { openEngine } from '../server/bootstrap';
import { createLogger, silentLogger } from '../logging/logger';
import type { SyncRun } from '../store/sync-records';
import type { RunReport, SyncEngine } from '../sync/engine';

export interface SyncOptions {
  config?: string;
  demo?: boolean;
  data?: string;
  directory?: string;
  full?: boolean;
  'dry-run'?: boolean;
  approve?: boolean;
  verbose?: boolean;
}

/**
 * `crowdgate sync`: synchronises one directory (or all) now, with a progress line on a terminal
 * and a summary at the end. `--dry-run` prints the plan and changes nothing; a plan over the
 * safety threshold is shown and not applied unless `--approve` is given. Exit status 0 when every
 * run succeeded (or was a dry run), 1 when one failed, 3 when one waits for approval.
 */
export async function syncCommand(
  options: SyncOptions,
  out: NodeJS.WriteStream | NodeJS.WritableStream,
): Promise<number> {
  const config: Config = options.demo
    ? await demoConfig(options.data ? { dataDir: options.data } : {})
    : await loadConfigFile(requireConfig(options));
  if (options.data && !options.demo) config.dataDir = options.data;
  const opened = await openEngine(
    config,
    options.verbose ? createLogger() : silentLogger,
    { fileLabel: options.demo ? 'the built-in demo' : requireConfig(options) },
    { startRuns: false },
  );
  const { engine } = opened;
  try {
    const targets = options.directory ? [engine.lookup(options.directory)] : engine.directories();
    let exit = 0;
    for (const { directory } of targets) {
      const stopProgress = showProgress(engine, directory.id, out);
      const run = await engine.sync(directory.name, {
        mode: options.full ? 'full' : 'incremental',
        trigger: options.approve ? 'approval' : 'manual',
        dryRun: Boolean(options['dry-run']),
      });
      stopProgress();
      out.write(summary(directory.name, run));
      if (run.status === 'failed') exit = Math.max(exit, 1);
      if (run.status === 'awaiting-approval') exit = Math.max(exit, 3);
    }
    return exit;
  } finally {
    await opened.close();
  }
}

function requireConfig(options: SyncOptions): string {
  if (!options.config) throw new DirectoryError('CONFIGURATION', 'give --config FILE, or --demo for the embedded demo');
  return options.config;
}

function showProgress(engine: SyncEngine, directoryId: number, out: NodeJS.WritableStream): () => void {
  if (!(out as NodeJS.WriteStream).isTTY) return () => {};
  const timer = setInterval(() => {
    const p = engine.progress(directoryId);
    if (!p) return;
    const r = p.read;
    out.write(
      `\r\x1b[2K${p.directory} ${p.mode} · ${p.phase} · users ${r.users} · groups ${r.groupsWithMembers}/${r.groups} · memberships ${r.memberships}`,
    );
  }, 200);
  return () => {
    clearInterval(timer);
    out.write('\r\x1b[2K');
  };
}

function summary(name: string, run: SyncRun): string {
  const report = (run.report ?? {}) as RunReport;
  const c = run.counts;
  const seconds = run.finishedAt ? ((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000).toFixed(1) : '?';
  const lines = [`${name}: ${run.mode} run ${run.id} ${run.status} in ${seconds} s`];
  if (run.error) lines.push(`  error: ${run.error}`);
  if (report.fallback) lines.push(`  full run because ${report.fallback}`);
  if (Object.keys(c).length > 0) {
    lines.push(
      `  users:  +${c.usersAdded} added, ${c.usersUpdated} updated, ${c.usersRenamed} renamed, ${c.usersDeactivated} deactivated, ${c.usersRemoved} removed`,
      `  groups: +${c.groupsAdded} added, ${c.groupsUpdated} updated, ${c.groupsRemoved} removed`,
      `  memberships: +${c.membershipsAdded} gained, -${c.membershipsRemoved} lost`,
    );
  }
  for (const collision of report.collisions ?? []) {
    lines.push(
      `  collision on "${collision.name}": kept by ${collision.keptBy}; ${collision.renamed.map((r) => `${r.externalId} → ${r.name}`).join(', ')}`,
    );
  }
  if (report.withoutUsername)
    lines.push(`  ${report.withoutUsername} users have no value for the username source and were not synced`);
  if (run.status === 'dry-run' || run.status === 'awaiting-approval') {
    const d = report.details;
    if (d) {
      const list = (label: string, items: string[]) =>
        items.length > 0 && lines.push(`  ${label}: ${items.slice(0, 20).join(', ')}${items.length > 20 ? ', …' : ''}`);
      list('add', d.usersAdded);
      list(
        'rename',
        d.usersRenamed.map((r) => `${r.from} → ${r.to}`),
      );
      list('deactivate', d.usersDeactivated);
      list('remove', d.usersRemoved);
      list(
        'gain',
        d.membershipsAdded.map((m) => `${m.member} → ${m.group}`),
      );
      list(
        'lose',
        d.membershipsRemoved.map((m) => `${m.member} ✗ ${m.group}`),
      );
    }
  }
  if (run.status === 'awaiting-approval') {
    lines.push(
      `  NOT APPLIED: ${report.awaitingApproval}.`,
      '  Check the plan above, then run again with --approve to apply it.',
    );
  }
  return `${lines.join('\n')}\n`;
}
