import { parseXml } from '../../../../facades/crowd/codec/xml-reader';
import {
  MAX_RESTRICTION_DEPTH,
  MAX_RESTRICTION_NODES,
  parseJsonRestriction,
  parseXmlRestriction,
  type SearchRestriction,
} from '../../../../facades/crowd/search/restriction';
import { expectInvalid } from './expect-invalid';

const fromXml = (xml: string): SearchRestriction => parseXmlRestriction(parseXml(xml));

const prop = (name: string, type: string, mode: string, value?: string): string =>
  `<property-search-restriction><property><name>${name}</name><type>${type}</type></property>` +
  `<match-mode>${mode}</match-mode>${value === undefined ? '' : `<value>${value}</value>`}</property-search-restriction>`;

describe('parseXmlRestriction', () => {
  it('parses the Jira testConnection body (NULL match, no value)', () => {
    const xml =
      '<property-search-restriction><property><name>name</name><type>STRING</type></property><match-mode>NULL</match-mode></property-search-restriction>';
    expect(fromXml(xml)).toEqual({ kind: 'property', name: 'name', type: 'STRING', matchMode: 'NULL' });
  });

  it('parses the null restriction, with or without prologue', () => {
    expect(fromXml('<null-search-restriction/>')).toEqual({ kind: 'null' });
    expect(
      fromXml(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><null-search-restriction></null-search-restriction>',
      ),
    ).toEqual({
      kind: 'null',
    });
  });

  it('parses a property restriction with a value, keeping the value verbatim', () => {
    expect(fromXml(prop('email', 'STRING', 'EXACTLY_MATCHES', ' Bob@Example.net '))).toEqual({
      kind: 'property',
      name: 'email',
      type: 'STRING',
      matchMode: 'EXACTLY_MATCHES',
      value: ' Bob@Example.net ',
    });
  });

  it('accepts an empty value element as the empty string', () => {
    expect(fromXml(prop('email', 'STRING', 'EXACTLY_MATCHES', ''))).toMatchObject({ value: '' });
  });

  it('reads the type case-insensitively and trims indentation', () => {
    const xml = `<property-search-restriction>
      <property>
        <name> active </name>
        <type>boolean</type>
      </property>
      <match-mode> EXACTLY_MATCHES </match-mode>
      <value>true</value>
    </property-search-restriction>`;
    expect(fromXml(xml)).toEqual({
      kind: 'property',
      name: 'active',
      type: 'BOOLEAN',
      matchMode: 'EXACTLY_MATCHES',
      value: 'true',
    });
  });

  it('drops a value sent with NULL', () => {
    expect(fromXml(prop('email', 'STRING', 'NULL', 'x'))).toEqual({
      kind: 'property',
      name: 'email',
      type: 'STRING',
      matchMode: 'NULL',
    });
  });

  it('parses nested boolean restrictions with case-insensitive logic', () => {
    const xml =
      '<boolean-search-restriction boolean-logic="and"><restrictions>' +
      prop('name', 'STRING', 'STARTS_WITH', 'a') +
      '<boolean-search-restriction boolean-logic="Or"><restrictions>' +
      prop('email', 'STRING', 'CONTAINS', '@x') +
      prop('createdDate', 'DATE', 'GREATER_THAN', '2010-12-08T16:11:21.181+1100') +
      '</restrictions></boolean-search-restriction>' +
      '<null-search-restriction/>' +
      '</restrictions></boolean-search-restriction>';
    expect(fromXml(xml)).toEqual({
      kind: 'boolean',
      logic: 'AND',
      restrictions: [
        { kind: 'property', name: 'name', type: 'STRING', matchMode: 'STARTS_WITH', value: 'a' },
        {
          kind: 'boolean',
          logic: 'OR',
          restrictions: [
            { kind: 'property', name: 'email', type: 'STRING', matchMode: 'CONTAINS', value: '@x' },
            {
              kind: 'property',
              name: 'createdDate',
              type: 'DATE',
              matchMode: 'GREATER_THAN',
              value: '2010-12-08T16:11:21.181+1100',
            },
          ],
        },
        { kind: 'null' },
      ],
    });
  });

  it('treats a boolean restriction without <restrictions> as empty', () => {
    expect(fromXml('<boolean-search-restriction boolean-logic="OR"/>')).toEqual({
      kind: 'boolean',
      logic: 'OR',
      restrictions: [],
    });
  });

  it('ignores unknown elements, as JAXB does', () => {
    const xml = prop('name', 'STRING', 'EXACTLY_MATCHES', 'bob').replace(
      '<match-mode>',
      '<extra>x</extra><match-mode>',
    );
    expect(fromXml(xml)).toMatchObject({ name: 'name', value: 'bob' });
  });

  it.each<[string, string, RegExp]>([
    [
      'missing value',
      prop('name', 'STRING', 'EXACTLY_MATCHES'),
      /match mode EXACTLY_MATCHES on property "name" needs a value/,
    ],
    ['unknown type', prop('name', 'NUMBER', 'EXACTLY_MATCHES', 'x'), /unknown property type "NUMBER"/],
    ['lower-case match mode', prop('name', 'STRING', 'exactly_matches', 'x'), /unknown match mode "exactly_matches"/],
    ['unknown match mode', prop('name', 'STRING', 'LIKE', 'x'), /unknown match mode "LIKE"/],
    ['empty name', prop('', 'STRING', 'NULL'), /property name is missing/],
    [
      'no property',
      '<property-search-restriction><match-mode>NULL</match-mode></property-search-restriction>',
      /has no <property> element/,
    ],
    [
      'no match mode',
      '<property-search-restriction><property><name>n</name><type>STRING</type></property></property-search-restriction>',
      /has no <match-mode> element/,
    ],
    [
      'no type',
      '<property-search-restriction><property><name>n</name></property><match-mode>NULL</match-mode></property-search-restriction>',
      /has no <type>/,
    ],
    [
      'no logic',
      '<boolean-search-restriction><restrictions/></boolean-search-restriction>',
      /no boolean-logic attribute/,
    ],
    ['bad logic', '<boolean-search-restriction boolean-logic="XOR"/>', /unknown boolean logic "XOR"/],
    ['unknown root', '<user name="x"/>', /unknown element <user>/],
    [
      'unknown nested',
      '<boolean-search-restriction boolean-logic="AND"><restrictions><foo/></restrictions></boolean-search-restriction>',
      /unknown element <foo>/,
    ],
  ])('rejects %s', (_label, xml, message) => {
    expectInvalid(() => fromXml(xml), /^Search restriction is invalid: /);
    expectInvalid(() => fromXml(xml), message);
  });

  it(`limits nesting to ${MAX_RESTRICTION_DEPTH} levels`, () => {
    const nest = (n: number): string =>
      '<boolean-search-restriction boolean-logic="AND"><restrictions>'.repeat(n - 1) +
      '<null-search-restriction/>' +
      '</restrictions></boolean-search-restriction>'.repeat(n - 1);
    expect(fromXml(nest(MAX_RESTRICTION_DEPTH)).kind).toBe('boolean');
    expectInvalid(
      () => fromXml(nest(MAX_RESTRICTION_DEPTH + 1)),
      new RegExp(`nested deeper than ${MAX_RESTRICTION_DEPTH} levels`),
    );
  });

  it('limits the number of restrictions', () => {
    const xml = (n: number) =>
      `<boolean-search-restriction boolean-logic="OR"><restrictions>${'<null-search-restriction/>'.repeat(n)}</restrictions></boolean-search-restriction>`;
    expect(fromXml(xml(MAX_RESTRICTION_NODES - 1)).kind).toBe('boolean');
    expectInvalid(
      () => fromXml(xml(MAX_RESTRICTION_NODES)),
      new RegExp(`more than ${MAX_RESTRICTION_NODES} restrictions`),
    );
  });
});

