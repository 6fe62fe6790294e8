/**
 * Request bodies of the Crowd facade, generated and broken: search restrictions (XML, JSON, CQL),
 * passwords, authentication contexts, validation factors; then truncated, duplicated, nested
 * thousands deep, inflated, given DTDs and entities, invalid UTF-8 and lone surrogates.
 */
import { MATCH_MODES } from '../../facades/crowd/search/restriction';
import type { Rng } from './rng';
import { BAD_UTF8, JSON_NUMBERS, longText, name, text, xmlEscape, type Vocabulary } from './values';

const PROPERTIES = [
  'name',
  'email',
  'firstName',
  'lastName',
  'displayName',
  'active',
  'createdDate',
  'updatedDate',
  'key',
  'department',
  'login',
  'Name',
  'EMAIL',
  '',
];
const TYPES = ['STRING', 'BOOLEAN', 'DATE', 'string', 'Boolean', 'INTEGER', '', 'java.lang.String'];
/** Every valid mode, and spellings Crowd refuses. */
const MODES = [...MATCH_MODES, 'exactly_matches', 'MATCHES', ''];
const LOGIC = ['AND', 'OR', 'and', 'or', 'Xor', ''];
const DATES = [
  '2010-12-08T16:11:21.181+1100',
  '2024-01-01T00:00:00.000Z',
  '2024-13-45T25:61:61.000+0000',
  '0000-00-00T00:00:00.000+0000',
  '1970-01-01',
  '99999-01-01T00:00:00.000+0000',
  'yesterday',
];

type Restriction =
  | { kind: 'null' }
  | { kind: 'property'; property: string; type: string; mode: string; value?: string }
  | { kind: 'boolean'; logic: string; children: Restriction[] };

function restriction(rng: Rng, vocab: Vocabulary, depth: number): Restriction {
  return rng.weighted<Restriction>([
    [1, () => ({ kind: 'null' })],
    [
      4,
      () => {
        const property = rng.pick(PROPERTIES);
        const type = rng.chance(0.8)
          ? property === 'active'
            ? 'BOOLEAN'
            : /Date$/.test(property)
              ? 'DATE'
              : 'STRING'
          : rng.pick(TYPES);
        const mode = rng.pick(MODES);
        const value = rng.weighted<string | undefined>([
          [
            4,
            () =>
              property === 'active'
                ? rng.pick(['true', 'false', 'TRUE', 'yes', ''])
                : /Date$/.test(property)
                  ? rng.pick(DATES)
                  : name(rng, vocab.users),
          ],
          [2, () => text(rng, 20)],
          [1, () => undefined],
          [1, () => longText(rng, 100, 50_000)],
        ]);
        return { kind: 'property', property, type, mode, ...(value !== undefined ? { value } : {}) };
      },
    ],
    [
      depth > 0 ? 2 : 0,
      () => ({
        kind: 'boolean',
        logic: rng.pick(LOGIC),
        children: rng.times(rng.range(0, 4), () => restriction(rng, vocab, depth - 1)),
      }),
    ],
  ]);
}

function restrictionXml(r: Restriction): string {
  switch (r.kind) {
    case 'null':
      return '<null-search-restriction/>';
    case 'property':
      return `<property-search-restriction><property><name>${xmlEscape(r.property)}</name><type>${xmlEscape(r.type)}</type></property><match-mode>${xmlEscape(r.mode)}</match-mode>${r.value !== undefined ? `<value>${xmlEscape(r.value)}</value>` : ''}</property-search-restriction>`;
    case 'boolean':
      return `<boolean-search-restriction boolean-logic="${xmlEscape(r.logic)}"><restrictions>${r.children.map(restrictionXml).join('')}</restrictions></boolean-search-restriction>`;
  }
}

