/**
 * Property-based tests of the POST /search body readers: the XML reader
 * (facades/crowd/codec/xml-reader.ts) feeding `parseXmlRestriction`, and `parseJsonRestriction`
 * (facades/crowd/search/restriction.ts), against https://developer.atlassian.com/server/crowd/json-requests-and-responses/ and https://developer.atlassian.com/server/crowd/crowd-query-language/.
 *
 * Random restriction trees are rendered by the small writers below the way Crowd clients send
 * them (with random but legal variations: case of types and logic, padding, entity and character
 * references, CDATA, comments, unknown elements, JSON key spellings, optional `restriction-type`,
 * root-name wrappers) and must read back as the same tree. Random and mutated bodies must never
 * throw anything but DirectoryError INVALID_ARGUMENT.
 */
import fc from 'fast-check';
import { DirectoryError } from '../../src/domain/errors';
import { parseXml } from '../../facades/crowd/codec/xml-reader';
import {
  MAX_RESTRICTION_DEPTH,
  parseJsonRestriction,
  parseXmlRestriction,
  type SearchRestriction,
} from '../../facades/crowd/search/restriction';
import { anyText, mutated, onlyInvalidArgument, params, restrictionTree, xmlText } from './arbitraries';

// ---------------------------------------------------------------------------------------------
// XML writer

interface XmlStyle {
  prologue: boolean;
  /** Per text: 0 escaped, 1 every non-ASCII character as a hex reference, 2 CDATA when possible, 3 decimal references for specials. */
  text: number[];
  pad: string[];
  typeCase: boolean[];
  extras: boolean[];
  selfClose: boolean[];
}

const xmlStyle: fc.Arbitrary<XmlStyle> = fc.record({
  prologue: fc.boolean(),
  text: fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 9 }),
  pad: fc.array(fc.constantFrom('', ' ', '\n  ', '\r\n\t', '<!-- c -->', ' <?pi x?> '), { minLength: 1, maxLength: 7 }),
  typeCase: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
  extras: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
  selfClose: fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }),
});

class XmlWriter {
  private n = 0;

  constructor(private readonly s: XmlStyle) {}

  private pick<T>(list: readonly T[]): T {
    return list[this.n++ % list.length]!;
  }

