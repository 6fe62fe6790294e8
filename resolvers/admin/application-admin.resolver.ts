import { Arg, Ctx, Int, Mutation, Query, Resolver, UseMiddleware } from 'type-graphql';
import {
  createApplication,
  deleteApplication,
  setApplicationPassword,
  updateApplication,
  type ApplicationResult,
  type ApplicationWrite,
} from '../../src/admin/application-admin';
import type { ConfiguredApplication } from '../../src/admin/runtime-configuration';
import { adminOf, type GraphQLContext } from '../context';
import { ApplicationInput } from '../inputs/application.input';
import { ApplicationResultType, ApplicationType, ManagedBy } from '../types/admin.type';
import { Audited } from './audited';

/** Crowd applications of the runtime configuration, and their administration. */
@Resolver(() => ApplicationType)
export class ApplicationAdminResolver {
  @Query(() => [ApplicationType], { description: 'Every Crowd application, file and API entries.' })
  applications(@Ctx() ctx: GraphQLContext): ApplicationType[] {
    return adminOf(ctx)
      .runtime.current()
      .applications.map((a) => applicationView(ctx, a));
  }

  @Mutation(() => ApplicationResultType, {
    description: 'Creates a Crowd application; without a password, a strong one is generated and answered once.',
  })
  @UseMiddleware(Audited)
  async createApplication(
    @Arg('input', () => ApplicationInput) input: ApplicationInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ApplicationResultType> {
    return resultView(ctx, await createApplication(adminOf(ctx), writeOf(input)));
  }

  @Mutation(() => ApplicationResultType, {
    description:
      'Changes an API application; keys left out keep their values. expectedVersion refuses a stale update (CONFLICT).',
  })
  @UseMiddleware(Audited)
  async updateApplication(
    @Arg('name', () => String) name: string,
    @Arg('input', () => ApplicationInput) input: ApplicationInput,
    @Ctx() ctx: GraphQLContext,
    @Arg('expectedVersion', () => Int, { nullable: true }) expectedVersion?: number | null,
  ): Promise<ApplicationResultType> {
    return resultView(ctx, await updateApplication(adminOf(ctx), name, writeOf(input), expectedVersion ?? undefined));
  }

  @Mutation(() => Boolean, { description: 'Deletes an API application: it cannot log in from then on.' })
  @UseMiddleware(Audited)
  async deleteApplication(@Arg('name', () => String) name: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await deleteApplication(adminOf(ctx), name);
    return true;
  }

  @Mutation(() => ApplicationResultType, {
    description: 'Sets an API application’s password; without one, a strong one is generated and answered once.',
  })
  @UseMiddleware(Audited)
  async setApplicationPassword(
    @Arg('name', () => String) name: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('password', () => String, { nullable: true }) password?: string | null,
  ): Promise<ApplicationResultType> {
    return resultView(ctx, await setApplicationPassword(adminOf(ctx), name, password ?? undefined));
  }
}

function writeOf(input: ApplicationInput): ApplicationWrite {
  return {
    name: input.name,
    ...(input.password != null ? { password: input.password } : {}),
    ...(input.allowedAddresses != null ? { allowedAddresses: input.allowedAddresses } : {}),
    ...(input.directories != null ? { directories: input.directories } : {}),
    ...(input.enabled != null ? { enabled: input.enabled } : {}),
  };
}

function resultView(ctx: GraphQLContext, result: ApplicationResult): ApplicationResultType {
  return { application: applicationView(ctx, result.application), generatedPassword: result.generatedPassword };
}

function applicationView(ctx: GraphQLContext, a: ConfiguredApplication): ApplicationType {
  const contextPath = adminOf(ctx).runtime.file.server.contextPath;
  return {
    name: a.config.name,
    managedBy: ManagedBy[a.managedBy],
    version: a.version,
    enabled: a.enabled,
    allowedAddresses: a.config.allowedAddresses.map((c) => c.text),
    directories: [...a.config.directories],
    connectionInstructions: {
      serverUrl: `${ctx.caller?.origin ?? ''}${contextPath}`,
      applicationName: a.config.name,
      permission: 'Read Only',
      notes: [
        'Jira: Administration → User management → User Directories; Confluence: General configuration → User directories; Bitbucket: Administration → Accounts → User directories. Then Add directory → Atlassian Crowd.',
        `Application password: the one set for "${a.config.name}" (shown once when it was generated).`,
        'Crowd permissions: Read Only (crowdgate refuses writes). Enable "Incremental synchronisation" so changes arrive as Crowd events.',
        `Allowed client addresses: ${a.config.allowedAddresses.map((c) => c.text).join(', ')} — the product's address must be among them.`,
        'If crowdgate is behind a proxy, use the URL the product reaches it by, with the same context path.',
      ],
    },
  };
}
