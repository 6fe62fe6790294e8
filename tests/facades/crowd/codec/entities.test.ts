import {
  groupListWriter,
  type ListWriter,
  membershipsWriter,
  renderError,
  renderGroup,
  renderUser,
  userListWriter,
} from '../../../../facades/crowd/codec/entities';
import { parseXml, type XmlElement } from '../../../../facades/crowd/codec/xml-reader';
import type { CrowdMembershipView } from '../../../../facades/crowd/codec/entities';
import type { CrowdGroupView, CrowdUserView } from '../../../../facades/crowd/graphql-types';

const B = 'http://127.0.0.1:8095/crowd/rest/usermanagement/1';
const links = { baseUrl: B };
const PROLOGUE = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

const alice: CrowdUserView = {
  name: 'alice',
  key: '32769:7b3f2c1e',
  firstName: 'Alice',
  lastName: 'Liddell',
  displayName: 'Alice Liddell',
  email: 'alice@example.com',
  active: true,
  createdAt: '2024-01-02T03:04:05.678Z',
  updatedAt: '2024-03-04T05:06:07.890Z',
  attributes: [
    { name: 'department', values: ['Engineering'] },
    { name: 'phones', values: ['1', '2'] },
  ],
};

const group: CrowdGroupView = {
  name: 'jira-software-users',
  description: 'Jira users',
  active: true,
  attributes: [{ name: 'source', values: ['okta'] }],
};

function write<T>(w: ListWriter<T>, items: T[]): string {
  return w.start() + items.map((i) => w.item(i)).join('') + w.end();
}

function child(el: XmlElement, name: string): XmlElement {
  const found = el.children.find((c) => c.name === name);
  if (!found) throw new Error(`<${el.name}> has no <${name}>`);
  return found;
}

/** The golden user element, compact. */
const ALICE_XML_NO_ATTRIBUTES =
  '<user expand="attributes" name="alice">' +
  `<link rel="self" href="${B}/user?username=alice"/>` +
  '<first-name>Alice</first-name>' +
  '<last-name>Liddell</last-name>' +
  '<display-name>Alice Liddell</display-name>' +
  '<email>alice@example.com</email>' +
  `<password><link rel="edit" href="${B}/user/password?username=alice"/></password>` +
  '<key>32769:7b3f2c1e</key>' +
  '<created-date>2024-01-02T03:04:05.678Z</created-date>' +
  '<updated-date>2024-03-04T05:06:07.890Z</updated-date>' +
  '<active>true</active>' +
  `<attributes><link rel="self" href="${B}/user/attribute?username=alice"/></attributes>` +
  '</user>';

const ALICE_XML_WITH_ATTRIBUTES = ALICE_XML_NO_ATTRIBUTES.replace(
  `<attributes><link rel="self" href="${B}/user/attribute?username=alice"/></attributes>`,
  '<attributes>' +
    `<attribute name="department"><link rel="self" href="${B}/user/attribute?username=alice&amp;attributename=department"/>` +
    '<values><value>Engineering</value></values></attribute>' +
    `<attribute name="phones"><link rel="self" href="${B}/user/attribute?username=alice&amp;attributename=phones"/>` +
    '<values><value>1</value><value>2</value></values></attribute>' +
    `<link rel="self" href="${B}/user/attribute?username=alice"/>` +
    '</attributes>',
);

const ALICE_JSON_NO_ATTRIBUTES = {
  expand: 'attributes',
  link: { rel: 'self', href: `${B}/user?username=alice` },
  name: 'alice',
  'first-name': 'Alice',
  'last-name': 'Liddell',
  'display-name': 'Alice Liddell',
  email: 'alice@example.com',
  password: { link: { rel: 'edit', href: `${B}/user/password?username=alice` } },
  key: '32769:7b3f2c1e',
  'created-date': Date.UTC(2024, 0, 2, 3, 4, 5, 678),
  'updated-date': Date.UTC(2024, 2, 4, 5, 6, 7, 890),
  active: true,
  attributes: { link: { rel: 'self', href: `${B}/user/attribute?username=alice` }, attributes: [] },
};

