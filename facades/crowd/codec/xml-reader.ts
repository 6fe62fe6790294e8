/**
 * A small, strict, non-validating XML 1.0 reader for Crowd request bodies, which come
 * with or without an XML prologue: entities and search restrictions
 * (https://developer.atlassian.com/server/crowd/json-requests-and-responses/).
 *
 * Contract:
 * - Accepts: an optional BOM, an optional XML declaration (version 1.x, optional encoding and
 *   standalone), comments, processing instructions, CDATA sections, whitespace around the root.
 * - Rejects with `DirectoryError('INVALID_ARGUMENT', …)`: any DOCTYPE (hence every ENTITY
 *   declaration and external entity), any entity reference other than the five predefined ones
 *   and numeric character references, characters XML 1.0 forbids, and anything malformed
 *   (unclosed or mismatched tags, duplicate attributes, two roots, text outside the root …).
 * - `text` of an element is its character data concatenated in document order (children's text
 *   excluded), entities decoded, line ends normalised to LF, whitespace kept as is.
 * - `attributes` is a prototype-less record, so names such as `__proto__` are plain keys.
 *
 * Cost is linear in the input: one forward scan, `indexOf`/sticky regexes, no backtracking over
 * unbounded input, no recursion (an explicit stack, bounded by MAX_DEPTH).
 */
import { DirectoryError } from '../../../src/domain/errors';
import { isValidXmlText } from './xml';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Deepest element nesting accepted; Crowd bodies are a handful of levels deep. */
export const MAX_XML_DEPTH = 256;

const NAME_START =
  'A-Za-z_:\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D' +
  '\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
