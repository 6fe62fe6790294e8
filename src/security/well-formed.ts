/**
 * True when `text` is well-formed UTF-16: no lone surrogate (e.g. JSON `"\ud800"`). Such text has
 * no UTF-8 form, so a username or password holding one cannot be right: it is refused as invalid
 * credentials before any identity provider is asked (whose request encoders would throw and be
 * reported as an outage). `String.prototype.isWellFormed` is ES2024; this is the same test.
 */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

// With the `u` flag a surrogate pair is one code point, so only lone surrogates match \p{Cs}.
const LONE_SURROGATE = /\p{Cs}/u;
