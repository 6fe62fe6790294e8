import { DEFAULT_SYNC_SETTINGS } from '../../src/config/sync-schema';
import { previewDirectory } from '../../src/sync/preview';
import { asProvider, FakeUpstream, person } from './fake-provider';

/** The preview's sample users carry the value their username came from: the "before" of the username tester. */
describe('previewDirectory: usernameSource', () => {
  const upstream = new FakeUpstream();
  upstream.putUser(person('u1', 'Alex.Smith@corp.test', { email: 'alex@mail.test', attributes: { nick: 'ASMITH' } }));
  upstream.putUser(person('u2', 'alex.smith@other.test', { email: 'alex2@mail.test', attributes: {} }));
  upstream.putUser(person('u3', 'Bo.Lee@corp.test', { email: 'bo@mail.test', attributes: { nick: 'BLEE' } }));

  const preview = (username: Partial<typeof DEFAULT_SYNC_SETTINGS.username>) =>
    previewDirectory(
      asProvider(upstream),
      { ...DEFAULT_SYNC_SETTINGS, username: { ...DEFAULT_SYNC_SETTINGS.username, ...username }, localGroups: [] },
      { sample: 20 },
    );

  test('the login before stripDomain and lowercase; collisions keep their source value', async () => {
    const result = await preview({ stripDomain: true, lowercase: true });
    const byId = new Map(result.sampleUsers.map((u) => [u.externalId, u]));
    expect(byId.get('u1')).toMatchObject({ usernameSource: 'Alex.Smith@corp.test' });
    expect(byId.get('u2')).toMatchObject({ usernameSource: 'alex.smith@other.test' });
    expect(byId.get('u3')).toMatchObject({ name: 'bo.lee', usernameSource: 'Bo.Lee@corp.test' });
    // Both project to alex.smith: one keeps it, the other gets a variant; both still show their source.
    expect(new Set([byId.get('u1')!.name, byId.get('u2')!.name]).has('alex.smith')).toBe(true);
    expect(byId.get('u1')!.name).not.toBe(byId.get('u2')!.name);
    expect(result.collisions).toHaveLength(1);
  });

  test('an attribute source gives the attribute value; a user without one is left out', async () => {
    const result = await preview({ source: 'nick', lowercase: true });
    expect(result.sampleUsers.map((u) => [u.name, u.usernameSource])).toEqual([
      ['asmith', 'ASMITH'],
      ['blee', 'BLEE'],
    ]);
    expect(result.withoutUsername).toBe(1);
  });

  test('the email source', async () => {
    const result = await preview({ source: 'email', replace: [{ pattern: '@.*$', with: '' }] });
    expect(result.sampleUsers.map((u) => [u.name, u.usernameSource])).toEqual([
      ['alex', 'alex@mail.test'],
      ['alex2', 'alex2@mail.test'],
      ['bo', 'bo@mail.test'],
    ]);
  });
});