const GROUP_XML =
  '<group expand="attributes" name="jira-software-users">' +
  `<link rel="self" href="${B}/group?groupname=jira-software-users"/>` +
  '<description>Jira users</description>' +
  '<type>GROUP</type>' +
  '<active>true</active>' +
  `<attributes><link rel="self" href="${B}/group/attribute?groupname=jira-software-users"/></attributes>` +
  '</group>';

const GROUP_JSON = {
  expand: 'attributes',
  link: { rel: 'self', href: `${B}/group?groupname=jira-software-users` },
  name: 'jira-software-users',
  description: 'Jira users',
  type: 'GROUP',
  active: true,
  attributes: { link: { rel: 'self', href: `${B}/group/attribute?groupname=jira-software-users` }, attributes: [] },
};

describe('user entity', () => {
  it('renders the XML golden without attribute entries', () => {
    expect(renderUser(alice, 'xml', links, false)).toBe(PROLOGUE + ALICE_XML_NO_ATTRIBUTES);
  });

  it('renders the XML golden with attribute entries and their links', () => {
    expect(renderUser(alice, 'xml', links, true)).toBe(PROLOGUE + ALICE_XML_WITH_ATTRIBUTES);
  });

  it('parses back: the elements Jira needs, in JAXB order', () => {
    const root = parseXml(renderUser(alice, 'xml', links, true));
    expect(root.name).toBe('user');
    expect(root.attributes).toEqual({ expand: 'attributes', name: 'alice' });
    expect(root.children.map((c) => c.name)).toEqual([
      'link',
      'first-name',
      'last-name',
      'display-name',
      'email',
      'password',
      'key',
      'created-date',
      'updated-date',
      'active',
      'attributes',
    ]);
    const attrs = child(root, 'attributes');
    expect(attrs.children.map((c) => c.name)).toEqual(['attribute', 'attribute', 'link']);
    expect(child(attrs.children[0]!, 'link').attributes['href']).toBe(
      `${B}/user/attribute?username=alice&attributename=department`,
    );
    expect(child(attrs.children[1]!, 'values').children.map((v) => v.text)).toEqual(['1', '2']);
  });

  it('renders the JSON golden (keys are the XML names, dates are epoch ms)', () => {
    const json: unknown = JSON.parse(renderUser(alice, 'json', links, false));
    expect(json).toEqual(ALICE_JSON_NO_ATTRIBUTES);
    expect(Object.keys(json as object)).toEqual(Object.keys(ALICE_JSON_NO_ATTRIBUTES));
  });

  it('renders JSON attributes as arrays under attributes.attributes', () => {
    const json = JSON.parse(renderUser(alice, 'json', links, true)) as { attributes: unknown };
    expect(json.attributes).toEqual({
      link: { rel: 'self', href: `${B}/user/attribute?username=alice` },
      attributes: [
        {
          link: { rel: 'self', href: `${B}/user/attribute?username=alice&attributename=department` },
          name: 'department',
          values: ['Engineering'],
        },
        {
          link: { rel: 'self', href: `${B}/user/attribute?username=alice&attributename=phones` },
          name: 'phones',
          values: ['1', '2'],
        },
      ],
    });
  });

  it('always writes active=false, empty names and email, and an empty attribute list', () => {
    const bare: CrowdUserView = {
      ...alice,
      active: false,
      firstName: '',
      lastName: '',
      displayName: '',
      email: '',
      attributes: undefined,
    };
    const root = parseXml(renderUser(bare, 'xml', links, true));
    expect(child(root, 'active').text).toBe('false');
    for (const name of ['first-name', 'last-name', 'display-name', 'email']) expect(child(root, name).text).toBe('');
    expect(child(root, 'attributes').children.map((c) => c.name)).toEqual(['link']);
    const json = JSON.parse(renderUser(bare, 'json', links, true)) as Record<string, unknown>;
    expect(json['active']).toBe(false);
    expect(json['email']).toBe('');
    expect(json['first-name']).toBe('');
  });

  it('keeps an xsd:dateTime with offset as given and normalises other parseable dates', () => {
    const u = { ...alice, createdAt: '2033-01-30T16:38:27.369+11:00', updatedAt: '2024-01-02' };
    const root = parseXml(renderUser(u, 'xml', links, false));
    expect(child(root, 'created-date').text).toBe('2033-01-30T16:38:27.369+11:00');
    expect(child(root, 'updated-date').text).toBe('2024-01-02T00:00:00.000Z');
    const json = JSON.parse(renderUser(u, 'json', links, false)) as Record<string, unknown>;
    expect(json['created-date']).toBe(Date.UTC(2033, 0, 30, 5, 38, 27, 369));
  });

  it('omits an unparseable date rather than emitting an invalid one', () => {
    const u = { ...alice, createdAt: 'not a date' };
    const root = parseXml(renderUser(u, 'xml', links, false));
    expect(root.children.some((c) => c.name === 'created-date')).toBe(false);
    expect(child(root, 'updated-date').text).toBe(alice.updatedAt);
    expect(JSON.parse(renderUser(u, 'json', links, false))).not.toHaveProperty('created-date');
  });

  it('escapes <&"\' and strips control characters in names and values', () => {
    const nasty: CrowdUserView = {
      ...alice,
      name: `a<b&c"d'e\u0001f`,
      displayName: 'x<y>&z\u0000',
      email: `q"'@x`,
      attributes: [{ name: 'k&"', values: ['<v>\u0008'] }],
    };
    const xml = renderUser(nasty, 'xml', links, true);
    expect(xml).toContain('name="a&lt;b&amp;c&quot;d&apos;ef"');
    expect(xml).toContain('<display-name>x&lt;y&gt;&amp;z</display-name>');
    expect(xml).not.toMatch(/[\u0000\u0001\u0008]/);
    const root = parseXml(xml);
    expect(root.attributes['name']).toBe(`a<b&c"d'ef`);
    expect(child(root, 'display-name').text).toBe('x<y>&z');
    expect(child(root, 'email').text).toBe(`q"'@x`);
    // The href carries the *full* name percent-encoded, then XML-escaped.
    expect(child(root, 'link').attributes['href']).toBe(`${B}/user?username=${encodeURIComponent(nasty.name)}`);
    const attribute = child(child(root, 'attributes'), 'attribute');
    expect(attribute.attributes['name']).toBe('k&"');
    expect(child(attribute, 'link').attributes['href']).toBe(
      `${B}/user/attribute?username=${encodeURIComponent(nasty.name)}&attributename=k%26%22`,
    );
    expect(child(child(attribute, 'values'), 'value').text).toBe('<v>');
    // JSON keeps the name exactly.
    expect((JSON.parse(renderUser(nasty, 'json', links, false)) as { name: string }).name).toBe(nasty.name);
  });

  it('URL-encodes names in links (space, slash, plus, unicode, lone surrogate)', () => {
    const root = parseXml(renderUser({ ...alice, name: 'a b/c+d\u00e9\uD800' }, 'xml', links, false));
    expect(child(root, 'link').attributes['href']).toBe(`${B}/user?username=a%20b%2Fc%2Bd%C3%A9%EF%BF%BD`);
    expect(child(child(root, 'password'), 'link').attributes['href']).toBe(
      `${B}/user/password?username=a%20b%2Fc%2Bd%C3%A9%EF%BF%BD`,
    );
  });
});

