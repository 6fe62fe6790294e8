import { interpolateEnv } from '../../src/config/interpolate';
import { DEFAULT_SYNC_SETTINGS } from '../../src/config/sync-schema';
import type { ProviderUser } from '../../src/providers/provider';
import { projectUsername } from '../../src/sync/username';

/**
 * A name from a request, a configuration or a provider is never
 * looked up in a plain object's prototype (`constructor`, `toString`, `__proto__`, …).
 * The GraphQL IDE's assets are covered in graphql-limits.test.ts.
 */
describe('names that are members of Object.prototype are not found', () => {
  test('${toString} in a configuration is an unset variable, not a function', () => {
    const { value, problems } = interpolateEnv({ token: '${toString}', other: '${constructor}' }, { PATH: '/bin' });
    expect(problems.map((p) => p.message)).toEqual([
      'environment variable toString is not set',
      'environment variable constructor is not set',
    ]);
    expect(value).toEqual({ token: '${toString}', other: '${constructor}' });
  });

  test('a username taken from an attribute named like a prototype member is missing, not a function', () => {
    const user: ProviderUser = {
      id: '1',
      login: 'ada@corp',
      email: 'ada@corp',
      givenName: 'Ada',
      surname: 'L',
      displayName: 'Ada',
      enabled: true,
      guest: false,
      attributes: {},
    };
    for (const source of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(projectUsername(user, { ...DEFAULT_SYNC_SETTINGS.username, source })).toBe('');
    }
  });
});