function restrictionJson(rng: Rng, r: Restriction): unknown {
  const typed = rng.chance(0.85);
  switch (r.kind) {
    case 'null':
      return typed ? { 'restriction-type': 'null-search-restriction' } : {};
    case 'property':
      return {
        ...(typed ? { 'restriction-type': 'property-search-restriction' } : {}),
        property: { name: r.property, type: r.type },
        [rng.chance(0.8) ? 'match-mode' : 'matchMode']: r.mode,
        ...(r.value !== undefined ? { value: r.value } : {}),
      };
    case 'boolean':
      return {
        ...(typed ? { 'restriction-type': 'boolean-search-restriction' } : {}),
        'boolean-logic': r.logic,
        restrictions: r.children.map((c) => restrictionJson(rng, c)),
      };
  }
}

export type BodyKind = 'xml' | 'json';

export interface Body {
  readonly kind: BodyKind;
  readonly bytes: Buffer;
  /** Over the 1 MiB limit. */
  readonly oversized?: boolean;
}

const PROLOGUES = [
  '',
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
  '<?xml version="1.0"?>\n',
  '<?xml version="1.1" encoding="ISO-8859-1"?>',
  '<?xml version="1.0" encoding="UTF-16"?>',
  '\ufeff',
  '<?xml-stylesheet href="x"?>',
];

/** A search restriction body for POST /search, generated then perhaps broken. */
export function searchBody(rng: Rng, vocab: Vocabulary): Body {
  const r = restriction(rng, vocab, rng.range(0, 4));
  const kind: BodyKind = rng.chance(0.65) ? 'xml' : 'json';
  const plain = kind === 'xml' ? `${rng.pick(PROLOGUES)}${restrictionXml(r)}` : JSON.stringify(restrictionJson(rng, r));
  return rng.chance(0.45)
    ? breakBody(rng, kind, plain, () =>
        kind === 'xml'
          ? restrictionXml(restriction(rng, vocab, 1))
          : JSON.stringify(restrictionJson(rng, restriction(rng, vocab, 1))),
      )
    : { kind, bytes: Buffer.from(plain, 'utf8') };
}

/** `<password><value>…</value></password>` or `{"value":…}`, right or wrong, perhaps broken. */
export function passwordBody(rng: Rng, vocab: Vocabulary): Body {
  const value = rng.weighted<string>([
    [4, () => vocab.userPassword],
    [2, () => text(rng, 12)],
    [1, () => ''],
    [1, () => longText(rng, 1000, 100_000)],
  ]);
  const kind: BodyKind = rng.chance(0.6) ? 'xml' : 'json';
  const plain =
    kind === 'xml'
      ? rng.weighted<string>([
          [6, () => `${rng.pick(PROLOGUES)}<password><value>${xmlEscape(value)}</value></password>`],
          [1, () => '<password/>'],
          [1, () => `<password><value>${xmlEscape(value)}</value><value>x</value></password>`],
          [1, () => `<credential><value>${xmlEscape(value)}</value></credential>`],
        ])
      : rng.weighted<string>([
          [6, () => JSON.stringify({ value })],
          [1, () => JSON.stringify({ value: rng.pick<unknown>([null, 5, true, ['demo'], { value: 'demo' }]) })],
          [1, () => JSON.stringify(value)],
          [1, () => '{}'],
        ]);
  return rng.chance(0.3)
    ? breakBody(rng, kind, plain, () => `<value>${xmlEscape(value)}</value>`)
    : { kind, bytes: Buffer.from(plain, 'utf8') };
}

function factorsXml(rng: Rng): string {
  return `<validation-factors>${rng
    .times(
      rng.range(0, 4),
      () =>
        `<validation-factor><name>${xmlEscape(rng.pick(['remote_address', 'X-Forwarded-For', 'Random-Number', 'privilege', text(rng, 10)]))}</name><value>${xmlEscape(rng.pick(['127.0.0.1', '::1', '10.0.0.1, 127.0.0.1', text(rng, 30)]))}</value></validation-factor>`,
    )
    .join('')}</validation-factors>`;
}

function factorsJson(rng: Rng): unknown {
  return rng.times(rng.range(0, 4), () => ({
    name: rng.pick(['remote_address', 'X-Forwarded-For', 'Random-Number', text(rng, 10)]),
    value: rng.pick<unknown>(['127.0.0.1', '::1', text(rng, 30), null, 5]),
  }));
}