describe('group entity', () => {
  it('renders the XML golden', () => {
    expect(renderGroup(group, 'xml', links, false)).toBe(PROLOGUE + GROUP_XML);
  });

  it('renders the JSON golden', () => {
    const json: unknown = JSON.parse(renderGroup(group, 'json', links, false));
    expect(json).toEqual(GROUP_JSON);
  });

  it('renders attribute entries with group links when expanded', () => {
    const root = parseXml(renderGroup(group, 'xml', links, true));
    const attrs = child(root, 'attributes');
    expect(attrs.children.map((c) => c.name)).toEqual(['attribute', 'link']);
    expect(child(attrs.children[0]!, 'link').attributes['href']).toBe(
      `${B}/group/attribute?groupname=jira-software-users&attributename=source`,
    );
    const json = JSON.parse(renderGroup(group, 'json', links, true)) as { attributes: { attributes: unknown[] } };
    expect(json.attributes.attributes).toEqual([
      {
        link: { rel: 'self', href: `${B}/group/attribute?groupname=jira-software-users&attributename=source` },
        name: 'source',
        values: ['okta'],
      },
    ]);
  });

  it('always writes type, active=false and an empty description', () => {
    const root = parseXml(renderGroup({ name: 'g', description: '', active: false }, 'xml', links, false));
    expect(root.children.map((c) => c.name)).toEqual(['link', 'description', 'type', 'active', 'attributes']);
    expect(child(root, 'type').text).toBe('GROUP');
    expect(child(root, 'active').text).toBe('false');
    expect(child(root, 'description').text).toBe('');
  });
});