  /** Character data that reads back exactly (CR as a reference: a literal CR would be read as LF). */
  text(value: string): string {
    const mode = this.pick(this.s.text);
    if (mode === 2 && !value.includes(']]>') && !value.includes('\r')) return `<![CDATA[${value}]]>`;
    if (mode === 1) {
      return [...value]
        .map((ch) =>
          ch.codePointAt(0)! > 0x7e || '&<>\r'.includes(ch) ? `&#x${ch.codePointAt(0)!.toString(16)};` : ch,
        )
        .join('');
    }
    if (mode === 3) return value.replace(/[&<>\r"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
    return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
  }

  /** White space, a comment or a PI where the reader must ignore it (not inside leaf text). */
  private pad(): string {
    return this.pick(this.s.pad);
  }

  /** Leaf padding for trimmed fields: white space only (a comment would split the text, which is fine, but keep it simple). */
  private blank(): string {
    return this.pick(['', ' ', '\n', ' \t ']);
  }

  private extra(): string {
    return this.pick(this.s.extras) ? `<unknown-element a="1">ignored<x/></unknown-element>${this.pad()}` : '';
  }

  restriction(r: SearchRestriction): string {
    const p = () => this.pad();
    switch (r.kind) {
      case 'null':
        return this.pick(this.s.selfClose)
          ? '<null-search-restriction/>'
          : `<null-search-restriction>${p()}</null-search-restriction>`;
      case 'property': {
        const type = this.pick(this.s.typeCase) ? r.type.toLowerCase() : r.type;
        const property = `<property>${p()}<name>${this.blank()}${this.text(r.name)}${this.blank()}</name>${p()}<type>${this.blank()}${type}</type>${p()}</property>`;
        const mode = `<match-mode>${this.blank()}${r.matchMode}${this.blank()}</match-mode>`;
        const value = r.value === undefined ? '' : `<value>${this.text(r.value)}</value>`;
        const parts = [property, mode, value, this.extra()];
        if (this.pick(this.s.typeCase)) parts.reverse(); // the reader finds children by name, in any order
        return `<property-search-restriction>${p()}${parts.join(p())}${p()}</property-search-restriction>`;
      }
      case 'boolean': {
        const logic = this.pick(this.s.typeCase) ? r.logic.toLowerCase() : r.logic;
        const quote = this.pick(this.s.typeCase) ? '"' : "'";
        const open = `<boolean-search-restriction boolean-logic=${quote} ${logic} ${quote}>`;
        if (r.restrictions.length === 0 && this.pick(this.s.selfClose))
          return `${open}${p()}${this.extra()}</boolean-search-restriction>`;
        const list = r.restrictions.map((c) => this.restriction(c)).join(p());
        return `${open}${p()}${this.extra()}<restrictions>${p()}${list}${p()}</restrictions>${p()}</boolean-search-restriction>`;
      }
    }
  }

  document(r: SearchRestriction): string {
    const prologue = this.s.prologue ? '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' : '';
    return `${prologue}${this.restriction(r)}\n`;
  }
}

function toXml(r: SearchRestriction, s: XmlStyle): string {
  return new XmlWriter(s).document(r);
}

// ---------------------------------------------------------------------------------------------
// JSON writer

interface JsonStyle {
  typed: boolean[];
  altKeys: boolean[];
  wrap: boolean[];
}

const jsonStyle: fc.Arbitrary<JsonStyle> = fc.record({
  typed: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
  altKeys: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
  wrap: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
});

function toJson(r: SearchRestriction, s: JsonStyle): unknown {
  let n = 0;
  const pick = <T>(list: readonly T[]): T => list[n++ % list.length]!;
  const write = (x: SearchRestriction): unknown => {
    const typeName = `${x.kind}-search-restriction`;
    let fields: Record<string, unknown>;
    if (x.kind === 'null') fields = {};
    else if (x.kind === 'property') {
      fields = {
        property: { name: ` ${x.name}\n`, type: pick(s.altKeys) ? x.type.toLowerCase() : x.type },
        [pick(s.altKeys) ? 'matchMode' : 'match-mode']: ` ${x.matchMode}`,
      };
      if (x.value !== undefined) fields.value = x.value;
    } else {
      fields = {
        [pick(s.altKeys) ? 'booleanLogic' : 'boolean-logic']: pick(s.altKeys) ? x.logic.toLowerCase() : x.logic,
      };
      if (x.restrictions.length > 0 || pick(s.altKeys)) fields.restrictions = x.restrictions.map(write);
    }
    if (pick(s.wrap)) return { [typeName]: fields };
    return pick(s.typed) ? { 'restriction-type': typeName, ...fields } : fields;
  };
  // Through the wire: lone surrogates become \uD800 escapes and come back as they were.
  return JSON.parse(JSON.stringify(write(r))) as unknown;
}

// ---------------------------------------------------------------------------------------------

const readXml = (text: string): SearchRestriction => parseXmlRestriction(parseXml(text));

/** `depth` nested boolean restrictions around a property one. */
function nested(depth: number): SearchRestriction {
  let r: SearchRestriction = {
    kind: 'property',
    name: 'name',
    type: 'STRING',
    matchMode: 'EXACTLY_MATCHES',
    value: 'x',
  };
  for (let i = 1; i < depth; i++) r = { kind: 'boolean', logic: 'AND', restrictions: [r] };
  return r;
}

describe('search restriction readers (property-based)', () => {
  describe('XML', () => {
    test('round trip: a random restriction tree written as Crowd XML reads back as the tree', () => {
      fc.assert(
        fc.property(restrictionTree(xmlText(10)), xmlStyle, (tree, s) => {
          expect(readXml(toXml(tree, s))).toEqual(tree);
        }),
        params(400),
      );
    });

    test('mutated restriction XML never throws anything but DirectoryError INVALID_ARGUMENT', () => {
      const source = fc.tuple(restrictionTree(xmlText(6), 3), xmlStyle).map(([t, s]) => toXml(t, s));
      const insertions = fc.oneof(
        anyText(4),
        fc.constantFrom(
          '<',
          '>',
          '</',
          '/>',
          '&',
          '&#0;',
          '&#x110000;',
          '&#99999999999;',
          '&foo;',
          '<!DOCTYPE x>',
          '<![CDATA[',
          ']]>',
          '<!--',
          '"',
          "'",
          '<restrictions>',
          '<boolean-search-restriction>',
          '<value>',
        ),
      );
      fc.assert(
        fc.property(mutated(source, insertions), (text) => {
          onlyInvalidArgument(() => readXml(text));
        }),
        params(1500),
      );
    });

    test('random text never throws anything but DirectoryError INVALID_ARGUMENT', () => {
      const xmlish = fc
        .array(
          fc.oneof(
            anyText(3),
            fc.constantFrom(
              '<',
              '>',
              '/',
              '=',
              '"',
              '&',
              ';',
              '#',
              'x',
              '!',
              '?',
              '-',
              '[',
              ']',
              'CDATA',
              '<a>',
              '</a>',
              '<?xml version="1.0"?>',
            ),
          ),
          { maxLength: 40 },
        )
        .map((parts) => parts.join(''));
      fc.assert(
        fc.property(xmlish, (text) => {
          onlyInvalidArgument(() => readXml(text));
        }),
        params(1500),
      );
    });

    test(`nesting: up to ${MAX_RESTRICTION_DEPTH} levels read; deeper is INVALID_ARGUMENT, even far beyond the XML depth limit`, () => {
      const property =
        '<property-search-restriction><property><name>name</name><type>STRING</type></property><match-mode>EXACTLY_MATCHES</match-mode><value>x</value></property-search-restriction>';
      fc.assert(
        fc.property(fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 3000 })), (depth) => {
          // Built by repetition: a recursive writer would itself overflow the stack at these depths.
          const text =
            '<boolean-search-restriction boolean-logic="AND"><restrictions>'.repeat(depth - 1) +
            property +
            '</restrictions></boolean-search-restriction>'.repeat(depth - 1);
          const result = onlyInvalidArgument(() => readXml(text));
          if (depth <= MAX_RESTRICTION_DEPTH) expect(result).toEqual(nested(depth));
          else expect(result).toBeInstanceOf(DirectoryError);
        }),
        params(60),
      );
    });
  });

