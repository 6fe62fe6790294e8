import { Arg, Ctx, Int, Mutation, Query, Resolver, UseMiddleware } from 'type-graphql';
import { createAdminToken, revokeAdminToken } from '../../src/admin/token-admin';
import { DirectoryError } from '../../src/domain/errors';
import type { AdminTokenRecord } from '../../src/store/config-records';
import { adminOf, type GraphQLContext } from '../context';
import {
  AdminTokenType,
  AuditEntryType,
  AuditLogPageType,
  CreatedTokenType,
  ManagedBy,
  TokenScopeEnum,
} from '../types/admin.type';
import { Audited } from './audited';

/** Administrator tokens (never their values) and the audit log of every mutation. */
@Resolver()
export class TokenAdminResolver {
  @Query(() => [AdminTokenType], { description: 'Administrator tokens: the file’s and those made through the API.' })
  async adminTokens(@Ctx() ctx: GraphQLContext): Promise<AdminTokenType[]> {
    const { runtime, store } = adminOf(ctx);
    const fromFile = runtime.file.adminTokens.map((t) => ({
      name: t.name,
      scope: TokenScopeEnum.ADMIN,
      managedBy: ManagedBy.FILE,
      createdAt: null,
      expiresAt: null,
      lastUsedAt: null,
    }));
    // From the store, not the runtime configuration: "last used" changes without a configuration change.
    return [...fromFile, ...(await store.listAdminTokens()).filter((t) => !t.setup).map(tokenView)];
  }

  @Mutation(() => CreatedTokenType, {
    description:
      'Creates an administrator token and answers it once (it is stored as a hash). The first one ends the one-time setup token.',
  })
  @UseMiddleware(Audited)
  async createAdminToken(
    @Arg('name', () => String) name: string,
    @Arg('scope', () => TokenScopeEnum) scope: TokenScopeEnum,
    @Ctx() ctx: GraphQLContext,
    @Arg('expiresAt', () => Date, { nullable: true }) expiresAt?: Date | null,
  ): Promise<CreatedTokenType> {
    const created = await createAdminToken(adminOf(ctx), { name, scope, expiresAt: expiresAt ?? null });
    return { token: created.token, adminToken: tokenView(created.record) };
  }

  @Mutation(() => Boolean, { description: 'Revokes an API token: refused at once on every process (within a second).' })
  @UseMiddleware(Audited)
  revokeAdminToken(@Arg('name', () => String) name: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return revokeAdminToken(adminOf(ctx), name);
  }

  @Query(() => AuditLogPageType, { description: 'Every mutation, newest first.' })
  async auditLog(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { defaultValue: 50 }) first = 50,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<AuditLogPageType> {
    if (first < 1 || first > 1000) throw new DirectoryError('INVALID_ARGUMENT', 'first must be between 1 and 1000');
    let beforeId: number | undefined;
    if (after != null) {
      if (!/^[1-9][0-9]{0,15}$/.test(after))
        throw new DirectoryError('INVALID_CURSOR', `Not an audit log cursor: ${after}`);
      beforeId = Number(after);
    }
    const rows = await adminOf(ctx).store.listAudit({ limit: first + 1, ...(beforeId ? { beforeId } : {}) });
    const entries: AuditEntryType[] = rows
      .slice(0, first)
      .map((r) => ({ ...r, arguments: JSON.stringify(r.arguments) }));
    return { entries, endCursor: rows.length > first ? String(entries[entries.length - 1]!.id) : null };
  }
}

function tokenView(t: AdminTokenRecord): AdminTokenType {
  return {
    name: t.name,
    scope: TokenScopeEnum[t.scope],
    managedBy: ManagedBy.API,
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    lastUsedAt: t.lastUsedAt,
  };
}