describe('error entity', () => {
  it('renders XML', () => {
    expect(renderError('USER_NOT_FOUND', 'User <bob> does not exist', 'xml')).toBe(
      `${PROLOGUE}<error><reason>USER_NOT_FOUND</reason><message>User &lt;bob&gt; does not exist</message></error>`,
    );
  });

  it('renders JSON', () => {
    expect(renderError('USER_NOT_FOUND', 'User <bob> does not exist', 'json')).toBe(
      '{"reason":"USER_NOT_FOUND","message":"User <bob> does not exist"}',
    );
  });

  it('strips characters invalid in XML from the message in both formats', () => {
    const root = parseXml(renderError('ILLEGAL_ARGUMENT', 'bad\u0000name\uFFFF', 'xml'));
    expect(child(root, 'message').text).toBe('badname');
    expect(JSON.parse(renderError('ILLEGAL_ARGUMENT', 'bad\u0000name', 'json'))).toEqual({
      reason: 'ILLEGAL_ARGUMENT',
      message: 'badname',
    });
  });
});

describe('user and group lists', () => {
  const bob: CrowdUserView = { ...alice, name: 'bob', key: 'k-bob', attributes: [] };

  it('writes minimal XML user entries without expansion', () => {
    const xml = write(userListWriter('xml', links, { entity: false, attributes: false }), [alice, bob]);
    expect(xml).toBe(
      `${PROLOGUE}<users expand="user">` +
        `<user name="alice"><link rel="self" href="${B}/user?username=alice"/></user>` +
        `<user name="bob"><link rel="self" href="${B}/user?username=bob"/></user>` +
        '</users>',
    );
  });

  it('writes minimal JSON user entries without expansion', () => {
    const json = write(userListWriter('json', links, { entity: false, attributes: true }), [alice, bob]);
    expect(JSON.parse(json)).toEqual({
      expand: 'user',
      users: [
        { link: { rel: 'self', href: `${B}/user?username=alice` }, name: 'alice' },
        { link: { rel: 'self', href: `${B}/user?username=bob` }, name: 'bob' },
      ],
    });
  });

  it('writes full XML entities with expand=user and attributes only with expand=attributes', () => {
    const plain = write(userListWriter('xml', links, { entity: true, attributes: false }), [alice]);
    expect(plain).toBe(`${PROLOGUE}<users expand="user">${ALICE_XML_NO_ATTRIBUTES}</users>`);
    const withAttributes = write(userListWriter('xml', links, { entity: true, attributes: true }), [alice]);
    expect(withAttributes).toBe(`${PROLOGUE}<users expand="user">${ALICE_XML_WITH_ATTRIBUTES}</users>`);
  });

  it('writes full JSON entities with expand=user', () => {
    const json = JSON.parse(
      write(userListWriter('json', links, { entity: true, attributes: false }), [alice, bob]),
    ) as {
      expand: string;
      users: Record<string, unknown>[];
    };
    expect(json.expand).toBe('user');
    expect(json.users).toHaveLength(2);
    expect(json.users[0]).toEqual(ALICE_JSON_NO_ATTRIBUTES);
    expect(json.users[1]!['key']).toBe('k-bob');
  });

  it('writes valid empty lists', () => {
    const xml = write(userListWriter('xml', links, { entity: true, attributes: false }), []);
    expect(parseXml(xml)).toEqual({ name: 'users', attributes: { expand: 'user' }, children: [], text: '' });
    expect(JSON.parse(write(userListWriter('json', links, { entity: false, attributes: false }), []))).toEqual({
      expand: 'user',
      users: [],
    });
    expect(JSON.parse(write(groupListWriter('json', links, { entity: true, attributes: false }), []))).toEqual({
      expand: 'group',
      groups: [],
    });
  });

  it('writes group lists minimal and expanded', () => {
    const other: CrowdGroupView = { name: 'a&b', description: 'd', active: true };
    const minimal = write(groupListWriter('xml', links, { entity: false, attributes: false }), [group, other]);
    expect(minimal).toBe(
      `${PROLOGUE}<groups expand="group">` +
        `<group name="jira-software-users"><link rel="self" href="${B}/group?groupname=jira-software-users"/></group>` +
        `<group name="a&amp;b"><link rel="self" href="${B}/group?groupname=a%26b"/></group>` +
        '</groups>',
    );
    const expanded = write(groupListWriter('xml', links, { entity: true, attributes: false }), [group]);
    expect(expanded).toBe(`${PROLOGUE}<groups expand="group">${GROUP_XML}</groups>`);
    const json = JSON.parse(
      write(groupListWriter('json', links, { entity: true, attributes: false }), [group, other]),
    ) as {
      groups: unknown[];
    };
    expect(json.groups[0]).toEqual(GROUP_JSON);
    expect(json.groups).toHaveLength(2);
  });

  it('produces documents that parse back to the same names', () => {
    const xml = write(userListWriter('xml', links, { entity: true, attributes: true }), [alice, bob]);
    expect(parseXml(xml).children.map((c) => c.attributes['name'])).toEqual(['alice', 'bob']);
  });
});

