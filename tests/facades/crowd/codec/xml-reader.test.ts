import { DirectoryError } from '../../../../src/domain/errors';
import { MAX_XML_DEPTH, parseXml, type XmlElement } from '../../../../facades/crowd/codec/xml-reader';

/** Asserts that parsing throws DirectoryError INVALID_ARGUMENT whose message matches `message`. */
function expectRejected(xml: string, message: RegExp): void {
  let caught: unknown;
  try {
    parseXml(xml);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DirectoryError);
  expect((caught as DirectoryError).code).toBe('INVALID_ARGUMENT');
  expect((caught as DirectoryError).message).toMatch(message);
}

function names(el: XmlElement): string[] {
  return el.children.map((c) => c.name);
}

describe('parseXml: accepted documents', () => {
  it('reads the Jira testConnection body (no prologue)', () => {
    const root = parseXml(
      '<property-search-restriction><property><name>name</name><type>STRING</type></property><match-mode>NULL</match-mode></property-search-restriction>',
    );
    expect(root.name).toBe('property-search-restriction');
    expect(names(root)).toEqual(['property', 'match-mode']);
    expect(names(root.children[0]!)).toEqual(['name', 'type']);
    expect(root.children[0]!.children[0]!.text).toBe('name');
    expect(root.children[1]!.text).toBe('NULL');
  });

  it.each([
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><a/>',
    '<?xml version="1.0" encoding="UTF-8"?>\n<a/>',
    "<?xml version='1.0'?><a/>",
    '\uFEFF<?xml version="1.0"?><a/>',
    '  \n<!-- leading comment --><a/><!-- trailing -->\n ',
    '<?xml version="1.0"?><?xml-stylesheet href="x"?><a></a>',
  ])('accepts prologue, BOM, comments and whitespace: %j', (xml) => {
    const root = parseXml(xml);
    expect(root.name).toBe('a');
    expect(root.children).toEqual([]);
  });

  it('reads attributes in both quote styles and decodes them', () => {
    const root = parseXml(`<user name="a&amp;b" expand='x&apos;y' other = "1&#x3c;2&#60;3"/>`);
    expect(root.attributes).toEqual({ name: 'a&b', expand: "x'y", other: '1<2<3' });
  });

  it('normalises literal whitespace in attribute values but keeps character references', () => {
    const root = parseXml('<a v="x\ty\nz&#10;w"/>');
    expect(root.attributes['v']).toBe('x y z\nw');
  });

  it('decodes the five predefined entities and numeric references in text', () => {
    const root = parseXml('<v>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1F600;</v>');
    expect(root.text).toBe(`<>&"'AB\u{1F600}`);
  });

  it('concatenates character data and CDATA of one element, children excluded', () => {
    const root = parseXml('<a>one<b>inner</b>two<![CDATA[<three&>]]><!-- c -->four</a>');
    expect(root.text).toBe('one' + 'two' + '<three&>' + 'four');
    expect(root.children[0]!.text).toBe('inner');
  });

  it('keeps whitespace in text and normalises CRLF to LF', () => {
    expect(parseXml('<a>  x\r\ny\rz </a>').text).toBe('  x\ny\nz ');
  });

  it('returns children in document order with their own attributes', () => {
    const root = parseXml(
      '<users expand="user"><user name="a"><link rel="self" href="h?x=1&amp;y=2"/></user><user name="b"/></users>',
    );
    expect(root.children.map((c) => c.attributes['name'])).toEqual(['a', 'b']);
    expect(root.children[0]!.children[0]!.attributes).toEqual({ rel: 'self', href: 'h?x=1&y=2' });
  });

  it('accepts whitespace inside tags', () => {
    const root = parseXml('<a  x="1"\n  y="2" ></a >');
    expect(root.attributes).toEqual({ x: '1', y: '2' });
  });

  it('treats __proto__ as a plain attribute name', () => {
    const root = parseXml('<a __proto__="p" constructor="c"/>');
    expect(root.attributes['__proto__']).toBe('p');
    expect(root.attributes['constructor']).toBe('c');
    expect(Object.keys(root.attributes)).toEqual(['__proto__', 'constructor']);
  });

  it('accepts non-ASCII names and text', () => {
    const root = parseXml('<grüße name="Zoë">日本</grüße>');
    expect(root).toMatchObject({ name: 'grüße', attributes: { name: 'Zoë' }, text: '日本' });
  });
});

describe('parseXml: hostile documents are rejected with INVALID_ARGUMENT', () => {
  it('billion laughs', () => {
    const xml =
      '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n' +
      ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n<lolz>&lol3;</lolz>';
    expectRejected(xml, /DOCTYPE/);
  });

  it('external entity (XXE)', () => {
    expectRejected(
      '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>',
      /DOCTYPE/,
    );
  });

  it('DOCTYPE alone', () => {
    expectRejected('<!DOCTYPE user><user name="a"/>', /DOCTYPE/);
  });

  it('DOCTYPE after the root', () => {
    expectRejected('<a/><!DOCTYPE a>', /DOCTYPE/);
  });

  it('a custom entity reference without a DOCTYPE', () => {
    expectRejected('<foo>&xxe;</foo>', /entity reference &xxe; is not allowed/);
    expectRejected('<foo a="&xxe;"/>', /entity reference &xxe; is not allowed/);
  });

  it('an ENTITY declaration inside the document', () => {
    expectRejected('<foo><!ENTITY x "y"></foo>', /entity declarations are not allowed/);
  });

  it('parameter entities and other markup declarations', () => {
    expectRejected('<foo><!ELEMENT foo ANY></foo>', /unexpected markup declaration/);
  });
});

