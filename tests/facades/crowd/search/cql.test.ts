import { MAX_CQL_LENGTH, parseCql } from '../../../../facades/crowd/search/cql';
import { MAX_RESTRICTION_DEPTH, type SearchRestriction } from '../../../../facades/crowd/search/restriction';
import { expectInvalid } from './expect-invalid';

const p = (name: string, matchMode: string, value: string): SearchRestriction =>
  ({ kind: 'property', name, type: 'STRING', matchMode, value }) as SearchRestriction;

describe('parseCql', () => {
  it('parses a single term (the documented example)', () => {
    expect(parseCql('email=bob@example.net')).toEqual(p('email', 'EXACTLY_MATCHES', 'bob@example.net'));
  });

  it.each(['', '   ', '\t\n'])('treats blank text %j as the null restriction', (text) => {
    expect(parseCql(text)).toEqual({ kind: 'null' });
  });

  it('gives AND precedence over OR', () => {
    expect(parseCql('a=1 OR b=2 AND c=3 OR d=4')).toEqual({
      kind: 'boolean',
      logic: 'OR',
      restrictions: [
        p('a', 'EXACTLY_MATCHES', '1'),
        {
          kind: 'boolean',
          logic: 'AND',
          restrictions: [p('b', 'EXACTLY_MATCHES', '2'), p('c', 'EXACTLY_MATCHES', '3')],
        },
        p('d', 'EXACTLY_MATCHES', '4'),
      ],
    });
  });

  it('flattens a chain of one operator into one boolean', () => {
    expect(parseCql('a=1 and b=2 AnD c=3')).toEqual({
      kind: 'boolean',
      logic: 'AND',
      restrictions: [p('a', 'EXACTLY_MATCHES', '1'), p('b', 'EXACTLY_MATCHES', '2'), p('c', 'EXACTLY_MATCHES', '3')],
    });
  });

  it('honours parentheses', () => {
    expect(parseCql('(a=1 or b=2) and c=3')).toEqual({
      kind: 'boolean',
      logic: 'AND',
      restrictions: [
        {
          kind: 'boolean',
          logic: 'OR',
          restrictions: [p('a', 'EXACTLY_MATCHES', '1'), p('b', 'EXACTLY_MATCHES', '2')],
        },
        p('c', 'EXACTLY_MATCHES', '3'),
      ],
    });
    expect(parseCql('((name = bob))')).toEqual(p('name', 'EXACTLY_MATCHES', 'bob'));
  });

  it('accepts operators without surrounding spaces and terms glued to parentheses', () => {
    expect(parseCql('(name=a)OR(name=b)')).toEqual({
      kind: 'boolean',
      logic: 'OR',
      restrictions: [p('name', 'EXACTLY_MATCHES', 'a'), p('name', 'EXACTLY_MATCHES', 'b')],
    });
  });

  it('reads double- and single-quoted keys and values with backslash escapes', () => {
    expect(parseCql('displayName = "Bob \\"The\\" Builder"')).toEqual(
      p('displayName', 'EXACTLY_MATCHES', 'Bob "The" Builder'),
    );
    expect(parseCql("'display Name'='O\\'Brien and (co)'")).toEqual(
      p('display Name', 'EXACTLY_MATCHES', "O'Brien and (co)"),
    );
    expect(parseCql('name = "a\\\\b"')).toEqual(p('name', 'EXACTLY_MATCHES', 'a\\b'));
    expect(parseCql('name=a\\ b')).toEqual(p('name', 'EXACTLY_MATCHES', 'a b'));
  });

  it('reads quoted AND / OR as values, and bare ones as values where a value is due', () => {
    expect(parseCql('name = "and" or name = \'OR\'')).toEqual({
      kind: 'boolean',
      logic: 'OR',
      restrictions: [p('name', 'EXACTLY_MATCHES', 'and'), p('name', 'EXACTLY_MATCHES', 'OR')],
    });
    expect(parseCql('name = or')).toEqual(p('name', 'EXACTLY_MATCHES', 'or'));
  });

  it('keeps quotes inside a bare word', () => {
    expect(parseCql("lastName=O'Brien")).toEqual(p('lastName', 'EXACTLY_MATCHES', "O'Brien"));
  });

  it.each<[string, string, string]>([
    ['name=*bob*', 'CONTAINS', 'bob'],
    ['name=bob*', 'STARTS_WITH', 'bob'],
    ['name=*bob', 'EXACTLY_MATCHES', 'bob'],
    ['name=**bob**', 'CONTAINS', 'bob'],
    ['name=b*b', 'EXACTLY_MATCHES', 'b*b'],
    ['name="bob smith*"', 'STARTS_WITH', 'bob smith'],
    ['name=*', 'CONTAINS', ''],
    ['name=""', 'EXACTLY_MATCHES', ''],
    ['name=" "', 'EXACTLY_MATCHES', ' '],
  ])('applies the star rules: %s', (cql, mode, value) => {
    expect(parseCql(cql)).toEqual(p('name', mode, value));
  });

  it('maps < and > to LESS_THAN / GREATER_THAN and strips stars there too', () => {
    expect(parseCql('createdDate > 2010-12-08')).toEqual(p('createdDate', 'GREATER_THAN', '2010-12-08'));
    expect(parseCql("updatedDate<'2010-12-08T16:11:21.181+1100'")).toEqual(
      p('updatedDate', 'LESS_THAN', '2010-12-08T16:11:21.181+1100'),
    );
    expect(parseCql('name<b*')).toEqual(p('name', 'LESS_THAN', 'b'));
  });

  it.each<[string, RegExp]>([
    ['name', /unexpected end of restriction; expected "=", "<" or ">" after "name"/],
    ['name=', /unexpected end of restriction; expected a value after "name="/],
    ['=bob', /unexpected "=" at position 1; expected a property name or "\("/],
    ['name==bob', /unexpected "=" at position 6; expected a value/],
    ['name=bob and', /unexpected end of restriction; expected a property name/],
    ['name=bob name=alice', /unexpected "name" at position 10; expected AND, OR or the end/],
    ['(name=bob', /unexpected end of restriction; expected "\)"/],
    ['name=bob)', /unexpected "\)" at position 9; expected AND, OR or the end/],
    ['()', /unexpected "\)" at position 2/],
    ['name="bob', /unterminated "-quoted string starting at position 6/],
    ["name='bob", /unterminated '-quoted string/],
    ['name=bob\\', /dangling "\\" at position 9/],
    ['name=a or or name=b', /expected "=", "<" or ">" after "or"/],
    ['name<=a', /unexpected "=" at position 6; expected a value/],
  ])('rejects %j', (cql, message) => {
    expectInvalid(() => parseCql(cql), /^Search restriction is invalid: /);
    expectInvalid(() => parseCql(cql), message);
  });

  it('bounds nesting and length', () => {
    const deepest = MAX_RESTRICTION_DEPTH - 1;
    const deeper = new RegExp(`nested deeper than ${MAX_RESTRICTION_DEPTH} levels`);
    expect(parseCql(`${'('.repeat(deepest)}name=a${')'.repeat(deepest)}`)).toEqual(p('name', 'EXACTLY_MATCHES', 'a'));
    expectInvalid(() => parseCql(`${'('.repeat(deepest + 1)}name=a${')'.repeat(deepest + 1)}`), deeper);
    expectInvalid(() => parseCql('('.repeat(10_000)), deeper);
    expectInvalid(() => parseCql(`name=${'a'.repeat(MAX_CQL_LENGTH)}`), /longer than 16384 characters/);
  });

  it('handles long star runs in linear time', () => {
    const value = `a${'*'.repeat(16_000)}b`;
    const start = Date.now();
    expect(parseCql(`name=${value}`)).toEqual(p('name', 'EXACTLY_MATCHES', value));
    expect(Date.now() - start).toBeLessThan(500);
  });
});
