/**
 * XML writing primitives for the Crowd facade.
 *
 * Contract: every string that goes into an XML document passes through `escapeXmlText` or
 * `escapeXmlAttribute`. Both first drop the characters XML 1.0 cannot carry at all (Crowd's
 * `stripNonValidXMLCharacters`), so the output is always well formed whatever the
 * directory holds: a JAXB client would otherwise fail on the whole document.
 */

/** The prologue Crowd's JAXB marshaller writes. */
export const XML_PROLOGUE = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/**
 * Everything outside the XML 1.0 `Char` production:
 * `#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`.
 * With the `u` flag a lone surrogate is one code point in D800–DFFF, so it is matched too.
 */
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const HAS_INVALID_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Crowd's `XmlValidator.stripNonValidXMLCharacters`: remove every character XML 1.0 forbids. */
export function stripNonValidXmlCharacters(value: string): string {
  // The test first keeps the common case (nothing to strip) allocation-free.
  return HAS_INVALID_XML_CHAR.test(value) ? value.replace(INVALID_XML_CHARS, '') : value;
}

/** True when `value` holds only characters XML 1.0 allows. */
export function isValidXmlText(value: string): boolean {
  return !HAS_INVALID_XML_CHAR.test(value);
}

const TEXT_SPECIALS = /[&<>]/g;
const ATTRIBUTE_SPECIALS = /[&<>"'\t\n\r]/g;

const REPLACEMENTS: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;', // not required in text, but it keeps "]]>" out of character data
  '"': '&quot;',
  "'": '&apos;',
  // Attribute-value normalisation would turn literal TAB/LF/CR into spaces; references survive it.
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

function replaceSpecial(ch: string): string {
  return REPLACEMENTS[ch] ?? ch;
}

/** Character data: invalid characters stripped, `&`, `<`, `>` escaped. */
export function escapeXmlText(value: string): string {
  return stripNonValidXmlCharacters(value).replace(TEXT_SPECIALS, replaceSpecial);
}

/** A value for a double- or single-quoted attribute: also escapes quotes and TAB/LF/CR. */
export function escapeXmlAttribute(value: string): string {
  return stripNonValidXmlCharacters(value).replace(ATTRIBUTE_SPECIALS, replaceSpecial);
}

/** `<name>text</name>` with the text escaped; `name` must be a literal, trusted element name. */
export function xmlTextElement(name: string, text: string): string {
  return `<${name}>${escapeXmlText(text)}</${name}>`;
}
