import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { engineOf, type GraphQLContext } from './context';
import { ConnectionReportType } from './types/connection-report.type';

@Resolver()
export class ConnectionTestResolver {
  @Query(() => ConnectionReportType, {
    description:
      "Tests a directory's connection to its identity provider now (credentials, permissions or scopes, tenant) with the configured settings, and says what is wrong by name. Reads nothing into the store.",
  })
  async testConnection(
    @Arg('directory', () => String) directory: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ConnectionReportType> {
    const report = await engineOf(ctx).checkAccess(directory);
    return {
      ok: report.ok,
      messages: [...report.messages],
      findings: report.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, fix: f.fix })),
    };
  }
}
