import {
  escapeXmlAttribute,
  escapeXmlText,
  isValidXmlText,
  stripNonValidXmlCharacters,
  XML_PROLOGUE,
  xmlTextElement,
} from '../../../../facades/crowd/codec/xml';

describe('XML writing primitives', () => {
  it('uses the JAXB prologue', () => {
    expect(XML_PROLOGUE).toBe('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>');
  });

  it('escapes & < > in text and leaves quotes alone', () => {
    expect(escapeXmlText(`a<b>&c"d'e`)).toBe(`a&lt;b&gt;&amp;c"d'e`);
    expect(escapeXmlText('x]]>y')).toBe('x]]&gt;y');
  });

  it('escapes quotes and TAB/LF/CR in attribute values', () => {
    expect(escapeXmlAttribute(`a<b>&c"d'e`)).toBe('a&lt;b&gt;&amp;c&quot;d&apos;e');
    expect(escapeXmlAttribute('a\tb\nc\rd')).toBe('a&#9;b&#10;c&#13;d');
  });

  it('escapes the & of text that looks like an entity (no guessing)', () => {
    expect(escapeXmlText('&amp;')).toBe('&amp;amp;');
  });

  it('strips characters XML 1.0 forbids and keeps the allowed ones', () => {
    const input = 'a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg\tn\nr\rz\uFFFE\uFFFF\uD800\uDC00x';
    // \uD800\uDC00 is a valid pair (U+10000) and must survive; \uFFFE/\uFFFF are forbidden.
    expect(stripNonValidXmlCharacters(input)).toBe('abcdefg\tn\nr\rz\uD800\uDC00x');
  });

  it('strips lone surrogates', () => {
    expect(stripNonValidXmlCharacters('a\uD800b\uDC00c')).toBe('abc');
    expect(isValidXmlText('a\uD800b')).toBe(false);
    expect(isValidXmlText('ok \u{1F600}')).toBe(true);
  });

  it('strips before escaping in both escapers', () => {
    expect(escapeXmlText('<\u0002>')).toBe('&lt;&gt;');
    expect(escapeXmlAttribute('"\u0007"')).toBe('&quot;&quot;');
  });

  it('returns the same string when there is nothing to strip', () => {
    const s = 'plain text';
    expect(stripNonValidXmlCharacters(s)).toBe(s);
  });

  it('builds a text element', () => {
    expect(xmlTextElement('email', 'a&b@example.com')).toBe('<email>a&amp;b@example.com</email>');
  });
});
