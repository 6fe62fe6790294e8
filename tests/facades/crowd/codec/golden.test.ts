import {
  groupListWriter,
  membershipsWriter,
  renderError,
  renderGroup,
  renderUser,
  renderUserAttributes,
  userListWriter,
} from '../../../../facades/crowd/codec/entities';
import { renderEvents, renderEventToken } from '../../../../facades/crowd/codec/events';
import { renderCookieConfig, renderSession } from '../../../../facades/crowd/codec/session';
import type { CrowdGroupView, CrowdUserView, EventView } from '../../../../facades/crowd/graphql-types';

/**
 * Golden documents for every entity, byte for byte, checked against Crowd's documented entities
 * (https://developer.atlassian.com/server/crowd/json-requests-and-responses/; element
 * order of Crowd's JAXB classes, `<active>` always present, JSON keys = XML names, dates as
 * xsd:dateTime in XML and epoch ms in JSON) and the session, cookie-configuration and event documents.
 */
const B = 'http://h/crowd/rest/usermanagement/1';
const links = { baseUrl: B };
const P = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

const alice: CrowdUserView = {
  name: 'alice',
  key: '1:7b3f',
  firstName: 'Alice',
  lastName: 'Liddell',
  displayName: 'Alice Liddell',
  email: 'alice@example.com',
  active: true,
  createdAt: '2024-01-02T03:04:05.678Z',
  updatedAt: '2024-03-04T05:06:07.890Z',
  attributes: [{ name: 'department', values: ['R&D'] }],
};
const group: CrowdGroupView = { name: 'jira-software-users', description: 'Jira users', active: true, attributes: [] };

const USER_XML =
  `<user expand="attributes" name="alice"><link rel="self" href="${B}/user?username=alice"/>` +
  '<first-name>Alice</first-name><last-name>Liddell</last-name><display-name>Alice Liddell</display-name><email>alice@example.com</email>' +
  `<password><link rel="edit" href="${B}/user/password?username=alice"/></password><key>1:7b3f</key>` +
  '<created-date>2024-01-02T03:04:05.678Z</created-date><updated-date>2024-03-04T05:06:07.890Z</updated-date><active>true</active>';
const USER_ATTRIBUTES_LINK = `<link rel="self" href="${B}/user/attribute?username=alice"/>`;

