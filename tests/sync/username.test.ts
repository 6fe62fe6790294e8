import { DEFAULT_SYNC_SETTINGS } from '../../src/config/sync-schema';
import { projectUsername } from '../../src/sync/username';
import { person } from './fake-provider';

describe('username projection', () => {
  const user = person('id', 'Ada.Lovelace@Corp.Example', {
    email: 'ada@mail.example',
    attributes: { samAccountName: 'ALOVELACE', mailNickname: 'ada.l' },
  });
  const project = (settings: Partial<typeof DEFAULT_SYNC_SETTINGS.username>) =>
    projectUsername(user, { ...DEFAULT_SYNC_SETTINGS.username, ...settings });

  test.each([
    [{}, 'Ada.Lovelace@Corp.Example'],
    [{ stripDomain: true }, 'Ada.Lovelace'],
    [{ stripDomain: true, lowercase: true }, 'ada.lovelace'],
    [{ source: 'email' }, 'ada@mail.example'],
    [{ source: 'samAccountName', lowercase: true }, 'alovelace'],
    [{ source: 'mailNickname', replace: [{ pattern: '[.]', with: '_' }] }, 'ada_l'],
    [{ stripDomain: true, replace: [{ pattern: '^(\\w)\\w*\\.', with: '$1' }], lowercase: true }, 'alovelace'],
    [{ source: 'employeeId' }, ''],
  ])('%j → %s', (settings, expected) => {
    expect(project(settings)).toBe(expected);
  });
});
