import { Ctx, Field, Mutation, ObjectType, Query, Resolver, UseMiddleware } from 'type-graphql';
import { DirectoryError } from '../../src/domain/errors';
import { clearedSessionCookie, sessionCookie } from '../../src/server/admin-sessions';
import { adminOf, type GraphQLContext } from '../context';
import { Audited } from './audited';

/** Where the session cookie is sent: the GraphQL endpoint only. */
const COOKIE_PATH = '/graphql';

@ObjectType('AdminSession', { description: 'Who is signed in, and the console session if the request came with one.' })
export class AdminSessionType {
  @Field(() => String, { description: 'The administrator token’s name.' }) tokenName!: string;
  @Field(() => String, { description: 'READ, ADMIN or SETUP (the one-time setup token).' }) scope!: string;
  @Field(() => Date, { nullable: true, description: 'When the console session ends (null for a bearer token).' })
  expiresAt!: Date | null;
  @Field(() => String, {
    nullable: true,
    description:
      'Send it as the X-Crowdgate-CSRF header with every mutation made through the session cookie (null for a bearer token).',
  })
  csrfToken!: string | null;
}

/**
 * Console sign-in: `createSession`, called with `Authorization: Bearer <token>`, answers an
 * HttpOnly, SameSite=Strict session cookie (Secure over HTTPS) for /graphql and the CSRF token the
 * console sends with its mutations; `endSession` signs out. The token itself never needs to stay in
 * the browser.
 */
@Resolver()
export class SessionResolver {
  @Query(() => AdminSessionType, { description: 'Who is asking (the console’s "signed in as").' })
  whoAmI(@Ctx() ctx: GraphQLContext): AdminSessionType {
    return {
      tokenName: ctx.principal,
      scope: ctx.caller?.scope ?? 'ADMIN',
      expiresAt: ctx.caller?.session?.expiresAt ?? null,
      csrfToken: null,
    };
  }

  @Mutation(() => AdminSessionType, {
    description:
      'Signs the console in: call it with Authorization: Bearer <token>; the answer sets the session cookie and gives the CSRF token. Any scope may call it.',
  })
  @UseMiddleware(Audited)
  async createSession(@Ctx() ctx: GraphQLContext): Promise<AdminSessionType> {
    const caller = ctx.caller;
    if (!caller || caller.session)
      throw new DirectoryError('INVALID_ARGUMENT', 'Sign in with Authorization: Bearer <token>, not with a session');
    const opened = await adminOf(ctx).sessions.open(ctx.principal);
    caller.cookies.push(sessionCookie(opened.id, opened.expiresAt, COOKIE_PATH, caller.secure));
    return { tokenName: ctx.principal, scope: caller.scope, expiresAt: opened.expiresAt, csrfToken: opened.csrfToken };
  }

  @Mutation(() => Boolean, {
    description: 'Signs the console out: the session ends on every process and its cookie is cleared.',
  })
  @UseMiddleware(Audited)
  async endSession(@Ctx() ctx: GraphQLContext): Promise<boolean> {
    const caller = ctx.caller;
    if (!caller?.session) return false;
    await adminOf(ctx).sessions.end(caller.session.digest);
    caller.cookies.push(clearedSessionCookie(COOKIE_PATH, caller.secure));
    return true;
  }
}