// XML 1.0's NameChar includes the combining marks U+0300–U+036F: a range, not a combined character.
// eslint-disable-next-line no-misleading-character-class
const NAME = new RegExp(`[${NAME_START}][${NAME_CHAR}]*`, 'uy');
const WHITESPACE = /[ \t\n]*/y; // CR is normalised away before scanning
const XML_DECLARATION =
  /^<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(["'])1\.[0-9]+\1(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\n]+standalone[ \t\n]*=[ \t\n]*(["'])(?:yes|no)\3)?[ \t\n]*\?>/;
const REFERENCE = /&(?:#([0-9]{1,10})|#x([0-9A-Fa-f]{1,8})|([A-Za-z_:][A-Za-z0-9._:-]*));/y;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

interface Frame {
  element: XmlElement;
  text: string[];
}

export function parseXml(text: string): XmlElement {
  return new Reader(prepare(text)).document();
}

/** Drop a BOM, refuse forbidden characters, normalise line ends (XML 1.0 §2.11). */
function prepare(text: string): string {
  let src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!isValidXmlText(src)) {
    throw new DirectoryError(
      'INVALID_ARGUMENT',
      'Malformed XML: the body contains characters that XML 1.0 does not allow',
    );
  }
  if (src.includes('\r')) src = src.replace(/\r\n?/g, '\n');
  return src;
}

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

class Reader {
  private pos = 0;

  constructor(private readonly src: string) {}

  document(): XmlElement {
    if (this.src.trim() === '') this.fail('the document is empty');
    if (this.src.startsWith('<?xml') && /[ \t\n?]/.test(this.src.charAt(5))) this.declaration();
    this.misc('before');
    if (this.pos >= this.src.length) this.fail('the document has no root element');
    const root = this.element();
    this.misc('after');
    if (this.pos < this.src.length) {
      this.fail(
        this.src.charAt(this.pos) === '<'
          ? 'only one root element is allowed'
          : 'text is not allowed after the root element',
      );
    }
    return root;
  }

  private declaration(): void {
    const end = this.src.indexOf('?>');
    const match = end < 0 ? null : XML_DECLARATION.exec(this.src.slice(0, end + 2));
    if (!match) this.fail('the XML declaration is malformed');
    this.pos = match[0].length;
  }

  /** Whitespace, comments and processing instructions outside the root element. */
  private misc(where: 'before' | 'after'): void {
    for (;;) {
      this.skipWhitespace();
      if (this.src.startsWith('<!--', this.pos)) this.comment();
      else if (this.src.startsWith('<?', this.pos)) this.processingInstruction();
      else if (this.src.startsWith('<!', this.pos)) this.declarationMarkup();
      else break;
    }
    if (where === 'before' && this.pos < this.src.length && this.src.charAt(this.pos) !== '<') {
      this.fail('text is not allowed before the root element');
    }
  }

  /** The root element and everything inside it, iteratively. */
  private element(): XmlElement {
    const stack: Frame[] = [];
    let root: XmlElement | undefined;
    const open = (): void => {
      const { element, selfClosing } = this.startTag();
      const parent = stack[stack.length - 1];
      if (parent) parent.element.children.push(element);
      else root = element;
      if (!selfClosing) {
        if (stack.length >= MAX_XML_DEPTH) this.fail(`elements are nested deeper than ${MAX_XML_DEPTH} levels`);
        stack.push({ element, text: [] });
      }
    };
    open();
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const lt = this.src.indexOf('<', this.pos);
      if (lt < 0) {
        this.pos = this.src.length;
        this.fail(`element <${frame.element.name}> is not closed`);
      }
      if (lt > this.pos) {
        frame.text.push(this.characterData(this.src.slice(this.pos, lt)));
        this.pos = lt;
      }
      if (this.src.startsWith('</', this.pos)) {
        this.endTag(frame.element.name);
        frame.element.text = frame.text.join('');
        stack.pop();
      } else if (this.src.startsWith('<!--', this.pos)) {
        this.comment();
      } else if (this.src.startsWith('<![CDATA[', this.pos)) {
        frame.text.push(this.cdata());
      } else if (this.src.startsWith('<?', this.pos)) {
        this.processingInstruction();
      } else if (this.src.startsWith('<!', this.pos)) {
        this.declarationMarkup();
      } else {
        open();
      }
    }
    return root!;
  }

  private startTag(): { element: XmlElement; selfClosing: boolean } {
    this.pos += 1; // '<'
    const name = this.name('an element name after "<"');
    const attributes: Record<string, string> = Object.create(null) as Record<string, string>;
    for (;;) {
      const before = this.pos;
      this.skipWhitespace();
      if (this.src.startsWith('/>', this.pos)) {
        this.pos += 2;
        return { element: { name, attributes, children: [], text: '' }, selfClosing: true };
      }
      if (this.src.charAt(this.pos) === '>') {
        this.pos += 1;
        return { element: { name, attributes, children: [], text: '' }, selfClosing: false };
      }
      if (this.pos >= this.src.length) this.fail(`start tag <${name}> is not closed`);
      if (this.pos === before) this.fail(`expected whitespace, ">" or "/>" in start tag <${name}>`);
      const attribute = this.name(`an attribute name, ">" or "/>" in start tag <${name}>`);
      this.skipWhitespace();
      if (this.src.charAt(this.pos) !== '=') this.fail(`expected "=" after attribute ${attribute} of <${name}>`);
      this.pos += 1;
      this.skipWhitespace();
      if (Object.hasOwn(attributes, attribute)) this.fail(`attribute ${attribute} appears twice in <${name}>`);
      attributes[attribute] = this.attributeValue(attribute, name);
    }
  }

  private attributeValue(attribute: string, element: string): string {
    const quote = this.src.charAt(this.pos);
    if (quote !== '"' && quote !== "'") this.fail(`the value of attribute ${attribute} of <${element}> must be quoted`);
    const end = this.src.indexOf(quote, this.pos + 1);
    if (end < 0) this.fail(`the value of attribute ${attribute} of <${element}> is not closed`);
    const raw = this.src.slice(this.pos + 1, end);
    const lt = raw.indexOf('<');
    if (lt >= 0) {
      this.pos += 1 + lt;
      this.fail(`"<" is not allowed in the value of attribute ${attribute} of <${element}>`);
    }
    const start = this.pos + 1;
    this.pos = end + 1;
    // Attribute-value normalisation (XML 1.0 §3.3.3): literal white space becomes a space.
    return this.decode(raw.replace(/[\t\n]/g, ' '), start);
  }

  private endTag(expected: string): void {
    const at = this.pos;
    this.pos += 2; // '</'
    const name = this.name('an element name after "</"');
    if (name !== expected) {
      this.pos = at;
      this.fail(`end tag </${name}> does not match start tag <${expected}>`);
    }
    this.skipWhitespace();
    if (this.src.charAt(this.pos) !== '>') this.fail(`expected ">" to close end tag </${name}>`);
    this.pos += 1;
  }

  private characterData(raw: string): string {
    const cdataEnd = raw.indexOf(']]>');
    if (cdataEnd >= 0) {
      this.pos += cdataEnd;
      this.fail('"]]>" is not allowed in character data');
    }
    return this.decode(raw, this.pos);
  }

  private cdata(): string {
    const start = this.pos + '<![CDATA['.length;
    const end = this.src.indexOf(']]>', start);
    if (end < 0) this.fail('CDATA section is not closed');
    this.pos = end + 3;
    return this.src.slice(start, end);
  }

  private comment(): void {
    const start = this.pos + 4;
    const end = this.src.indexOf('-->', start);
    if (end < 0) this.fail('comment is not closed');
    if (this.src.indexOf('--', start) !== end) this.fail('"--" is not allowed inside a comment');
    this.pos = end + 3;
  }

  private processingInstruction(): void {
    this.pos += 2;
    const target = this.name('a processing instruction target after "<?"');
    if (target.toLowerCase() === 'xml')
      this.fail('the XML declaration is only allowed at the very start of the document');
    const end = this.src.indexOf('?>', this.pos);
    if (end < 0) this.fail(`processing instruction <?${target} is not closed`);
    this.pos = end + 2;
  }

  /** `<!` that is neither a comment nor CDATA: DTD markup, always refused. */
  private declarationMarkup(): never {
    if (this.src.startsWith('<!DOCTYPE', this.pos)) {
      throw new DirectoryError('INVALID_ARGUMENT', 'XML document type declarations (DOCTYPE) are not allowed');
    }
    if (this.src.startsWith('<!ENTITY', this.pos)) {
      throw new DirectoryError('INVALID_ARGUMENT', 'XML entity declarations are not allowed');
    }
    this.fail('unexpected markup declaration "<!"');
  }

  /** Decode the predefined entities and character references of `raw` (found at `offset`). */
  private decode(raw: string, offset: number): string {
    let amp = raw.indexOf('&');
    if (amp < 0) return raw;
    const parts: string[] = [];
    let last = 0;
    while (amp >= 0) {
      parts.push(raw.slice(last, amp));
      REFERENCE.lastIndex = amp;
      const m = REFERENCE.exec(raw);
      if (!m) {
        this.pos = offset + amp;
        this.fail('"&" must start an entity or character reference ending with ";"');
      }
      if (m[3] !== undefined) {
        const value = PREDEFINED[m[3]];
        if (value === undefined) {
          throw new DirectoryError(
            'INVALID_ARGUMENT',
            `XML entity reference &${m[3]}; is not allowed: only &lt; &gt; &amp; &quot; &apos; and character references are accepted`,
          );
        }
        parts.push(value);
      } else {
        const cp = m[1] !== undefined ? Number.parseInt(m[1], 10) : Number.parseInt(m[2]!, 16);
        if (!isXmlChar(cp)) {
          this.pos = offset + amp;
          this.fail(`character reference ${m[0]} is not a legal XML character`);
        }
        parts.push(String.fromCodePoint(cp));
      }
      last = amp + m[0].length;
      amp = raw.indexOf('&', last);
    }
    parts.push(raw.slice(last));
    return parts.join('');
  }

  private name(what: string): string {
    NAME.lastIndex = this.pos;
    const m = NAME.exec(this.src);
    if (!m) this.fail(`expected ${what}`);
    this.pos += m[0].length;
    return m[0];
  }

  private skipWhitespace(): void {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.exec(this.src);
    this.pos = WHITESPACE.lastIndex;
  }

  private fail(reason: string): never {
    const before = this.src.slice(0, this.pos);
    const line = before.split('\n').length;
    const column = this.pos - before.lastIndexOf('\n');
    throw new DirectoryError('INVALID_ARGUMENT', `Malformed XML at line ${line}, column ${column}: ${reason}`);
  }
}