describe('memberships (GET /group/membership)', () => {
  const memberships: CrowdMembershipView[] = [
    { group: 'parent-group', users: ['parent-group-user', 'u&2'], groups: ['child-group'] },
    { group: 'child-group', users: [], groups: [] },
  ];

  it('renders the golden document with empty <users/> and <groups/> present', () => {
    expect(write(membershipsWriter(), memberships)).toBe(
      `${PROLOGUE}<memberships>` +
        '<membership group="parent-group"><users><user name="parent-group-user"/><user name="u&amp;2"/></users>' +
        '<groups><group name="child-group"/></groups></membership>' +
        '<membership group="child-group"><users/><groups/></membership>' +
        '</memberships>',
    );
  });

  it('parses back with users and groups under every membership', () => {
    const root = parseXml(write(membershipsWriter(), memberships));
    expect(root.name).toBe('memberships');
    expect(root.children.map((m) => m.attributes['group'])).toEqual(['parent-group', 'child-group']);
    for (const m of root.children) expect(m.children.map((c) => c.name)).toEqual(['users', 'groups']);
    expect(child(root.children[0]!, 'users').children.map((u) => u.attributes['name'])).toEqual([
      'parent-group-user',
      'u&2',
    ]);
    expect(child(root.children[1]!, 'groups').children).toEqual([]);
  });

  it('writes an empty document for no groups', () => {
    expect(parseXml(write(membershipsWriter(), []))).toEqual({
      name: 'memberships',
      attributes: {},
      children: [],
      text: '',
    });
  });
});
