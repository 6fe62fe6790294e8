/**
 * Property-based tests of the Crowd codecs (facades/crowd/codec/): entities.ts, events.ts,
 * session.ts, credentials.ts and xml.ts.
 *
 * Random users, groups, attribute sets, events and sessions — strings drawn from all of Unicode,
 * lone surrogates and characters XML 1.0 cannot carry included — are rendered to XML and JSON:
 * - the XML is always well formed (the project's strict reader and fast-xml-parser's validator
 *   accept it, and it holds no character XML 1.0 forbids);
 * - reading it back gives the values, minus what the contract says is dropped (characters XML
 *   cannot carry are stripped, Crowd's `stripNonValidXMLCharacters`) and what XML itself
 *   normalises (a literal CR in character data reads as LF, XML 1.0 §2.11);
 * - the JSON always parses and gives the values exactly.
 */
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { DirectoryError } from '../../src/domain/errors';
import type { RequestBody } from '../../facades/crowd/body';
import {
  groupListWriter,
  membershipsWriter,
  renderError,
  renderGroup,
  renderUser,
  renderUserAttributes,
  userListWriter,
  type LinkBase,
} from '../../facades/crowd/codec/entities';
import { renderEvents, renderEventToken } from '../../facades/crowd/codec/events';
import {
  authenticationContextFromBody,
  factorsFromBody,
  passwordFromBody,
} from '../../facades/crowd/codec/credentials';
import { renderCookieConfig, renderSession } from '../../facades/crowd/codec/session';
import {
  escapeXmlAttribute,
  escapeXmlText,
  isValidXmlText,
  stripNonValidXmlCharacters,
} from '../../facades/crowd/codec/xml';
import { parseXml, type XmlElement } from '../../facades/crowd/codec/xml-reader';
import type { AttributeView, CrowdGroupView, CrowdUserView, EventView } from '../../facades/crowd/graphql-types';
import { anyText, normaliseLineEnds, onlyInvalidArgument, params, stripXmlInvalid, xmlText } from './arbitraries';

const LINKS: LinkBase = { baseUrl: 'https://crowd.example/crowd/rest/usermanagement/1' };

// ---------------------------------------------------------------------------------------------
// Arbitraries

const attributes: fc.Arbitrary<AttributeView[]> = fc.array(
  fc.record({ name: anyText(8), values: fc.array(anyText(8), { maxLength: 3 }) }),
  { maxLength: 3 },
);

/** ISO dates as the GraphQL DateTime scalar gives them (any year JavaScript can hold), other spellings, and garbage. */
const isoDate: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
  {
    weight: 2,
    arbitrary: fc
      .date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString()),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '2010-12-08T16:11:21.181+11:00',
      '2024-02-29',
      'Tue, 01 Jan 2030 00:00:00 GMT',
      '',
      'not a date',
      '2020-13-45T99:99:99Z',
    ),
  },
  { weight: 1, arbitrary: anyText(6) },
);

const user: fc.Arbitrary<CrowdUserView> = fc.record({
  name: anyText(),
  key: anyText(),
  firstName: anyText(),
  lastName: anyText(),
  displayName: anyText(),
  email: anyText(),
  active: fc.boolean(),
  createdAt: isoDate,
  updatedAt: isoDate,
  attributes: fc.option(attributes, { nil: undefined }),
});

const group: fc.Arbitrary<CrowdGroupView> = fc.record({
  name: anyText(),
  description: anyText(),
  active: fc.boolean(),
  attributes: fc.option(attributes, { nil: undefined }),
});