describe('parseJsonRestriction', () => {
  it('parses the explicit restriction-type forms', () => {
    expect(
      parseJsonRestriction({
        'restriction-type': 'property-search-restriction',
        property: { name: 'email', type: 'STRING' },
        'match-mode': 'EXACTLY_MATCHES',
        value: 'bob@example.net',
      }),
    ).toEqual({
      kind: 'property',
      name: 'email',
      type: 'STRING',
      matchMode: 'EXACTLY_MATCHES',
      value: 'bob@example.net',
    });
    expect(parseJsonRestriction({ 'restriction-type': 'null-search-restriction' })).toEqual({ kind: 'null' });
  });

  it('parses nested boolean restrictions with any-case logic', () => {
    expect(
      parseJsonRestriction({
        'restriction-type': 'boolean-search-restriction',
        'boolean-logic': 'and',
        restrictions: [
          {
            'restriction-type': 'property-search-restriction',
            property: { name: 'active', type: 'boolean' },
            'match-mode': 'EXACTLY_MATCHES',
            value: 'true',
          },
          {
            'boolean-logic': 'oR',
            restrictions: [
              { property: { name: 'name', type: 'STRING' }, matchMode: 'STARTS_WITH', value: 'a' },
              { property: { name: 'name', type: 'STRING' }, 'match-mode': 'NULL' },
            ],
          },
          {},
        ],
      }),
    ).toEqual({
      kind: 'boolean',
      logic: 'AND',
      restrictions: [
        { kind: 'property', name: 'active', type: 'BOOLEAN', matchMode: 'EXACTLY_MATCHES', value: 'true' },
        {
          kind: 'boolean',
          logic: 'OR',
          restrictions: [
            { kind: 'property', name: 'name', type: 'STRING', matchMode: 'STARTS_WITH', value: 'a' },
            { kind: 'property', name: 'name', type: 'STRING', matchMode: 'NULL' },
          ],
        },
        { kind: 'null' },
      ],
    });
  });

  it('accepts matchMode and booleanLogic spellings (Swagger bean names)', () => {
    expect(parseJsonRestriction({ booleanLogic: 'OR', restrictions: [] })).toEqual({
      kind: 'boolean',
      logic: 'OR',
      restrictions: [],
    });
    expect(
      parseJsonRestriction({ property: { name: 'n', type: 'STRING' }, matchMode: 'CONTAINS', value: 'x' }),
    ).toMatchObject({
      matchMode: 'CONTAINS',
    });
  });

  it('unwraps a body wrapped in its root name', () => {
    expect(
      parseJsonRestriction({
        'property-search-restriction': { property: { name: 'n', type: 'STRING' }, 'match-mode': 'NULL' },
      }),
    ).toEqual({ kind: 'property', name: 'n', type: 'STRING', matchMode: 'NULL' });
  });

  it('keeps number and boolean values in their JSON spelling', () => {
    expect(
      parseJsonRestriction({
        property: { name: 'active', type: 'BOOLEAN' },
        'match-mode': 'EXACTLY_MATCHES',
        value: true,
      }),
    ).toMatchObject({
      value: 'true',
    });
    expect(
      parseJsonRestriction({ property: { name: 'n', type: 'STRING' }, 'match-mode': 'EXACTLY_MATCHES', value: 42 }),
    ).toMatchObject({
      value: '42',
    });
  });

  it.each<[string, unknown, RegExp]>([
    ['null body', null, /must be a JSON object/],
    ['array body', [], /must be a JSON object/],
    ['string body', 'name=bob', /must be a JSON object/],
    ['unknown restriction-type', { 'restriction-type': 'foo' }, /unknown restriction-type "foo"/],
    ['ambiguous shape', { name: 'bob' }, /cannot tell the restriction type/],
    ['missing value', { property: { name: 'n', type: 'STRING' }, 'match-mode': 'EXACTLY_MATCHES' }, /needs a value/],
    [
      'null value',
      { property: { name: 'n', type: 'STRING' }, 'match-mode': 'EXACTLY_MATCHES', value: null },
      /needs a value/,
    ],
    [
      'object value',
      { property: { name: 'n', type: 'STRING' }, 'match-mode': 'EXACTLY_MATCHES', value: {} },
      /must be a string/,
    ],
    ['missing match mode', { property: { name: 'n', type: 'STRING' } }, /has no "match-mode"/],
    ['missing property type', { property: { name: 'n' }, 'match-mode': 'NULL' }, /"property.type" is missing/],
    [
      'property not an object',
      { 'restriction-type': 'property-search-restriction', property: 'n' },
      /needs a "property" object/,
    ],
    ['bad logic', { 'boolean-logic': 'NOT', restrictions: [] }, /unknown boolean logic "NOT"/],
    ['restrictions not an array', { 'boolean-logic': 'AND', restrictions: {} }, /"restrictions" must be an array/],
    ['nested garbage', { 'boolean-logic': 'AND', restrictions: [3] }, /must be a JSON object/],
  ])('rejects %s', (_label, body, message) => {
    expectInvalid(() => parseJsonRestriction(body), /^Search restriction is invalid: /);
    expectInvalid(() => parseJsonRestriction(body), message);
  });

  it(`limits nesting to ${MAX_RESTRICTION_DEPTH} levels`, () => {
    const nest = (n: number): unknown => {
      let body: unknown = {};
      for (let i = 1; i < n; i += 1) body = { 'boolean-logic': 'AND', restrictions: [body] };
      return body;
    };
    expect(parseJsonRestriction(nest(MAX_RESTRICTION_DEPTH))).toMatchObject({ kind: 'boolean' });
    expectInvalid(
      () => parseJsonRestriction(nest(MAX_RESTRICTION_DEPTH + 1)),
      new RegExp(`nested deeper than ${MAX_RESTRICTION_DEPTH} levels`),
    );
    expectInvalid(
      () => parseJsonRestriction(nest(100_000)),
      new RegExp(`nested deeper than ${MAX_RESTRICTION_DEPTH} levels`),
    );
  });
});
