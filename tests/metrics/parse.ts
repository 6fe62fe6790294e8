/**
 * A small reader of the Prometheus text exposition format (0.0.4, what prom-client writes), strict
 * enough to catch a broken answer: every sample belongs to a family announced by `# TYPE` (a
 * histogram's `_bucket`, `_sum` and `_count` to theirs), label values are unescaped (`\\`, `\"`,
 * `\n`), and a series that appears twice — two families of one name, or one label set twice, as
 * an answer summed wrongly across processes would show — is an error. Timestamps are not expected.
 */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Family {
  readonly name: string;
  readonly type: string;
  readonly help: string;
  readonly samples: Sample[];
}

export type Labels = Readonly<Record<string, string>>;

export class Exposition {
  constructor(
    readonly text: string,
    readonly families: ReadonlyMap<string, Family>,
  ) {}

  /** Every sample of the series `name` (a family's name, or a histogram's `_bucket`/`_sum`/`_count`) whose labels include `where`. */
  samples(name: string, where: Labels = {}): Sample[] {
    const family = this.families.get(familyName(name, this.families));
    return (family?.samples ?? []).filter(
      (s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v),
    );
  }

  /** The value of the one sample of `name` with exactly these labels; undefined when there is none. */
  value(name: string, labels: Labels = {}): number | undefined {
    const wanted = Object.keys(labels).length;
    const found = this.samples(name, labels).filter((s) => Object.keys(s.labels).length === wanted);
    return found[0]?.value;
  }

  /** The sum of the samples of `name` whose labels include `where` (0 when there are none). */
  total(name: string, where: Labels = {}): number {
    return this.samples(name, where).reduce((sum, s) => sum + s.value, 0);
  }

  has(name: string): boolean {
    return this.families.has(name);
  }
}

const SUFFIXES = ['_bucket', '_sum', '_count'];

function familyName(sample: string, families: ReadonlyMap<string, Family>): string {
  if (families.has(sample)) return sample;
  for (const suffix of SUFFIXES)
    if (sample.endsWith(suffix)) {
      const base = sample.slice(0, -suffix.length);
      const type = families.get(base)?.type;
      if (type === 'histogram' || type === 'summary') return base;
    }
  return sample;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

export function parseExposition(text: string): Exposition {
  const families = new Map<string, { name: string; type: string; help: string; samples: Sample[] }>();
  const seen = new Set<string>();
  const helps = new Map<string, string>();
  for (const [index, line] of text.split('\n').entries()) {
    const where = `line ${index + 1} (${JSON.stringify(line)})`;
    if (line === '') continue;
    if (line.startsWith('# HELP ')) {
      const [, name = '', help = ''] = /^# HELP (\S+) ?(.*)$/.exec(line) ?? [];
      if (helps.has(name)) throw new Error(`${where}: a second HELP for ${name}`);
      helps.set(name, help);
      continue;
    }
    if (line.startsWith('# TYPE ')) {
      const [, name = '', type = ''] = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line) ?? [];
      if (name === '') throw new Error(`${where}: not a TYPE line`);
      if (families.has(name)) throw new Error(`${where}: a second family ${name}`);
      families.set(name, { name, type, help: helps.get(name) ?? '', samples: [] });
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = parseSample(line, where);
    const family = families.get(familyName(sample.name, families));
    if (!family) throw new Error(`${where}: sample of ${sample.name} without a # TYPE line before it`);
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seen.has(key)) throw new Error(`${where}: the series ${key} appears twice`);
    seen.add(key);
    family.samples.push(sample);
  }
  return new Exposition(text, families);
}

function parseSample(line: string, where: string): Sample {
  const name = NAME.exec(line)?.[0];
  if (!name) throw new Error(`${where}: no metric name`);
  let at = name.length;
  const labels: Record<string, string> = {};
  if (line[at] === '{') {
    at++;
    while (line[at] !== '}') {
      const label = NAME.exec(line.slice(at))?.[0];
      if (!label || line[at + label.length] !== '=' || line[at + label.length + 1] !== '"')
        throw new Error(`${where}: bad label at ${at}`);
      at += label.length + 2;
      let value = '';
      for (;;) {
        const c = line[at++];
        if (c === undefined) throw new Error(`${where}: unterminated label value`);
        if (c === '"') break;
        if (c === '\\') {
          const escaped = line[at++];
          if (escaped === 'n') value += '\n';
          else if (escaped === '\\' || escaped === '"') value += escaped;
          else throw new Error(`${where}: bad escape \\${escaped}`);
        } else value += c;
      }
      if (label in labels) throw new Error(`${where}: label ${label} twice`);
      labels[label] = value;
      if (line[at] === ',') at++;
      else if (line[at] !== '}') throw new Error(`${where}: expected , or } at ${at}`);
    }
    at++;
  }
  if (line[at] !== ' ') throw new Error(`${where}: expected a space before the value`);
  const rest = line.slice(at + 1);
  if (!/^(?:[-+]?(?:\d+\.?\d*(?:e[-+]?\d+)?|\.\d+(?:e[-+]?\d+)?|Inf)|NaN)$/i.test(rest))
    throw new Error(`${where}: not a value (or a timestamp follows): ${rest}`);
  const value = rest === '+Inf' || rest === 'Inf' ? Infinity : rest === '-Inf' ? -Infinity : Number(rest);
  return { name, labels, value };
}