/** POST /session: an authentication context. */
export function sessionBody(rng: Rng, vocab: Vocabulary): Body {
  const username = name(rng, vocab.users);
  const password = rng.chance(0.6) ? vocab.userPassword : text(rng, 10);
  const kind: BodyKind = rng.chance(0.6) ? 'xml' : 'json';
  const plain =
    kind === 'xml'
      ? `${rng.pick(PROLOGUES)}<authentication-context><username>${xmlEscape(username)}</username>${rng.chance(0.9) ? `<password>${xmlEscape(password)}</password>` : ''}${rng.chance(0.7) ? factorsXml(rng) : ''}</authentication-context>`
      : JSON.stringify({
          username: rng.chance(0.95) ? username : rng.pick<unknown>([null, 5, {}]),
          password,
          [rng.pick(['validation-factors', 'validationFactors', 'validation-factor'])]: factorsJson(rng),
        });
  return rng.chance(0.3)
    ? breakBody(rng, kind, plain, () => factorsXml(rng))
    : { kind, bytes: Buffer.from(plain, 'utf8') };
}

/** POST /session/{token}: validation factors. */
export function factorsBody(rng: Rng): Body {
  const kind: BodyKind = rng.chance(0.6) ? 'xml' : 'json';
  const plain =
    kind === 'xml'
      ? factorsXml(rng)
      : JSON.stringify(rng.chance(0.5) ? factorsJson(rng) : { validationFactors: factorsJson(rng) });
  return rng.chance(0.3)
    ? breakBody(rng, kind, plain, () => factorsXml(rng))
    : { kind, bytes: Buffer.from(plain, 'utf8') };
}

/** Any body at all, for routes that take none or to send the wrong one. */
export function anyBody(rng: Rng, vocab: Vocabulary): Body {
  return rng.pick([searchBody, passwordBody, sessionBody, (r: Rng) => factorsBody(r)])(rng, vocab);
}

const BILLION_LAUGHS =
  '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>';

/**
 * Breaks a well-formed body: `plain` is its text; `fragment()` gives a small well-formed piece of
 * the same language for duplication.
 */
