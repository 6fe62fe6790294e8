import { parseXml } from '../../../../facades/crowd/codec/xml-reader';
import { parseCql } from '../../../../facades/crowd/search/cql';
import {
  MAX_RESTRICTION_DEPTH,
  parseJsonRestriction,
  parseXmlRestriction,
  type SearchRestriction,
} from '../../../../facades/crowd/search/restriction';
import {
  MAX_SEARCH_TERMS,
  restrictionToGroupFilter,
  restrictionToUserFilter,
  type TranslateOptions,
} from '../../../../facades/crowd/search/to-filter';
import { expectInvalid } from './expect-invalid';

const POST: TranslateOptions = { unknownPropertyAs: 'attribute' };
const CQL: TranslateOptions = { unknownPropertyAs: 'error' };

const prop = (name: string, matchMode: string, value?: string, type = 'STRING'): SearchRestriction =>
  ({ kind: 'property', name, type, matchMode, ...(value === undefined ? {} : { value }) }) as SearchRestriction;

describe('restrictionToUserFilter', () => {
  it('translates the Jira testConnection restriction (name NULL)', () => {
    const r = parseXmlRestriction(
      parseXml(
        '<property-search-restriction><property><name>name</name><type>STRING</type></property><match-mode>NULL</match-mode></property-search-restriction>',
      ),
    );
    expect(restrictionToUserFilter(r, POST)).toEqual({ name: { isEmpty: true } });
  });

  it('translates null to match-all', () => {
    expect(restrictionToUserFilter({ kind: 'null' }, POST)).toEqual({});
    expect(restrictionToUserFilter(parseCql(''), CQL)).toEqual({});
  });

  it.each<[string, Record<string, string>]>([
    ['EXACTLY_MATCHES', { equals: 'v' }],
    ['STARTS_WITH', { startsWith: 'v' }],
    ['ENDS_WITH', { endsWith: 'v' }],
    ['CONTAINS', { contains: 'v' }],
    ['LESS_THAN', { lessThan: 'v' }],
    ['GREATER_THAN', { greaterThan: 'v' }],
  ])('maps string mode %s', (mode, condition) => {
    for (const field of ['name', 'email', 'firstName', 'lastName', 'displayName', 'externalId']) {
      expect(restrictionToUserFilter(prop(field, mode, 'v'), POST)).toEqual({ [field]: condition });
    }
  });

  it('expands the inclusive string modes into OR of strict and equal', () => {
    expect(restrictionToUserFilter(prop('email', 'LESS_THAN_OR_EQUAL', 'm'), POST)).toEqual({
      or: [{ email: { lessThan: 'm' } }, { email: { equals: 'm' } }],
    });
    expect(restrictionToUserFilter(prop('email', 'GREATER_THAN_OR_EQUAL', 'm'), POST)).toEqual({
      or: [{ email: { greaterThan: 'm' } }, { email: { equals: 'm' } }],
    });
  });

  it('translates nested AND / OR', () => {
    expect(restrictionToUserFilter(parseCql('(name=a* or email=*@x*) and displayName=Bob'), CQL)).toEqual({
      and: [{ or: [{ name: { startsWith: 'a' } }, { email: { contains: '@x' } }] }, { displayName: { equals: 'Bob' } }],
    });
  });

  it('reads active with Boolean.valueOf semantics', () => {
    expect(restrictionToUserFilter(prop('active', 'EXACTLY_MATCHES', 'true', 'BOOLEAN'), POST)).toEqual({
      active: true,
    });
    expect(restrictionToUserFilter(prop('active', 'EXACTLY_MATCHES', 'TRUE'), POST)).toEqual({ active: true });
    expect(restrictionToUserFilter(prop('active', 'EXACTLY_MATCHES', 'false'), POST)).toEqual({ active: false });
    expect(restrictionToUserFilter(prop('active', 'EXACTLY_MATCHES', 'yes'), POST)).toEqual({ active: false });
    expect(restrictionToUserFilter(parseCql('active=True'), CQL)).toEqual({ active: true });
  });

  it('rejects non-equality modes on booleans', () => {
    expectInvalid(
      () => restrictionToUserFilter(prop('active', 'STARTS_WITH', 't'), POST),
      /^match mode STARTS_WITH is not supported for the boolean property "active"; use EXACTLY_MATCHES$/,
    );
    expectInvalid(
      () => restrictionToUserFilter(prop('active', 'NULL'), POST),
      /match mode NULL is not supported for the boolean property/,
    );
    expectInvalid(() => restrictionToUserFilter(parseCql('active=t*'), CQL), /STARTS_WITH is not supported/);
  });

  it('translates date comparisons with the 1 ms shift for inclusive modes', () => {
    const v = '2010-12-08T16:11:21.181+1100'; // 2010-12-08T05:11:21.181Z
    expect(restrictionToUserFilter(prop('createdDate', 'LESS_THAN', v, 'DATE'), POST)).toEqual({
      createdAt: { before: '2010-12-08T05:11:21.181Z' },
    });
    expect(restrictionToUserFilter(prop('createdDate', 'LESS_THAN_OR_EQUAL', v, 'DATE'), POST)).toEqual({
      createdAt: { before: '2010-12-08T05:11:21.182Z' },
    });
    expect(restrictionToUserFilter(prop('updatedDate', 'GREATER_THAN', v, 'DATE'), POST)).toEqual({
      updatedAt: { after: '2010-12-08T05:11:21.181Z' },
    });
    expect(restrictionToUserFilter(prop('updatedDate', 'GREATER_THAN_OR_EQUAL', v, 'DATE'), POST)).toEqual({
      updatedAt: { after: '2010-12-08T05:11:21.180Z' },
    });
    expect(
      restrictionToUserFilter(prop('createdDate', 'EXACTLY_MATCHES', '2010-12-08T05:11:21.181Z', 'DATE'), POST),
    ).toEqual({
      createdAt: { after: '2010-12-08T05:11:21.180Z', before: '2010-12-08T05:11:21.182Z' },
    });
  });

  it('accepts the short Crowd date forms from CQL', () => {
    expect(restrictionToUserFilter(parseCql('createdDate>2010'), CQL)).toEqual({
      createdAt: { after: '2010-01-01T00:00:00.000Z' },
    });
    expect(restrictionToUserFilter(parseCql('updatedDate<2010-12'), CQL)).toEqual({
      updatedAt: { before: '2010-12-01T00:00:00.000Z' },
    });
    expect(restrictionToUserFilter(parseCql('createdDate > "2010-12-08T16:11:21.181+11:00"'), CQL)).toEqual({
      createdAt: { after: '2010-12-08T05:11:21.181Z' },
    });
  });

  it('rejects bad dates and unsupported date modes', () => {
    expectInvalid(
      () => restrictionToUserFilter(prop('createdDate', 'GREATER_THAN', 'yesterday', 'DATE'), POST),
      /"yesterday" is not a valid date for property "createdDate"/,
    );
    expectInvalid(
      () => restrictionToUserFilter(prop('createdDate', 'CONTAINS', '2010', 'DATE'), POST),
      /match mode CONTAINS is not supported for the date property "createdDate"/,
    );
    expectInvalid(() => restrictionToUserFilter(prop('createdDate', 'NULL', undefined, 'DATE'), POST), /needs a value/);
  });

  it('turns unknown properties into attribute conditions for POST bodies', () => {
    expect(restrictionToUserFilter(prop('department', 'EXACTLY_MATCHES', 'Eng'), POST)).toEqual({
      attributes: [{ name: 'department', equals: 'Eng' }],
    });
    expect(restrictionToUserFilter(prop('department', 'NULL'), POST)).toEqual({
      attributes: [{ name: 'department', isEmpty: true }],
    });
    expect(restrictionToUserFilter(prop('level', 'GREATER_THAN_OR_EQUAL', '3', 'DATE'), POST)).toEqual({
      or: [{ attributes: [{ name: 'level', greaterThan: '3' }] }, { attributes: [{ name: 'level', equals: '3' }] }],
    });
    // `local` is a group term only; for users it is an attribute.
    expect(restrictionToUserFilter(prop('local', 'EXACTLY_MATCHES', 'true'), POST)).toEqual({
      attributes: [{ name: 'local', equals: 'true' }],
    });
  });

  it('does not take names from the prototype chain', () => {
    expect(restrictionToUserFilter(prop('constructor', 'EXACTLY_MATCHES', 'x'), POST)).toEqual({
      attributes: [{ name: 'constructor', equals: 'x' }],
    });
    expectInvalid(
      () => restrictionToUserFilter(prop('toString', 'EXACTLY_MATCHES', 'x'), CQL),
      /unknown user search property "toString"/,
    );
  });

  it('rejects unknown properties for CQL, naming the known ones', () => {
    expectInvalid(
      () => restrictionToUserFilter(parseCql('department=Eng'), CQL),
      /^unknown user search property "department"; known properties: name, email, firstName, lastName, displayName, externalId, active, createdDate, updatedDate$/,
    );
    expectInvalid(() => restrictionToUserFilter(parseCql('Name=bob'), CQL), /unknown user search property "Name"/);
  });

  it('rejects a value-less non-NULL restriction built by hand', () => {
    expectInvalid(
      () => restrictionToUserFilter(prop('name', 'EXACTLY_MATCHES'), POST),
      /match mode EXACTLY_MATCHES on property "name" needs a value/,
    );
  });

  it('keeps empty boolean lists as they are', () => {
    expect(restrictionToUserFilter({ kind: 'boolean', logic: 'AND', restrictions: [] }, POST)).toEqual({ and: [] });
    expect(restrictionToUserFilter({ kind: 'boolean', logic: 'OR', restrictions: [] }, POST)).toEqual({ or: [] });
  });
});

