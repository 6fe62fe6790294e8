import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { DirectoryError } from '../src/domain/errors';
import { foldName } from '../src/domain/names';
import type { User } from '../src/domain/user';
import { isWellFormedText } from '../src/security/well-formed';
import type { GraphQLContext } from './context';
import { UserType } from './types/user.type';

/**
 * The login to give the provider's password check: the sync engine keeps every user's provider
 * login as the `login` attribute (src/sync/derive.ts, `toUserRecord`). The other names are accepted
 * for users written without it; a user with none of them is checked by the Crowd username.
 */
const LOGIN_ATTRIBUTES = ['login', 'userPrincipalName', 'primaryEmail'] as const;

function providerLogin(user: User): string {
  for (const name of LOGIN_ATTRIBUTES) {
    const value = user.attributes[name]?.[0];
    if (value) return value;
  }
  return user.name;
}

/**
 * Password authentication (Crowd `POST /authentication`, https://developer.atlassian.com/server/crowd/crowd-rest-resources/). The user is found
 * as Crowd finds it (first directory in precedence order that has the name); the password is
 * checked by that directory's provider, live. Outcomes: the user; USER_NOT_FOUND;
 * INVALID_CREDENTIALS (wrong password, MFA required, or no password capability for the
 * directory); INACTIVE_ACCOUNT (inactive in the store or at the provider); EXPIRED_CREDENTIAL;
 * PROVIDER_UNAVAILABLE. The inactive check comes after the password check so that the account
 * state is not revealed to someone without the password. A name or password that is not
 * well-formed text (a lone UTF-16 surrogate) is INVALID_CREDENTIALS before anything is looked up
 * or asked: it has no UTF-8 form, so it cannot be anybody's.
 */
@Resolver()
export class AuthenticationResolver {
  @Mutation(() => UserType, {
    description: "Checks a user's password at the user's identity provider; answers the user.",
  })
  async authenticateUser(
    @Arg('name', () => String) name: string,
    @Arg('password', () => String) password: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('directories', () => [String], { nullable: true }) directories?: string[] | null,
  ): Promise<User> {
    if (!isWellFormedText(name) || !isWellFormedText(password)) {
      throw new DirectoryError(
        'INVALID_CREDENTIALS',
        'Failed to authenticate principal: the username or password is not well-formed text',
      );
    }
    const scope = ctx.directories.resolve(directories);
    const user = await ctx.loaders.userByName(scope).load(foldName(name));
    if (!user) throw new DirectoryError('USER_NOT_FOUND', `User <${name}> does not exist`);
    const directory = ctx.directories.get(user.directoryId);
    const unavailable = () =>
      new DirectoryError(
        'INVALID_CREDENTIALS',
        `password authentication is not available for directory ${directory.name}`,
      );
    if (!ctx.engine) throw unavailable();
    if (password === '')
      throw new DirectoryError('INVALID_CREDENTIALS', 'Failed to authenticate principal, password was invalid');
    const check = await ctx.engine.checkPassword(user.directoryId, providerLogin(user), password);
    if (check === null) throw unavailable();
    switch (check.kind) {
      case 'ok':
        if (!user.active) throw new DirectoryError('INACTIVE_ACCOUNT', `Account with name <${user.name}> is inactive`);
        return user;
      case 'invalid':
        throw new DirectoryError('INVALID_CREDENTIALS', 'Failed to authenticate principal, password was invalid');
      case 'inactive':
        throw new DirectoryError('INACTIVE_ACCOUNT', `Account with name <${user.name}> is inactive`);
      case 'expired':
        throw new DirectoryError('EXPIRED_CREDENTIAL', `The password of <${user.name}> has expired`);
      case 'mfa-required':
        throw new DirectoryError(
          'INVALID_CREDENTIALS',
          `The identity provider requires MFA for <${user.name}>; password-only authentication is not possible`,
        );
      case 'unavailable':
        throw new DirectoryError(
          'PROVIDER_UNAVAILABLE',
          `The identity provider of directory ${directory.name} is unavailable: ${check.reason}`,
        );
    }
  }
}