function breakBody(rng: Rng, kind: BodyKind, plain: string, fragment: () => string): Body {
  const utf8 = (s: string) => Buffer.from(s, 'utf8');
  return rng.weighted<Body>([
    // Truncated anywhere.
    [3, () => ({ kind, bytes: utf8(plain).subarray(0, rng.int(Math.max(1, Buffer.byteLength(plain)))) })],
    // A piece duplicated, or a tag / key repeated.
    [
      2,
      () => {
        const at = rng.int(plain.length + 1);
        return { kind, bytes: utf8(plain.slice(0, at) + fragment() + plain.slice(at)) };
      },
    ],
    // Deep nesting: thousands of levels.
    [
      2,
      () => {
        const depth = rng.logRange(50, 60_000);
        const bytes =
          kind === 'xml'
            ? utf8(
                rng.chance(0.5)
                  ? `${'<boolean-search-restriction boolean-logic="AND"><restrictions>'.repeat(depth)}<null-search-restriction/>${'</restrictions></boolean-search-restriction>'.repeat(depth)}`
                  : `${'<a>'.repeat(depth)}${'</a>'.repeat(rng.chance(0.5) ? depth : rng.int(depth))}`,
              )
            : utf8(
                rng.chance(0.5)
                  ? `${'{"restriction-type":"boolean-search-restriction","boolean-logic":"or","restrictions":['.repeat(depth)}{"restriction-type":"null-search-restriction"}${']}'.repeat(depth)}`
                  : `${'['.repeat(depth)}${']'.repeat(rng.chance(0.5) ? depth : rng.int(depth))}`,
              );
        return { kind, bytes, oversized: bytes.length > 1024 * 1024 };
      },
    ],
    // Huge values: near and over the 1 MiB limit.
    [
      2,
      () => {
        const size = rng.chance(0.8) ? rng.logRange(10_000, 1_000_000) : rng.range(1_048_577, 1_300_000);
        const filler = longText(rng, size, size);
        const bytes = utf8(
          kind === 'xml'
            ? plain.replace(/(<value>|<name>|<username>)/, `$1${xmlEscape(filler)}`)
            : plain.replace(/("value":|"username":|"name":)"/, `$1"${filler.replace(/["\\]/g, '')}`),
        );
        return { kind, bytes, oversized: bytes.length > 1024 * 1024 };
      },
    ],
    // DTDs and entities (XML) / prototype keys and duplicate keys (JSON).
    [
      2,
      () =>
        kind === 'xml'
          ? {
              kind,
              bytes: utf8(
                rng.pick([
                  `${BILLION_LAUGHS}<password><value>&lol9;</value></password>`,
                  '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><password><value>&x;</value></password>',
                  '<?xml version="1.0"?><!DOCTYPE p SYSTEM "http://127.0.0.1:1/x.dtd"><null-search-restriction/>',
                  '<!DOCTYPE p [<!ELEMENT p ANY>]><null-search-restriction/>',
                  `<password><value>&amp;&lt;&#0;&#x110000;&#xD800;&#65;&unknown;&#;</value></password>`,
                  '<![CDATA[<null-search-restriction/>]]>',
                  '<!-- x --><null-search-restriction/><!-- y',
                  '<null-search-restriction/><null-search-restriction/>',
                  '<x:null-search-restriction xmlns:x="urn:x"/>',
                  `<property-search-restriction a="1" a="2">${plain}</property-search-restriction>`,
                  plain.replace(/>/, ' xmlns="http://www.w3.org/1999/xhtml">'),
                ]),
              ),
            }
          : {
              kind,
              bytes: utf8(
                rng.pick([
                  '{"__proto__":{"restriction-type":"null-search-restriction","value":"demo"}}',
                  '{"constructor":{"prototype":{"polluted":true}},"restriction-type":"null-search-restriction"}',
                  `{"restriction-type":"property-search-restriction","restriction-type":"boolean-search-restriction","restrictions":null}`,
                  `{"value":"a","value":${JSON.stringify(rng.pick(JSON_NUMBERS))}}`,
                  '{"restriction-type":"boolean-search-restriction","boolean-logic":"and","restrictions":{"length":1e9}}',
                  '{"restriction-type":"property-search-restriction","property":{"name":{"toString":1},"type":"STRING"},"match-mode":"CONTAINS","value":[]}',
                  'null',
                  '[]',
                  '1e999',
                  '"\\ud800"',
                  '{"value":"\\ud800\\udfff\\u0000"}',
                  `{"username":"\\udc00","password":"\\ud800"}`,
                  plain.replace(/"$/, '\\ud800"'),
                ]),
              ),
            },
    ],
    // Invalid UTF-8 or a BOM inserted at random.
    [
      2,
      () => {
        const bytes = utf8(plain);
        const at = rng.int(bytes.length + 1);
        const inserted = rng.chance(0.8)
          ? rng.pick(BAD_UTF8)
          : rng.pick([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff])]);
        return { kind, bytes: Buffer.concat([bytes.subarray(0, at), inserted, bytes.subarray(at)]) };
      },
    ],
    // Lone surrogates as text (UTF-8 encoding turns them into U+FFFD) and escaped (JSON).
    [1, () => ({ kind, bytes: utf8(plain.replace(/(demo|null|STRING)/, kind === 'json' ? '$1\\udbff' : '$1\ud800')) })],
    // UTF-16 with a BOM.
    [1, () => ({ kind, bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(plain, 'utf16le')]) })],
    // Entirely different content.
    [
      1,
      () => ({
        kind,
        bytes: utf8(rng.pick(['', ' ', '\r\n', 'x', '<', '{', '}{', 'true', '<a', '<?xml', '\u0000\u0000', 'demo'])),
      }),
    ],
  ]);
}