describe('restrictionToGroupFilter', () => {
  it('translates group string terms', () => {
    expect(restrictionToGroupFilter(parseCql('name=jira* or description=*admin*'), CQL)).toEqual({
      or: [{ name: { startsWith: 'jira' } }, { description: { contains: 'admin' } }],
    });
    expect(restrictionToGroupFilter(prop('externalId', 'EXACTLY_MATCHES', 'x'), POST)).toEqual({
      externalId: { equals: 'x' },
    });
  });

  it('translates active and local as booleans', () => {
    expect(restrictionToGroupFilter(parseCql('active=true and local=false'), CQL)).toEqual({
      and: [{ active: true }, { local: false }],
    });
  });

  it('translates group dates', () => {
    expect(
      restrictionToGroupFilter(prop('updatedDate', 'GREATER_THAN', '2024-01-02T03:04:05.678Z', 'DATE'), POST),
    ).toEqual({
      updatedAt: { after: '2024-01-02T03:04:05.678Z' },
    });
  });

  it('uses the group vocabulary: email is an attribute for POST and an error for CQL', () => {
    expect(restrictionToGroupFilter(prop('email', 'EXACTLY_MATCHES', 'x'), POST)).toEqual({
      attributes: [{ name: 'email', equals: 'x' }],
    });
    expectInvalid(
      () => restrictionToGroupFilter(parseCql('email=x'), CQL),
      /^unknown group search property "email"; known properties: name, description, externalId, active, local, createdDate, updatedDate$/,
    );
  });

  it('translates a JSON body end to end', () => {
    const r = parseJsonRestriction({
      'restriction-type': 'boolean-search-restriction',
      'boolean-logic': 'and',
      restrictions: [
        { property: { name: 'name', type: 'STRING' }, 'match-mode': 'STARTS_WITH', value: 'jira-' },
        { property: { name: 'active', type: 'BOOLEAN' }, 'match-mode': 'EXACTLY_MATCHES', value: true },
        {},
      ],
    });
    expect(restrictionToGroupFilter(r, POST)).toEqual({
      and: [{ name: { startsWith: 'jira-' } }, { active: true }, {}],
    });
  });
});

