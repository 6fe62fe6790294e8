/** Text helpers: ASCII folding for logins and slugs, and case-insensitive unique name claims. */

/** Letters that Unicode decomposition does not reduce to ASCII. */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ł: 'l',
  Ł: 'L',
  ø: 'o',
  Ø: 'O',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ı: 'i',
  þ: 'th',
  Þ: 'Th',
};

const foldCache = new Map<string, string>();

/**
 * Case-preserving ASCII transliteration: "Łukasz Żółć" → "Lukasz Zolc", "Ngọc" → "Ngoc".
 * Characters with no Latin reading (e.g. CJK) are dropped. Results are memoised (name
 * vocabularies are small), so only call it with a bounded set of inputs in hot loops.
 */
export function asciiFold(text: string): string {
  let folded = foldCache.get(text);
  if (folded === undefined) {
    folded = text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^\u0000-\u007f]/g, (ch) => SPECIAL_LETTERS[ch] ?? '');
    if (foldCache.size < 10_000) foldCache.set(text, folded);
  }
  return folded;
}

/** A name as a login fragment: ASCII letters, digits and hyphens, case preserved ("O'Brien" → "OBrien"). */
export function loginFragment(name: string): string {
  return asciiFold(name).replace(/[^A-Za-z0-9-]/g, '');
}

/** Lower-case ASCII slug: runs of anything else become one hyphen; '' when nothing is left. */
export function slug(text: string): string {
  return asciiFold(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Upper-cases the characters at `positions`; the result differs from `text` only in case. */
export function upperAt(text: string, positions: readonly number[]): string {
  const chars = [...text];
  for (const p of positions) if (p >= 0 && p < chars.length) chars[p] = (chars[p] as string).toUpperCase();
  return chars.join('');
}

/**
 * A registry of names that are unique case-insensitively (folded with `toLowerCase`, as Crowd
 * folds names). `claim` returns the first free candidate among `format(1)`, `format(2)`, …;
 * suffix numbers only grow per `key`, so repeated claims of a popular base stay O(1).
 */
export class UniqueNames {
  private readonly used = new Set<string>();
  private readonly nextSuffix = new Map<string, number>();

  /** `format(1)` is the unsuffixed form; `key` identifies the base for suffix bookkeeping. */
  claim(key: string, format: (n: number) => string): string {
    const folded = key.toLowerCase();
    let n = this.nextSuffix.get(folded) ?? 1;
    for (;;) {
      const candidate = format(n);
      n++;
      if (this.reserve(candidate)) {
        if (n > 2) this.nextSuffix.set(folded, n); // only bases that collided need bookkeeping
        return candidate;
      }
    }
  }

  /** Reserves `name` if free; false when it (in any case) is already taken. */
  reserve(name: string): boolean {
    const folded = name.toLowerCase();
    if (this.used.has(folded)) return false;
    this.used.add(folded);
    return true;
  }

  has(name: string): boolean {
    return this.used.has(name.toLowerCase());
  }
}

/** `base` with " n" appended from 2 on: "Project Falcon", "Project Falcon 2", … */
export function spaced(base: string): (n: number) => string {
  return (n) => (n === 1 ? base : `${base} ${n}`);
}

/** `base` with n appended from 2 on, truncated so the result fits `maxLength`: "jsmith", "jsmith2", … */
export function suffixed(base: string, maxLength = Infinity): (n: number) => string {
  return (n) => {
    const tail = n === 1 ? '' : String(n);
    return base.slice(0, Math.max(1, maxLength - tail.length)) + tail;
  };
}