const eventView: fc.Arbitrary<EventView> = fc.oneof(
  fc.record({
    type: fc.constant('user'),
    operation: fc.constantFrom('CREATED', 'UPDATED', 'DELETED'),
    user: fc.record({
      name: anyText(),
      key: anyText(),
      firstName: anyText(),
      lastName: anyText(),
      displayName: anyText(),
      email: anyText(),
      active: fc.boolean(),
    }),
    group: fc.constant(null),
    childUser: fc.constant(null),
    parentGroups: fc.constant(null),
    childGroups: fc.constant(null),
  }),
  fc.record({
    type: fc.constant('group'),
    operation: fc.constantFrom('CREATED', 'UPDATED', 'DELETED'),
    user: fc.constant(null),
    group: fc.record({ name: anyText(), description: anyText(), active: fc.boolean() }),
    childUser: fc.constant(null),
    parentGroups: fc.constant(null),
    childGroups: fc.constant(null),
  }),
  fc.record({
    type: fc.constant('userMembership'),
    operation: fc.constant('UPDATED'),
    user: fc.constant(null),
    group: fc.constant(null),
    childUser: anyText().filter((s) => s !== ''), // an event without a user is skipped (events.ts)
    parentGroups: fc.array(anyText(6), { maxLength: 4 }),
    childGroups: fc.constant(null),
  }),
  fc.record({
    type: fc.constant('groupMembership'),
    operation: fc.constant('UPDATED'),
    user: fc.constant(null),
    group: fc.record({ name: anyText(), description: fc.constant(''), active: fc.constant(true) }),
    childUser: fc.constant(null),
    parentGroups: fc.array(anyText(6), { maxLength: 4 }),
    childGroups: fc.array(anyText(6), { maxLength: 4 }),
  }),
);

// ---------------------------------------------------------------------------------------------
// Reading XML back

/** Well formed for the strict reader and for fast-xml-parser, and free of characters XML 1.0 forbids. */
function wellFormed(xml: string): XmlElement {
  expect(isValidXmlText(xml)).toBe(true);
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')).toBe(true);
  return parseXml(xml);
}

function child(el: XmlElement, name: string): XmlElement {
  const found = el.children.find((c) => c.name === name);
  if (!found) throw new Error(`<${el.name}> has no <${name}>: ${JSON.stringify(el.children.map((c) => c.name))}`);
  return found;
}

/** What character data reads back as: invalid characters stripped, CR read as LF. */
const asText = (s: string): string => normaliseLineEnds(stripXmlInvalid(s));
/** What an attribute value reads back as: invalid characters stripped, TAB/LF/CR kept (escaped as references). */
const asAttribute = (s: string): string => stripXmlInvalid(s);
/** What a percent-encoded link argument decodes to: lone surrogates become U+FFFD (links.ts). */
const asLinkArgument = (s: string): string =>
  s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

function linkArgument(el: XmlElement, rel: string, argument: string): string | null {
  const link = el.children.find((c) => c.name === 'link' && c.attributes.rel === rel);
  if (!link) throw new Error(`<${el.name}> has no link rel=${rel}`);
  return new URL(link.attributes.href!).searchParams.get(argument);
}

/** xsd:dateTime (XML Schema 1.0 §3.2.7): a year of four digits, or more without leading zeros, optional '-' sign. */
const XSD_DATE_TIME =
  /^-?(?:[1-9]\d{4,}|\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

function expectXmlDate(el: XmlElement, name: string, iso: string): void {
  const found = el.children.find((c) => c.name === name);
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    expect(found).toBeUndefined();
    return;
  }
  expect(found).toBeDefined();
  expect(found!.text).toMatch(XSD_DATE_TIME);
  expect(Date.parse(xsdToIso(found!.text))).toBe(ms);
}

/** xsd years beyond four digits (`10000`, `-10000`) in ISO's extended form (`+010000`), which Date.parse reads. */
function xsdToIso(text: string): string {
  const m = /^(-?)(\d+)(-.*)$/.exec(text)!;
  return m[2]!.length === 4 && m[1] === '' ? text : `${m[1] === '-' ? '-' : '+'}${m[2]!.padStart(6, '0')}${m[3]}`;
}

function expectAttributesXml(el: XmlElement, expected: readonly AttributeView[]): void {
  const list = child(el, 'attributes');
  const entries = list.children.filter((c) => c.name === 'attribute');
  expect(
    entries.map((a) => ({ name: a.attributes.name, values: child(a, 'values').children.map((v) => v.text) })),
  ).toEqual(expected.map((a) => ({ name: asAttribute(a.name), values: a.values.map(asText) })));
}

