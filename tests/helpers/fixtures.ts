import type { ChangeSet } from '../../src/store/store';
import { groupRecord, userRecord } from '../conformance/fixtures';

/**
 * A small directory with every shape the facade must get right: case-preserved names, a space
 * in a name (for `+` decoding), an inactive user, attributes, nesting and an empty group.
 *   developers ⊃ {alice, Bob Smith}, child group backend ⊃ {carol}; empty-group ⊃ ∅;
 *   jira-software-users ⊃ every active user.
 */
export const SMALL_DIRECTORY: ChangeSet = {
  upsertUsers: [
    userRecord('id-alice', 'alice', {
      firstName: 'Alice',
      lastName: 'Liddell',
      displayName: 'Alice Liddell',
      email: 'alice@example.com',
      attributes: { department: ['R&D'] },
    }),
    userRecord('id-bob', 'Bob Smith', {
      firstName: 'Bob',
      lastName: 'Smith',
      displayName: 'Bob Smith',
      email: 'bob@example.com',
    }),
    userRecord('id-carol', 'carol', {
      firstName: 'Carol',
      lastName: 'Jones',
      displayName: 'Carol Jones',
      email: 'carol@example.org',
    }),
    userRecord('id-dave', 'dave', {
      firstName: 'Dave',
      lastName: 'Gone',
      displayName: 'Dave Gone',
      email: 'dave@example.com',
      active: false,
    }),
  ],
  upsertGroups: [
    groupRecord('g-dev', 'developers', { description: 'All developers' }),
    groupRecord('g-backend', 'backend'),
    groupRecord('g-empty', 'empty-group'),
    groupRecord('local:jira-software-users', 'jira-software-users', { local: true }),
  ],
  addUserMemberships: [
    ['id-alice', 'g-dev'],
    ['id-bob', 'g-dev'],
    ['id-carol', 'g-backend'],
    ['id-alice', 'local:jira-software-users'],
    ['id-bob', 'local:jira-software-users'],
    ['id-carol', 'local:jira-software-users'],
  ],
  addGroupMemberships: [['g-backend', 'g-dev']],
};