describe('parseXml: malformed documents are rejected with INVALID_ARGUMENT', () => {
  it.each<[string, string, RegExp]>([
    ['empty', '', /document is empty/],
    ['blank', '  \n ', /document is empty/],
    ['only a prologue', '<?xml version="1.0"?>', /no root element/],
    ['unclosed tag', '<user><name>bob</name>', /element <user> is not closed/],
    ['unclosed start tag', '<user name="x"', /start tag <user> is not closed/],
    ['mismatched end tag', '<a><b></a></b>', /end tag <\/a> does not match start tag <b>/],
    ['two roots', '<a/><b/>', /only one root element is allowed/],
    ['text after the root', '<a/>junk', /text is not allowed after the root element/],
    ['text before the root', 'junk<a/>', /text is not allowed before the root element/],
    ['unquoted attribute', '<a x=1/>', /must be quoted/],
    ['duplicate attribute', '<a x="1" x="2"/>', /attribute x appears twice/],
    ['attributes without whitespace', '<a x="1"y="2"/>', /expected whitespace/],
    ['< in attribute value', '<a x="<"/>', /"<" is not allowed in the value/],
    ['bare ampersand', '<a>fish & chips</a>', /"&" must start an entity/],
    ['reference without semicolon', '<a>&amp</a>', /"&" must start an entity/],
    ['illegal character reference', '<a>&#0;</a>', /not a legal XML character/],
    ['surrogate character reference', '<a>&#xD800;</a>', /not a legal XML character/],
    ['raw control character', '<a>\u0001</a>', /characters that XML 1.0 does not allow/],
    [']]> in text', '<a>x]]>y</a>', /"]]>" is not allowed/],
    ['unclosed comment', '<a><!-- x</a>', /comment is not closed/],
    ['double hyphen in comment', '<a><!-- x -- y --></a>', /"--" is not allowed inside a comment/],
    ['unclosed CDATA', '<a><![CDATA[x</a>', /CDATA section is not closed/],
    ['XML declaration not at the start', ' <?xml version="1.0"?><a/>', /only allowed at the very start/],
    ['bad XML declaration', '<?xml version="2.0"?><a/>', /XML declaration is malformed/],
    ['bad standalone', '<?xml version="1.0" standalone="maybe"?><a/>', /XML declaration is malformed/],
    ['missing element name', '< a/>', /expected an element name/],
    ['garbage end tag', '<a></a x>', /expected ">" to close end tag/],
  ])('%s', (_label, xml, message) => {
    expectRejected(xml, message);
  });

  it('reports the line and column of the error', () => {
    expectRejected(
      '<a>\n  <b>\n</a>',
      /^Malformed XML at line 3, column 1: end tag <\/a> does not match start tag <b>/,
    );
  });

  it(`rejects nesting deeper than ${MAX_XML_DEPTH}`, () => {
    const deep = '<a>'.repeat(MAX_XML_DEPTH + 1) + '</a>'.repeat(MAX_XML_DEPTH + 1);
    expectRejected(deep, /nested deeper than 256/);
    const ok = '<a>'.repeat(MAX_XML_DEPTH) + '</a>'.repeat(MAX_XML_DEPTH);
    expect(parseXml(ok).name).toBe('a');
  });
});

describe('parseXml: cost is linear', () => {
  function time(fn: () => void): number {
    const start = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - start) / 1e6;
  }

  it('parses a 1 MB document with many elements quickly', () => {
    const item =
      '<user name="user-0000"><link rel="self" href="http://h/u?username=a&amp;b"/><email>a&lt;b@x</email></user>';
    const xml = `<users expand="user">${item.repeat(Math.ceil(1_048_576 / item.length))}</users>`;
    expect(xml.length).toBeGreaterThan(1_000_000);
    let root: XmlElement | undefined;
    const ms = time(() => {
      root = parseXml(xml);
    });
    expect(root!.children.length).toBe(Math.ceil(1_048_576 / item.length));
    expect(root!.children[5]!.children[1]!.text).toBe('a<b@x');
    expect(ms).toBeLessThan(2000);
  });

  it('parses 1 MB of text with many references quickly', () => {
    const xml = `<a>${'&amp;x'.repeat(200_000)}</a>`;
    const ms = time(() => expect(parseXml(xml).text.length).toBe(400_000));
    expect(ms).toBeLessThan(2000);
  });

  it('fails fast on 1 MB of ampersands without semicolons', () => {
    const xml = `<a>${'&'.repeat(1_000_000)}</a>`;
    const ms = time(() => expectRejected(xml, /"&" must start/));
    expect(ms).toBeLessThan(2000);
  });

  it('fails fast on a long run of "-" in comments and unclosed markup', () => {
    const ms = time(() => {
      expectRejected(`<a><!--${'-'.repeat(500_000)}</a>`, /comment/);
      expectRejected(`<a>${'<b '.repeat(300_000)}`, /./);
    });
    expect(ms).toBeLessThan(2000);
  });
});