function expectUserXml(el: XmlElement, u: CrowdUserView, expanded: boolean): void {
  expect(el.name).toBe('user');
  expect(el.attributes.name).toBe(asAttribute(u.name));
  expect(linkArgument(el, 'self', 'username')).toBe(asLinkArgument(u.name));
  expect(el.children.map((c) => c.name).filter((n) => !n.endsWith('-date'))).toEqual([
    'link',
    'first-name',
    'last-name',
    'display-name',
    'email',
    'password',
    'key',
    'active',
    'attributes',
  ]);
  expect(child(el, 'first-name').text).toBe(asText(u.firstName));
  expect(child(el, 'last-name').text).toBe(asText(u.lastName));
  expect(child(el, 'display-name').text).toBe(asText(u.displayName));
  expect(child(el, 'email').text).toBe(asText(u.email));
  expect(child(el, 'key').text).toBe(asText(u.key));
  expect(child(el, 'active').text).toBe(String(u.active));
  expectXmlDate(el, 'created-date', u.createdAt);
  expectXmlDate(el, 'updated-date', u.updatedAt);
  expectAttributesXml(el, expanded ? (u.attributes ?? []) : []);
}

function expectUserJson(json: Record<string, unknown>, u: CrowdUserView, expanded: boolean): void {
  expect(json).toMatchObject({
    name: u.name,
    key: u.key,
    'first-name': u.firstName,
    'last-name': u.lastName,
    'display-name': u.displayName,
    email: u.email,
    active: u.active,
  });
  const created = Date.parse(u.createdAt);
  expect(json['created-date']).toEqual(Number.isNaN(created) ? undefined : created);
  const list = (json.attributes as { attributes: AttributeView[] }).attributes;
  expect(list.map((a) => ({ name: a.name, values: a.values }))).toEqual(
    expanded ? (u.attributes ?? []).map((a) => ({ name: a.name, values: a.values })) : [],
  );
}

// ---------------------------------------------------------------------------------------------

