import { Ctx, Field, Float, ObjectType, Query, Resolver } from 'type-graphql';
import type { LoginLimitsContext } from '../src/security/login-limits';
import type { GraphQLContext } from './context';

// Counts are Float: a long-running process under attack may pass GraphQL Int's 2^31.

@ObjectType('ApplicationLoginLimit', {
  description: 'Failed application logins (HTTP Basic of the Crowd API), limited per client address.',
  simpleResolvers: true,
})
class ApplicationLoginLimitType {
  @Field(() => Float, { description: 'Password checks the limit let through.' })
  checked!: number;

  @Field(() => Float, {
    description: 'Unproven credentials answered 401 without a check: their address was over its budget.',
  })
  refused!: number;

  @Field(() => Float, { description: 'Checks that found the password wrong.' })
  failed!: number;

  @Field(() => Float, { description: 'Checks that found the password right.' })
  succeeded!: number;

  @Field(() => Float, { description: 'Addresses over their budget now.' })
  blocked!: number;

  @Field(() => Float, {
    description: 'Known-good credentials accepted without a check from an address over its budget.',
  })
  acceptedWhileBlocked!: number;
}

@ObjectType('UserLoginLimit', {
  description:
    'Failed user password checks (Crowd POST /authentication and /session), with progressive delays per username and source.',
  simpleResolvers: true,
})
class UserLoginLimitType {
  @Field(() => Float, { description: 'Questions to the identity provider the limit let through.' })
  checked!: number;

  @Field(() => Float, {
    description:
      'Attempts answered INVALID_USER_AUTHENTICATION without asking the provider: their key was inside a delay.',
  })
  refused!: number;

  @Field(() => Float, { description: 'Checks that found the credentials wrong.' })
  failed!: number;

  @Field(() => Float, { description: 'Checks that found the credentials right.' })
  succeeded!: number;

  @Field(() => Float, { description: 'Username + source keys inside a delay now.' })
  blocked!: number;

  @Field(() => Float, { description: '(username, source) pairs remembered as familiar.' })
  familiarSources!: number;
}

@ObjectType('LoginLimits', {
  description: "The Crowd facade's failed-login limits in this process (each serving worker has its own).",
  simpleResolvers: true,
})
class LoginLimitsType {
  @Field(() => ApplicationLoginLimitType)
  application!: ApplicationLoginLimitType;

  @Field(() => UserLoginLimitType)
  user!: UserLoginLimitType;
}

@Resolver()
export class LoginLimitsResolver {
  @Query(() => LoginLimitsType, {
    nullable: true,
    description:
      "Counters of the Crowd facade's failed-login limits since this process started; null where no facade runs (offline tools).",
  })
  loginLimits(@Ctx() ctx: GraphQLContext & LoginLimitsContext): LoginLimitsType | null {
    return ctx.loginLimits?.counters() ?? null;
  }
}
