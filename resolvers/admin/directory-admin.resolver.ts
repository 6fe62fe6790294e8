import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import { createDirectory, deleteDirectory, moveDirectory, updateDirectory } from '../../src/admin/directory-admin';
import { previewDirectorySettings, testDirectorySettings } from '../../src/admin/directory-trial';
import { invalidField } from '../../src/admin/validation';
import type { ConfiguredDirectory } from '../../src/admin/runtime-configuration';
import type { Directory } from '../../src/domain/directory';
import { DirectoryError } from '../../src/domain/errors';
import { foldName } from '../../src/domain/names';
import type { SyncRun } from '../../src/store/sync-records';
import { readDirectoryAlerts } from '../../src/sync/directory-alerts';
import { UNKNOWN_HEALTH, type DirectoryHealth } from '../../src/sync/control';
import { adminOf, type AdminServices, type GraphQLContext } from '../context';
import { directoryInputToConfig, DirectoryInput } from '../inputs/directory.input';
import { DirectoryCountsType, DirectoryStatus, ManagedBy } from '../types/admin.type';
import { DirectorySettings, toDirectorySettings } from '../types/directory-settings.type';
import { ConnectionReportType } from '../types/connection-report.type';
import { DirectoryType } from '../types/directory.type';
import { DirectoryPreviewType } from '../types/preview.type';
import { SyncRunType } from '../types/sync.type';
import { Audited } from './audited';

/**
 * The directories of the runtime configuration (file and API entries, enabled or not) and their
 * administration: create, update, delete, move. Field resolvers add what the console shows for
 * each: where it is managed, its version, settings without secrets, status, last run, counts and
 * warnings.
 */
@Resolver(() => DirectoryType)
export class DirectoryAdminResolver {
  @Query(() => [DirectoryType], {
    description: 'Every configured directory in precedence order, disabled ones included (with status DISABLED).',
  })
  async directories(@Ctx() ctx: GraphQLContext): Promise<readonly Directory[]> {
    if (!ctx.admin) return ctx.directories.all;
    return rowsInOrder(ctx.admin);
  }

  @Mutation(() => DirectoryType, {
    description:
      'Creates a directory from a `directories:` entry of the configuration file (same keys); it is synchronised at once in the background.',
  })
  @UseMiddleware(Audited)
  async createDirectory(@Arg('input', () => DirectoryInput) input: DirectoryInput, @Ctx() ctx: GraphQLContext) {
    const admin = adminOf(ctx);
    const { entry, enabled } = directoryInputToConfig(input);
    const created = await createDirectory(admin, { entry, ...(enabled !== undefined ? { enabled } : {}) });
    return rowOf(admin, created.config.name);
  }

  @Mutation(() => DirectoryType, {
    description:
      'Replaces an API directory’s settings. A secret left out keeps its stored value; expectedVersion (from `version`) refuses to overwrite a change made meanwhile (CONFLICT).',
  })
  @UseMiddleware(Audited)
  async updateDirectory(
    @Arg('name', () => String) name: string,
    @Arg('input', () => DirectoryInput) input: DirectoryInput,
    @Ctx() ctx: GraphQLContext,
    @Arg('expectedVersion', () => Int, { nullable: true }) expectedVersion?: number | null,
  ) {
    const admin = adminOf(ctx);
    const { entry, enabled } = directoryInputToConfig(input);
    const updated = await updateDirectory(
      admin,
      name,
      { entry, ...(enabled !== undefined ? { enabled } : {}) },
      expectedVersion ?? undefined,
    );
    return rowOf(admin, updated.config.name);
  }

  @Mutation(() => Boolean, {
    description:
      'Deletes an API directory with its users, groups and memberships (Crowd clients synchronise fully). Refused while an application uses it, unless detachApplications.',
  })
  @UseMiddleware(Audited)
  async deleteDirectory(
    @Arg('name', () => String) name: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('detachApplications', () => Boolean, { defaultValue: false }) detachApplications = false,
  ): Promise<boolean> {
    await deleteDirectory(adminOf(ctx), name, detachApplications);
    return true;
  }