describe('Crowd codecs (property-based)', () => {
  describe('xml.ts', () => {
    test('escaping any string gives well-formed XML that reads back as the string minus the characters XML forbids', () => {
      fc.assert(
        fc.property(anyText(40), (s) => {
          const doc = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><a d="${escapeXmlAttribute(s)}" s='${escapeXmlAttribute(s)}'>${escapeXmlText(s)}</a>`;
          const el = wellFormed(doc);
          expect(el.attributes.d).toBe(asAttribute(s));
          expect(el.attributes.s).toBe(asAttribute(s));
          expect(el.text).toBe(asText(s));
          expect(escapeXmlText(s)).not.toContain(']]>');
          const stripped = stripNonValidXmlCharacters(s);
          expect(isValidXmlText(stripped)).toBe(true);
          expect(stripNonValidXmlCharacters(stripped)).toBe(stripped);
          expect(isValidXmlText(s)).toBe(stripped === s);
        }),
        params(1000),
      );
    });
  });

  describe('entities.ts', () => {
    test('a user renders to well-formed XML and to JSON that read back as the user', () => {
      fc.assert(
        fc.property(user, fc.boolean(), (u, expanded) => {
          expectUserXml(wellFormed(renderUser(u, 'xml', LINKS, expanded)), u, expanded);
          expectUserJson(JSON.parse(renderUser(u, 'json', LINKS, expanded)) as Record<string, unknown>, u, expanded);
        }),
        params(500),
      );
    });

    test('a group renders to well-formed XML and to JSON that read back as the group', () => {
      fc.assert(
        fc.property(group, fc.boolean(), (g, expanded) => {
          const el = wellFormed(renderGroup(g, 'xml', LINKS, expanded));
          expect(el.attributes.name).toBe(asAttribute(g.name));
          expect(linkArgument(el, 'self', 'groupname')).toBe(asLinkArgument(g.name));
          expect(el.children.map((c) => c.name)).toEqual(['link', 'description', 'type', 'active', 'attributes']);
          expect(child(el, 'description').text).toBe(asText(g.description));
          expect(child(el, 'type').text).toBe('GROUP');
          expect(child(el, 'active').text).toBe(String(g.active));
          expectAttributesXml(el, expanded ? (g.attributes ?? []) : []);
          const json = JSON.parse(renderGroup(g, 'json', LINKS, expanded)) as Record<string, unknown>;
          expect(json).toMatchObject({ name: g.name, description: g.description, type: 'GROUP', active: g.active });
        }),
        params(400),
      );
    });

    test('attribute lists render to well-formed XML and JSON with every name and value', () => {
      fc.assert(
        fc.property(anyText(), attributes, (name, list) => {
          const el = wellFormed(renderUserAttributes(name, list, 'xml', LINKS));
          expect(el.name).toBe('attributes');
          expectAttributesXml({ name: 'x', attributes: {}, text: '', children: [el] }, list);
          const json = JSON.parse(renderUserAttributes(name, list, 'json', LINKS)) as { attributes: AttributeView[] };
          expect(json.attributes.map((a) => ({ name: a.name, values: a.values }))).toEqual(list);
        }),
        params(300),
      );
    });

    test('user and group lists (streamed as start + items + end) are well formed and complete, in both formats', () => {
      fc.assert(
        fc.property(
          fc.array(user, { maxLength: 5 }),
          fc.array(group, { maxLength: 5 }),
          fc.boolean(),
          fc.boolean(),
          (users, groups, entity, attrs) => {
            const expand = { entity, attributes: attrs };
            for (const format of ['xml', 'json'] as const) {
              const uw = userListWriter(format, LINKS, expand);
              const gw = groupListWriter(format, LINKS, expand);
              const ul = uw.start() + users.map((u) => uw.item(u)).join('') + uw.end();
              const gl = gw.start() + groups.map((g) => gw.item(g)).join('') + gw.end();
              if (format === 'xml') {
                const ue = wellFormed(ul);
                expect(ue.children.map((c) => c.attributes.name)).toEqual(users.map((u) => asAttribute(u.name)));
                if (entity) ue.children.forEach((c, i) => expectUserXml(c, users[i]!, attrs));
                expect(wellFormed(gl).children.map((c) => c.attributes.name)).toEqual(
                  groups.map((g) => asAttribute(g.name)),
                );
              } else {
                const uj = JSON.parse(ul) as { expand: string; users: Array<Record<string, unknown>> };
                expect(uj.expand).toBe('user');
                expect(uj.users.map((u) => u.name)).toEqual(users.map((u) => u.name));
                if (entity) uj.users.forEach((j, i) => expectUserJson(j, users[i]!, attrs));
                expect((JSON.parse(gl) as { groups: Array<{ name: string }> }).groups.map((g) => g.name)).toEqual(
                  groups.map((g) => g.name),
                );
              }
            }
          },
        ),
        params(200),
      );
    });

    test('/group/membership is well formed, always has <users> and <groups>, and lists every name', () => {
      const membership = fc.record({
        group: anyText(),
        users: fc.array(anyText(6), { maxLength: 4 }),
        groups: fc.array(anyText(6), { maxLength: 3 }),
      });
      fc.assert(
        fc.property(fc.array(membership, { maxLength: 5 }), (list) => {
          const w = membershipsWriter();
          const el = wellFormed(w.start() + list.map((m) => w.item(m)).join('') + w.end());
          expect(
            el.children.map((m) => ({
              group: m.attributes.group,
              users: child(m, 'users').children.map((u) => u.attributes.name),
              groups: child(m, 'groups').children.map((g) => g.attributes.name),
            })),
          ).toEqual(
            list.map((m) => ({
              group: asAttribute(m.group),
              users: m.users.map(asAttribute),
              groups: m.groups.map(asAttribute),
            })),
          );
        }),
        params(300),
      );
    });

    test('errors are well formed with the message sanitised, in both formats', () => {
      fc.assert(
        fc.property(
          fc.constantFrom('USER_NOT_FOUND', 'ILLEGAL_ARGUMENT', 'OPERATION_FAILED'),
          anyText(30),
          (reason, message) => {
            const el = wellFormed(renderError(reason, message, 'xml'));
            expect(child(el, 'reason').text).toBe(reason);
            expect(child(el, 'message').text).toBe(asText(message));
            expect(JSON.parse(renderError(reason, message, 'json'))).toEqual({
              reason,
              message: stripXmlInvalid(message),
            });
          },
        ),
        params(300),
      );
    });
  });

  describe('events.ts', () => {
    test('event documents are well formed, carry every event in order, and JSON parses', () => {
      fc.assert(
        fc.property(anyText(8), fc.array(eventView, { maxLength: 6 }), (token, events) => {
          const el = wellFormed(renderEvents(token, events, 'xml', LINKS));
          expect(el.name).toBe('events');
          expect(el.attributes.newEventToken).toBe(asAttribute(token));
          expect(el.attributes.incrementalSynchronisationAvailable).toBeUndefined();
          const read = el.children.map((e) => {
            const operation = child(e, 'operation').text;
            const names = (list: string) => child(e, list).children.map((g) => g.attributes.name);
            switch (e.name) {
              case 'userEvent': {
                const u = child(e, 'user');
                return {
                  operation,
                  name: u.attributes.name,
                  active: child(u, 'active').text,
                  email: child(u, 'email').text,
                };
              }
              case 'groupEvent': {
                const g = child(e, 'group');
                return {
                  operation,
                  name: g.attributes.name,
                  active: child(g, 'active').text,
                  description: child(g, 'description').text,
                };
              }
              case 'userMembershipEvent':
                return { operation, name: child(e, 'childUser').attributes.name, parents: names('parentGroups') };
              default:
                return {
                  operation,
                  name: child(e, 'group').attributes.name,
                  parents: names('parentGroups'),
                  children: names('childGroups'),
                };
            }
          });
          expect(read).toEqual(
            events.map((e) => {
              switch (e.type) {
                case 'user':
                  return {
                    operation: e.operation,
                    name: asAttribute(e.user!.name),
                    active: String(e.user!.active),
                    email: asText(e.user!.email),
                  };
                case 'group':
                  return {
                    operation: e.operation,
                    name: asAttribute(e.group!.name),
                    active: String(e.group!.active),
                    description: asText(e.group!.description),
                  };
                case 'userMembership':
                  return {
                    operation: e.operation,
                    name: asAttribute(e.childUser!),
                    parents: e.parentGroups!.map(asAttribute),
                  };
                default:
                  return {
                    operation: e.operation,
                    name: asAttribute(e.group!.name),
                    parents: e.parentGroups!.map(asAttribute),
                    children: e.childGroups!.map(asAttribute),
                  };
              }
            }),
          );
          const json = JSON.parse(renderEvents(token, events, 'json', LINKS)) as {
            newEventToken: string;
            events: Array<{ type: string; operation: string }>;
          };
          expect(json.newEventToken).toBe(token);
          expect(json.events.map((e) => e.type)).toEqual(events.map((e) => `${e.type}Event`));
          const tokenDoc = wellFormed(renderEventToken(token, 'xml'));
          expect(tokenDoc.attributes).toEqual({
            incrementalSynchronisationAvailable: 'true',
            newEventToken: asAttribute(token),
          });
          expect(JSON.parse(renderEventToken(token, 'json'))).toEqual({
            incrementalSynchronisationAvailable: true,
            newEventToken: token,
          });
        }),
        params(300),
      );
    });
  });

  describe('session.ts', () => {
    test('sessions and cookie configurations are well formed and read back, in both formats', () => {
      const instant = fc.date({ min: new Date('2000-01-01'), max: new Date('2200-01-01'), noInvalidDate: true });
      fc.assert(
        fc.property(
          anyText(20),
          instant,
          instant,
          user,
          fc.boolean(),
          anyText(),
          fc.boolean(),
          (token, createdAt, expiresAt, u, attrs, domain, secure) => {
            const session = { token, createdAt, expiresAt };
            const el = wellFormed(renderSession(session, u, 'xml', LINKS, attrs));
            expect(el.children.map((c) => c.name)).toEqual(['token', 'user', 'link', 'created-date', 'expiry-date']);
            expect(child(el, 'token').text).toBe(asText(token));
            expectUserXml(child(el, 'user'), u, attrs);
            const self = el.children.find((c) => c.name === 'link')!.attributes.href!;
            expect(decodeURIComponent(self.slice(self.lastIndexOf('/') + 1))).toBe(asLinkArgument(token));
            expect(Date.parse(child(el, 'created-date').text)).toBe(createdAt.getTime());
            const json = JSON.parse(renderSession(session, u, 'json', LINKS, attrs)) as Record<string, unknown>;
            expect(json).toMatchObject({
              token,
              'created-date': createdAt.getTime(),
              'expiry-date': expiresAt.getTime(),
            });
            expectUserJson(json.user as Record<string, unknown>, u, attrs);

            const cookie = wellFormed(renderCookieConfig({ domain, secure, name: token }, 'xml'));
            expect(cookie.children.map((c) => [c.name, c.text])).toEqual([
              ['domain', asText(domain)],
              ['secure', String(secure)],
              ['name', asText(token)],
            ]);
            expect(JSON.parse(renderCookieConfig({ domain, secure, name: token }, 'json'))).toEqual({
              domain,
              secure,
              name: token,
            });
          },
        ),
        params(200),
      );
    });
  });

  describe('credentials.ts', () => {
    const xmlEscape = (s: string) =>
      s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
    const xmlBody = (text: string): RequestBody => ({ kind: 'xml', root: parseXml(text) });

    test('password, authentication context and validation factors read back from XML and JSON bodies', () => {
      const factor = fc.record({ name: xmlText(8), value: xmlText(8) });
      fc.assert(
        fc.property(
          xmlText(20),
          nonEmptyXmlText(),
          fc.array(factor, { maxLength: 3 }),
          (password, username, factors) => {
            expect(passwordFromBody(xmlBody(`<password><value>${xmlEscape(password)}</value></password>`))).toBe(
              password,
            );
            expect(
              passwordFromBody({ kind: 'json', value: JSON.parse(JSON.stringify({ value: password })) as unknown }),
            ).toBe(password);
            const factorsXml = `<validation-factors>${factors.map((f) => `<validation-factor><name>${xmlEscape(f.name)}</name><value>${xmlEscape(f.value)}</value></validation-factor>`).join('')}</validation-factors>`;
            const context = xmlBody(
              `<authentication-context><username>${xmlEscape(username)}</username><password>${xmlEscape(password)}</password>${factorsXml}</authentication-context>`,
            );
            expect(authenticationContextFromBody(context)).toEqual({ username, password, factors });
            expect(factorsFromBody(xmlBody(factorsXml))).toEqual(factors);
            expect(
              authenticationContextFromBody({
                kind: 'json',
                value: { username, password, 'validation-factors': { validationFactors: factors } },
              }),
            ).toEqual({ username, password, factors });
            expect(factorsFromBody({ kind: 'json', value: { validationFactors: factors } })).toEqual(factors);
          },
        ),
        params(300),
      );
    });

    test('any JSON or XML body never throws anything but DirectoryError INVALID_ARGUMENT', () => {
      const keys = fc.constantFrom(
        'value',
        'username',
        'userName',
        'name',
        'password',
        'validation-factors',
        'validation-factor',
        'validationFactors',
        '__proto__',
        'x',
      );
      const json: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
        node: fc.oneof(
          { maxDepth: 3, depthIdentifier: 'cred' },
          fc.constantFrom(null, true, 1, '', 'x'),
          anyText(4),
          fc.array(tie('node'), { maxLength: 3, depthIdentifier: 'cred' }),
          fc.dictionary(keys, tie('node'), { maxKeys: 4, depthIdentifier: 'cred' }),
        ),
      })).node;
      const names = fc.constantFrom(
        'password',
        'value',
        'authentication-context',
        'username',
        'validation-factors',
        'validation-factor',
        'name',
        'x',
      );
      const element: fc.Arbitrary<string> = fc.letrec<{ el: string }>((tie) => ({
        el: fc.oneof(
          { maxDepth: 3, depthIdentifier: 'credxml' },
          xmlText(4).map(xmlEscape),
          fc
            .tuple(names, fc.array(tie('el'), { maxLength: 3, depthIdentifier: 'credxml' }))
            .map(([n, children]) => `<${n}>${children.join('')}</${n}>`),
        ),
      })).el;
      const xmlRoot = fc
        .tuple(names, fc.array(element, { maxLength: 3 }))
        .map(([n, children]) => `<${n}>${children.join('')}</${n}>`);
      const body: fc.Arbitrary<RequestBody> = fc.oneof(
        fc.constant<RequestBody>({ kind: 'empty' }),
        json.map((value): RequestBody => ({
          kind: 'json',
          value: JSON.parse(JSON.stringify(value) ?? 'null') as unknown,
        })),
        xmlRoot.map(xmlBody),
      );
      fc.assert(
        fc.property(body, (b) => {
          for (const read of [passwordFromBody, authenticationContextFromBody, factorsFromBody]) {
            const result = onlyInvalidArgument(() => read(b));
            if (!(result instanceof DirectoryError) && read === passwordFromBody) expect(typeof result).toBe('string');
          }
        }),
        params(1000),
      );
    });
  });
});

function nonEmptyXmlText(): fc.Arbitrary<string> {
  return xmlText(10).filter((s) => s !== '');
}