describe('search bounds', () => {
  const or = (restrictions: SearchRestriction[]): SearchRestriction => ({ kind: 'boolean', logic: 'OR', restrictions });
  it(`allows ${MAX_SEARCH_TERMS} property restrictions, nulls not counted; one more is INVALID_ARGUMENT`, () => {
    const terms = Array.from({ length: MAX_SEARCH_TERMS }, (_, i) => prop('name', 'EXACTLY_MATCHES', `u${i}`));
    expect(restrictionToUserFilter(or([...terms, { kind: 'null' }]), POST)).toMatchObject({ or: expect.any(Array) });
    expectInvalid(
      () => restrictionToUserFilter(or([...terms, prop('email', 'CONTAINS', 'x')]), POST),
      new RegExp(`^Search restriction is invalid: more than ${MAX_SEARCH_TERMS} property restrictions`),
    );
    expectInvalid(() => restrictionToGroupFilter(or([...terms, prop('name', 'CONTAINS', 'x')]), CQL), /more than/);
  });

  it(`checks the real depth of CQL, where one pair of parentheses can hold two levels (at most ${MAX_RESTRICTION_DEPTH})`, () => {
    const cql = (pairs: number): string => {
      let text = 'name=x';
      for (let i = 0; i < pairs; i += 1) text = `name=a or name=b and (${text})`;
      return text;
    };
    // n pairs: restrictions 2n + 1 deep.
    const fits = (MAX_RESTRICTION_DEPTH - 1) / 2;
    expect(restrictionToUserFilter(parseCql(cql(Math.floor(fits))), CQL)).toMatchObject({ or: expect.any(Array) });
    expectInvalid(
      () => restrictionToUserFilter(parseCql(cql(Math.floor(fits) + 1)), CQL),
      new RegExp(`nested deeper than ${MAX_RESTRICTION_DEPTH} levels`),
    );
  });
});
