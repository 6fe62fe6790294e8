import { parse } from 'node:querystring';
import { parseQueryString } from '../../../facades/crowd/query';

describe('parseQueryString', () => {
  test('decodes + as a space and %XX as UTF-8; repeated names keep every value in order', () => {
    const query = parseQueryString(
      'username=bob+smith&expand=user&expand=attributes&name=J%C3%BCrgen%40corp.example&x=a%2Bb',
    );
    expect(query.get('username')).toEqual(['bob smith']);
    expect(query.get('expand')).toEqual(['user', 'attributes']);
    expect(query.get('name')).toEqual(['Jürgen@corp.example']);
    expect(query.get('x')).toEqual(['a+b']);
  });

  test('empty and missing values, empty pairs, encoded names', () => {
    const query = parseQueryString('a=&b&&c%20d=1&=e');
    expect([...query]).toEqual([
      ['a', ['']],
      ['b', ['']],
      ['c d', ['1']],
      ['', ['e']],
    ]);
    expect(parseQueryString('').size).toBe(0);
  });

  test('a malformed escape is kept as written, never an exception (as node querystring does)', () => {
    for (const text of ['u=100%', 'u=%zz+1', 'u=%4', 'u=%C3%A9%zz']) {
      expect(parseQueryString(text).get('u')).toEqual([parse(text)['u']]);
    }
  });

  test('well-formed escapes that are not UTF-8 are an INVALID_ARGUMENT naming the parameter, never U+FFFD', () => {
    for (const text of ['u=%FF', 'u=%C0%AF', 'u=%ED%A0%80', 'u=%E0%A4%A', 'u=%C3%28', 'u=%zz%FF']) {
      expect(() => parseQueryString(text)).toThrow(
        expect.objectContaining({
          code: 'INVALID_ARGUMENT',
          message: expect.stringMatching(/^Query parameter u is not valid UTF-8/),
        }),
      );
    }
    expect(() => parseQueryString('%FF=1')).toThrow(/name of query parameter "%FF" is not valid UTF-8/);
  });
});