  describe('JSON', () => {
    test('round trip: a random restriction tree written as Crowd JSON reads back as the tree', () => {
      fc.assert(
        fc.property(restrictionTree(anyText(10)), jsonStyle, (tree, s) => {
          expect(parseJsonRestriction(toJson(tree, s))).toEqual(tree);
        }),
        params(400),
      );
    });

    /** JSON values built from the keys the reader looks at, so most of them get past the first check. */
    const restrictionish: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { maxDepth: 4, depthIdentifier: 'json' },
        fc.constantFrom(
          null,
          true,
          0,
          1e21,
          -0.5,
          '',
          'AND',
          'or',
          'STRING',
          'NULL',
          'EXACTLY_MATCHES',
          'null-search-restriction',
          'property-search-restriction',
          'boolean-search-restriction',
          '__proto__',
          'toString',
        ),
        anyText(5),
        fc.array(tie('node'), { maxLength: 3, depthIdentifier: 'json' }),
        fc.dictionary(
          fc.constantFrom(
            'restriction-type',
            'property',
            'name',
            'type',
            'match-mode',
            'matchMode',
            'value',
            'boolean-logic',
            'booleanLogic',
            'restrictions',
            'null-search-restriction',
            'property-search-restriction',
            'boolean-search-restriction',
            '__proto__',
            'constructor',
            'other',
          ),
          tie('node'),
          { maxKeys: 5, depthIdentifier: 'json' },
        ),
      ),
    })).node;

    test('random JSON never throws anything but DirectoryError INVALID_ARGUMENT', () => {
      fc.assert(
        fc.property(fc.oneof(restrictionish, fc.jsonValue({ maxDepth: 4 })), (value) => {
          // Through the wire, as body.ts does (JSON.parse makes "__proto__" an own key).
          const body = JSON.parse(JSON.stringify(value) ?? 'null') as unknown;
          onlyInvalidArgument(() => parseJsonRestriction(body));
        }),
        params(2000),
      );
    });

    test('mutated restriction JSON that still parses never throws anything but DirectoryError INVALID_ARGUMENT', () => {
      const source = fc.tuple(restrictionTree(anyText(6), 3), jsonStyle).map(([t, s]) => JSON.stringify(toJson(t, s)));
      fc.assert(
        fc.property(
          mutated(source, fc.constantFrom('{', '}', '[', ']', ',', ':', '"', 'null', '1', '"x"', '{}', '[]')),
          (text) => {
            let body: unknown;
            try {
              body = JSON.parse(text);
            } catch {
              return; // body.ts answers unparseable JSON itself
            }
            onlyInvalidArgument(() => parseJsonRestriction(body));
          },
        ),
        params(1500),
      );
    });

    test(`nesting: up to ${MAX_RESTRICTION_DEPTH} levels read; deeper is INVALID_ARGUMENT, not a stack overflow`, () => {
      fc.assert(
        fc.property(fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 20_000 })), (depth) => {
          let body: unknown = {
            property: { name: 'name', type: 'STRING' },
            'match-mode': 'EXACTLY_MATCHES',
            value: 'x',
          };
          for (let i = 1; i < depth; i++) body = { 'boolean-logic': 'AND', restrictions: [body] };
          const result = onlyInvalidArgument(() => parseJsonRestriction(body));
          if (depth <= MAX_RESTRICTION_DEPTH) expect(result).toEqual(nested(depth));
          else expect(result).toBeInstanceOf(DirectoryError);
        }),
        params(60),
      );
    });
  });
});
