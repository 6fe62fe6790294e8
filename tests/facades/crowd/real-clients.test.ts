import CrowdClient from 'atlassian-crowd-client';
import { SMALL_DIRECTORY } from '../../helpers/fixtures';
import { APP_PASSWORD, startTestCrowdgate, type TestCrowdgate } from '../../helpers/crowdgate';

/** The npm `atlassian-crowd-client` (JSON, strict about content types) against a running crowdgate. */
describe('atlassian-crowd-client', () => {
  let cg: TestCrowdgate;
  let crowd: CrowdClient;
  beforeAll(async () => {
    cg = await startTestCrowdgate([{ name: 'corp', changes: SMALL_DIRECTORY }]);
    crowd = new CrowdClient({ baseUrl: `${cg.url}/`, application: { name: 'jira', password: APP_PASSWORD } });
  });
  afterAll(() => cg.stop());

  test('reads a user with its names and active flag', async () => {
    const user = await crowd.user.get('carol');
    expect(user).toMatchObject({ username: 'carol', firstname: 'Carol', lastname: 'Jones', displayname: 'Carol Jones', email: 'carol@example.org', active: true });
    const dave = await crowd.user.get('dave');
    expect(dave.active).toBe(false);
  });

  test('reads a group, user groups and group members', async () => {
    expect(await crowd.group.get('developers')).toMatchObject({ groupname: 'developers', description: 'All developers', active: true });
    expect(await crowd.user.groups.list('alice')).toEqual(['developers', 'jira-software-users']);
    expect(await crowd.group.users.list('developers')).toEqual(['alice', 'Bob Smith']);
  });

  test('searches with CQL', async () => {
    expect(await crowd.search.user('email="carol@example.org"')).toEqual(['carol']);
    expect(await crowd.search.group('name=dev*')).toEqual(['developers']);
  });

  test('maps errors: unknown user, wrong application password, refused write', async () => {
    await expect(crowd.user.get('nobody')).rejects.toMatchObject({ type: 'USER_NOT_FOUND' });
    const wrong = new CrowdClient({ baseUrl: `${cg.url}/`, application: { name: 'jira', password: 'nope' } });
    await expect(wrong.user.get('alice')).rejects.toMatchObject({ type: 'APPLICATION_ACCESS_DENIED' });
    await expect(crowd.group.remove('developers')).rejects.toMatchObject({ type: 'APPLICATION_PERMISSION_DENIED' });
  });
});