describe('golden Crowd documents', () => {
  test('user, XML, without and with expanded attributes', () => {
    expect(renderUser(alice, 'xml', links, false)).toBe(
      `${P}${USER_XML}<attributes>${USER_ATTRIBUTES_LINK}</attributes></user>`,
    );
    expect(renderUser(alice, 'xml', links, true)).toBe(
      `${P}${USER_XML}<attributes><attribute name="department"><link rel="self" href="${B}/user/attribute?username=alice&amp;attributename=department"/>` +
        `<values><value>R&amp;D</value></values></attribute>${USER_ATTRIBUTES_LINK}</attributes></user>`,
    );
  });

  test('user, JSON', () => {
    expect(JSON.parse(renderUser(alice, 'json', links, false))).toEqual({
      expand: 'attributes',
      link: { rel: 'self', href: `${B}/user?username=alice` },
      name: 'alice',
      'first-name': 'Alice',
      'last-name': 'Liddell',
      'display-name': 'Alice Liddell',
      email: 'alice@example.com',
      password: { link: { rel: 'edit', href: `${B}/user/password?username=alice` } },
      key: '1:7b3f',
      'created-date': Date.parse('2024-01-02T03:04:05.678Z'),
      'updated-date': Date.parse('2024-03-04T05:06:07.890Z'),
      active: true,
      attributes: { link: { rel: 'self', href: `${B}/user/attribute?username=alice` }, attributes: [] },
    });
  });

  test('group, XML and JSON', () => {
    expect(renderGroup(group, 'xml', links, false)).toBe(
      `${P}<group expand="attributes" name="jira-software-users"><link rel="self" href="${B}/group?groupname=jira-software-users"/>` +
        `<description>Jira users</description><type>GROUP</type><active>true</active>` +
        `<attributes><link rel="self" href="${B}/group/attribute?groupname=jira-software-users"/></attributes></group>`,
    );
    expect(JSON.parse(renderGroup(group, 'json', links, false))).toEqual({
      expand: 'attributes',
      link: { rel: 'self', href: `${B}/group?groupname=jira-software-users` },
      name: 'jira-software-users',
      description: 'Jira users',
      type: 'GROUP',
      active: true,
      attributes: { link: { rel: 'self', href: `${B}/group/attribute?groupname=jira-software-users` }, attributes: [] },
    });
  });

  test('lists, minimal and expanded', () => {
    const users = userListWriter('xml', links, { entity: false, attributes: false });
    expect(users.start() + users.item(alice) + users.end()).toBe(
      `${P}<users expand="user"><user name="alice"><link rel="self" href="${B}/user?username=alice"/></user></users>`,
    );
    const groups = groupListWriter('json', links, { entity: true, attributes: false });
    expect(
      JSON.parse(groups.start() + groups.item(group) + groups.item({ ...group, name: 'b' }) + groups.end()),
    ).toMatchObject({
      expand: 'group',
      groups: [{ name: 'jira-software-users', type: 'GROUP', active: true }, { name: 'b' }],
    });
    const empty = userListWriter('json', links, { entity: true, attributes: false });
    expect(empty.start() + empty.end()).toBe('{"expand":"user","users":[]}');
  });

  test('attribute list, XML and JSON', () => {
    expect(renderUserAttributes('alice', alice.attributes!, 'xml', links)).toBe(
      `${P}<attributes><attribute name="department"><link rel="self" href="${B}/user/attribute?username=alice&amp;attributename=department"/>` +
        `<values><value>R&amp;D</value></values></attribute>${USER_ATTRIBUTES_LINK}</attributes>`,
    );
    expect(JSON.parse(renderUserAttributes('alice', alice.attributes!, 'json', links))).toEqual({
      link: { rel: 'self', href: `${B}/user/attribute?username=alice` },
      attributes: [
        {
          link: { rel: 'self', href: `${B}/user/attribute?username=alice&attributename=department` },
          name: 'department',
          values: ['R&D'],
        },
      ],
    });
  });

  test('memberships', () => {
    const writer = membershipsWriter();
    expect(
      writer.start() +
        writer.item({ group: 'parent-group', users: ['parent-group-user'], groups: ['child-group'] }) +
        writer.item({ group: 'child-group', users: [], groups: [] }) +
        writer.end(),
    ).toBe(
      `${P}<memberships><membership group="parent-group"><users><user name="parent-group-user"/></users><groups><group name="child-group"/></groups></membership>` +
        '<membership group="child-group"><users/><groups/></membership></memberships>',
    );
  });

  test('events: token document and every event kind', () => {
    expect(renderEventToken('s1.42', 'xml')).toBe(
      `${P}<events incrementalSynchronisationAvailable="true" newEventToken="s1.42"/>`,
    );
    expect(JSON.parse(renderEventToken('s1.42', 'json'))).toEqual({
      incrementalSynchronisationAvailable: true,
      newEventToken: 's1.42',
    });
    const snapshot = {
      name: 'alice',
      key: '1:7b3f',
      firstName: 'Alice',
      lastName: 'Liddell',
      displayName: 'Alice Liddell',
      email: 'alice@example.com',
      active: false,
    };
    const none = { user: null, group: null, childUser: null, parentGroups: null, childGroups: null };
    const events: EventView[] = [
      { ...none, type: 'user', operation: 'UPDATED', user: snapshot },
      { ...none, type: 'group', operation: 'CREATED', group: { name: 'g', description: '', active: true } },
      { ...none, type: 'userMembership', operation: 'UPDATED', childUser: 'alice', parentGroups: ['g1', 'g2'] },
      { ...none, type: 'userMembership', operation: 'UPDATED', childUser: 'bob', parentGroups: [] },
      {
        ...none,
        type: 'groupMembership',
        operation: 'UPDATED',
        group: { name: 'child', description: '', active: true },
        parentGroups: ['p'],
        childGroups: [],
      },
      { ...none, type: 'user', operation: 'DELETED', user: { ...snapshot, name: 'gone', key: '1:gone', active: true } },
    ];
    expect(renderEvents('s1.43', events, 'xml', links)).toBe(
      `${P}<events newEventToken="s1.43">` +
        `<userEvent><operation>UPDATED</operation><user expand="attributes" name="alice"><link rel="self" href="${B}/user?username=alice"/>` +
        '<first-name>Alice</first-name><last-name>Liddell</last-name><display-name>Alice Liddell</display-name><email>alice@example.com</email>' +
        `<password><link rel="edit" href="${B}/user/password?username=alice"/></password><key>1:7b3f</key><active>false</active>` +
        `${USER_ATTRIBUTES_LINK.replace(/^/, '<attributes>')}</attributes></user></userEvent>` +
        `<groupEvent><operation>CREATED</operation><group expand="attributes" name="g"><link rel="self" href="${B}/group?groupname=g"/>` +
        `<description></description><type>GROUP</type><active>true</active><attributes><link rel="self" href="${B}/group/attribute?groupname=g"/></attributes></group></groupEvent>` +
        `<userMembershipEvent><operation>UPDATED</operation><childUser name="alice"><link rel="self" href="${B}/user?username=alice"/></childUser>` +
        '<parentGroups><group name="g1"/><group name="g2"/></parentGroups></userMembershipEvent>' +
        `<userMembershipEvent><operation>UPDATED</operation><childUser name="bob"><link rel="self" href="${B}/user?username=bob"/></childUser><parentGroups/></userMembershipEvent>` +
        '<groupMembershipEvent><operation>UPDATED</operation><group name="child"/><parentGroups><group name="p"/></parentGroups><childGroups/></groupMembershipEvent>' +
        `<userEvent><operation>DELETED</operation><user expand="attributes" name="gone">` +
        `<link rel="self" href="${B}/user?username=gone"/><first-name>Alice</first-name><last-name>Liddell</last-name><display-name>Alice Liddell</display-name>` +
        `<email>alice@example.com</email><password><link rel="edit" href="${B}/user/password?username=gone"/></password><key>1:gone</key><active>true</active>` +
        `<attributes><link rel="self" href="${B}/user/attribute?username=gone"/></attributes></user></userEvent>` +
        '</events>',
    );
    const json = JSON.parse(renderEvents('s1.43', events.slice(0, 3), 'json', links)) as {
      newEventToken: string;
      events: Array<Record<string, unknown>>;
    };
    expect(json.newEventToken).toBe('s1.43');
    expect(json.events.map((e) => e.type)).toEqual(['userEvent', 'groupEvent', 'userMembershipEvent']);
    expect(json.events[0]).toMatchObject({
      operation: 'UPDATED',
      user: { name: 'alice', active: false, key: '1:7b3f' },
    });
  });

  test('session, XML and JSON', () => {
    const session = {
      token: 'tok_EN-1',
      createdAt: new Date('2033-01-30T05:38:27.369Z'),
      expiresAt: new Date('2033-01-30T06:08:27.369Z'),
    };
    expect(renderSession(session, alice, 'xml', links, false)).toBe(
      `${P}<session expand="user"><token>tok_EN-1</token>${USER_XML}<attributes>${USER_ATTRIBUTES_LINK}</attributes></user>` +
        `<link rel="self" href="${B}/session/tok_EN-1"/><created-date>2033-01-30T05:38:27.369Z</created-date><expiry-date>2033-01-30T06:08:27.369Z</expiry-date></session>`,
    );
    expect(JSON.parse(renderSession(session, alice, 'json', links, false))).toMatchObject({
      expand: 'user',
      token: 'tok_EN-1',
      user: { name: 'alice', active: true },
      link: { rel: 'self', href: `${B}/session/tok_EN-1` },
      'created-date': session.createdAt.getTime(),
      'expiry-date': session.expiresAt.getTime(),
    });
  });

  test('cookie config and error', () => {
    expect(renderCookieConfig({ domain: '.example.com', secure: true, name: 'crowd.token_key' }, 'xml')).toBe(
      `${P}<cookie-config><domain>.example.com</domain><secure>true</secure><name>crowd.token_key</name></cookie-config>`,
    );
    expect(renderError('USER_NOT_FOUND', 'User <bob> does not exist', 'xml')).toBe(
      `${P}<error><reason>USER_NOT_FOUND</reason><message>User &lt;bob&gt; does not exist</message></error>`,
    );
    expect(renderError('USER_NOT_FOUND', 'User <bob> does not exist', 'json')).toBe(
      '{"reason":"USER_NOT_FOUND","message":"User <bob> does not exist"}',
    );
  });
});
