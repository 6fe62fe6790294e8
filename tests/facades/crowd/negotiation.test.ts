import { negotiateFormat } from '../../../facades/crowd/negotiation';

describe('negotiateFormat (Jersey @Produces({XML, JSON}))', () => {
  test.each([
    [undefined, 'xml'],
    ['', 'xml'],
    ['application/json', 'json'],
    ['application/xml', 'xml'],
    ['text/xml', 'xml'],
    ['*/*', 'xml'],
    ['application/json, */*', 'json'],
    ['application/json;q=0.5, application/xml;q=0.9', 'xml'],
    ['application/xml;q=0.5, APPLICATION/JSON', 'json'],
    ['application/json;q=0.9, application/*', 'xml'],
    ['image/png', 'xml'],
    ['text/*', 'xml'],
    ['application/json;q=0, */*', 'xml'],
    ['application/xml;q=0, text/xml;q=0, */*', 'json'],
  ])('%p → %p', (accept, format) => {
    expect(negotiateFormat(accept)).toBe(format);
  });

  test('remembered answers stay per header value, past the bound of remembered values', () => {
    const json = 'application/json;q=1, application/xml;q=0.1';
    const xml = 'application/xml;q=1, application/json;q=0.1';
    for (let round = 0; round < 3; round++) {
      expect(negotiateFormat(json)).toBe('json');
      expect(negotiateFormat(xml)).toBe('xml');
      // More distinct values than are remembered, alternating answers.
      for (let i = 0; i < 200; i++) {
        const expected = i % 2 === 0 ? 'json' : 'xml';
        const accept =
          expected === 'json'
            ? `application/json, application/xml;q=0.${(i % 9) + 1}, x/${i}`
            : `application/xml, application/json;q=0.${(i % 9) + 1}, x/${i}`;
        expect(negotiateFormat(accept)).toBe(expected);
        expect(negotiateFormat(accept)).toBe(expected);
      }
    }
  });
});