  @Mutation(() => [DirectoryType], {
    description: 'Moves a directory to a position in the precedence order (0 is first); answers the new order.',
  })
  @UseMiddleware(Audited)
  async moveDirectory(
    @Arg('name', () => String) name: string,
    @Arg('position', () => Int) position: number,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Directory[]> {
    const admin = adminOf(ctx);
    await moveDirectory(admin, name, position);
    return rowsInOrder(admin);
  }

  @Query(() => ConnectionReportType, {
    description:
      'The connection test on settings not saved yet (the wizard’s Test button). For an existing directory, secrets left out are the stored ones (unless the settings send them elsewhere).',
  })
  async testDirectorySettings(
    @Arg('input', () => DirectoryInput) input: DirectoryInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ConnectionReportType> {
    const admin = adminOf(ctx);
    const report = await testDirectorySettings(admin, admin.openProvider, directoryInputToConfig(input).entry);
    return { ...report, messages: [...report.messages] } as ConnectionReportType;
  }

  @Query(() => DirectoryPreviewType, {
    description:
      'Reads the provider now with these settings and derives the directory exactly as a sync would (filters, usernames, collisions, local groups, mappings), writing nothing. For an existing directory (same name) it also answers the plan: what saving would change.',
  })
  async previewDirectory(
    @Arg('input', () => DirectoryInput) input: DirectoryInput,
    @Ctx() ctx: GraphQLContext,
    @Arg('sample', () => Int, { defaultValue: 50 }) sample = 50,
  ): Promise<DirectoryPreviewType> {
    if (sample < 0 || sample > 1000) throw invalidField('sample', 'must be between 0 and 1000');
    const admin = adminOf(ctx);
    const preview = await previewDirectorySettings(
      admin,
      admin.openProvider,
      directoryInputToConfig(input).entry,
      sample,
    );
    return {
      counts: {
        users: preview.users,
        activeUsers: preview.activeUsers,
        inactiveUsers: preview.users - preview.activeUsers,
        groups: preview.groups,
        memberships: preview.memberships,
      },
      users: preview.sampleUsers,
      groups: preview.sampleGroups,
      collisions: preview.collisions.map((c) => ({ ...c, renamed: [...c.renamed] })),
      filteredOut: preview.filteredOut,
      withoutUsername: preview.withoutUsername,
      warnings: preview.warnings,
      plan: preview.plan ? { counts: preview.plan.counts, details: preview.plan.details } : null,
    };
  }

  @FieldResolver(() => ManagedBy, { nullable: true })
  managedBy(@Root() row: Directory, @Ctx() ctx: GraphQLContext): ManagedBy | null {
    const configured = configuredOf(ctx, row);
    return configured ? ManagedBy[configured.managedBy] : null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Give as expectedVersion to update safely.' })
  version(@Root() row: Directory, @Ctx() ctx: GraphQLContext): number | null {
    return configuredOf(ctx, row)?.version ?? null;
  }

  @FieldResolver(() => Boolean, { nullable: true })
  enabled(@Root() row: Directory, @Ctx() ctx: GraphQLContext): boolean | null {
    return configuredOf(ctx, row)?.enabled ?? null;
  }

  @FieldResolver(() => DirectorySettings, {
    nullable: true,
    description: 'Everything but secrets (they show as *Set).',
  })
  settings(@Root() row: Directory, @Ctx() ctx: GraphQLContext): DirectorySettings | null {
    const configured = configuredOf(ctx, row);
    return configured ? toDirectorySettings(configured.config, new Set()) : null;
  }

  @FieldResolver(() => SyncRunType, { nullable: true, description: 'The newest run.' })
  async lastRun(@Root() row: Directory, @Ctx() ctx: GraphQLContext): Promise<SyncRun | null> {
    return (await ctx.store.listRuns({ directoryId: row.id, limit: 1 }))[0] ?? null;
  }

  @FieldResolver(() => DirectoryStatus)
  async status(@Root() row: Directory, @Ctx() ctx: GraphQLContext): Promise<DirectoryStatus> {
    const configured = configuredOf(ctx, row);
    if (configured && !configured.enabled) return DirectoryStatus.DISABLED;
    if (ctx.engine && (await ctx.engine.progress(row.id))) return DirectoryStatus.SYNCING;
    if ((await healthOf(ctx, row)).openFailure) return DirectoryStatus.FAILED;
    const [last] = await ctx.store.listRuns({ directoryId: row.id, limit: 1 });
    if (!last) return DirectoryStatus.NEVER_SYNCED;
    if (last.status === 'awaiting-approval') return DirectoryStatus.AWAITING_APPROVAL;
    if (last.status === 'running') return DirectoryStatus.SYNCING;
    return last.status === 'failed' ? DirectoryStatus.FAILED : DirectoryStatus.OK;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: 'When the schedule runs it next, at the latest: the newest run’s start plus the shortest interval.',
  })
  async nextRunAt(@Root() row: Directory, @Ctx() ctx: GraphQLContext): Promise<Date | null> {
    const configured = configuredOf(ctx, row);
    if (!configured?.enabled) return null;
    const { fullMinutes, incrementalSeconds } = configured.config.schedule;
    const intervals = [fullMinutes * 60_000, incrementalSeconds * 1000].filter((ms) => ms > 0);
    if (intervals.length === 0) return null;
    const [last] = await ctx.store.listRuns({ directoryId: row.id, limit: 1 });
    return last ? new Date(last.startedAt.getTime() + Math.min(...intervals)) : null;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description:
      'When the provider credential expires, where the provider tells (an Entra client secret, when the app may read its registration: Application.Read.All), from the background connection test.',
  })
  async credentialExpiresAt(@Root() row: Directory, @Ctx() ctx: GraphQLContext): Promise<Date | null> {
    const findings = (await healthOf(ctx, row)).access?.report.findings ?? [];
    return findings.find((f) => f.code === 'SECRET_EXPIRY' && f.expiresAt)?.expiresAt ?? null;
  }

  @FieldResolver(() => DirectoryCountsType)
  counts(@Root() row: Directory, @Ctx() ctx: GraphQLContext): Promise<DirectoryCountsType> {
    return ctx.store.directoryCounts(row.id);
  }

  @FieldResolver(() => [String], {
    description:
      'What needs attention (the same list as the crowdgate_directory_alerts metric and the daily log line): the provider cannot open, the last run failed or waits for approval, no successful run for 3× the schedule interval, throttling in 2 of the last 5 runs, the background connection test fails or warns (a missing permission, a credential that expires within 30 days). Empty for a disabled directory.',
  })
  async warnings(@Root() row: Directory, @Ctx() ctx: GraphQLContext): Promise<string[]> {
    const configured = configuredOf(ctx, row);
    if (!configured?.enabled) return [];
    const alerts = await readDirectoryAlerts(ctx.store, row.id, configured.config.schedule, await healthOf(ctx, row));
    return alerts.map((alert) => alert.message);
  }
}

/** The store rows of every configured directory, in the runtime configuration's order. */
async function rowsInOrder(admin: AdminServices): Promise<Directory[]> {
  const rows = new Map((await admin.store.listDirectories()).map((d) => [foldName(d.name), d]));
  return admin.runtime
    .current()
    .directories.map((d) => rows.get(foldName(d.config.name)))
    .filter((d): d is Directory => d !== undefined)
    .map((d, position) => ({ ...d, position }));
}

async function rowOf(admin: AdminServices, name: string): Promise<Directory> {
  const row = (await rowsInOrder(admin)).find((d) => foldName(d.name) === foldName(name));
  if (!row) throw new DirectoryError('INTERNAL', `directory ${name} has no store row after its change`);
  return row;
}

/** The engine's knowledge of the directory's provider (none where no engine runs). */
function healthOf(ctx: GraphQLContext, row: Directory): Promise<DirectoryHealth> {
  return ctx.engine ? ctx.engine.health(row.name) : Promise.resolve(UNKNOWN_HEALTH);
}

function configuredOf(ctx: GraphQLContext, row: Directory): ConfiguredDirectory | undefined {
  const folded = foldName(row.name);
  return ctx.admin?.runtime.current().directories.find((d) => foldName(d.config.name) === folded);
}
