import { interpolateEnv } from '../../src/config/interpolate';

const env = { HOST: 'db.example.com', TOKEN: 's3cr3t', EMPTY: '', YAMLISH: '{a: 1}\n- b: [c]', REF: '${HOST}' };

describe('interpolateEnv', () => {
  it('replaces ${NAME} in strings at any depth', () => {
    const input = { a: 'x-${HOST}-y', b: [{ c: ['${TOKEN}', 'plain'] }], d: '${HOST}${TOKEN}' };
    const { value, problems } = interpolateEnv(input, env);
    expect(problems).toEqual([]);
    expect(value).toEqual({ a: 'x-db.example.com-y', b: [{ c: ['s3cr3t', 'plain'] }], d: 'db.example.coms3cr3t' });
  });

  it('keeps non-strings and does not mutate the input', () => {
    const input = { n: 1, b: true, z: null, s: '${HOST}' };
    const { value } = interpolateEnv(input, env);
    expect(value).toEqual({ n: 1, b: true, z: null, s: 'db.example.com' });
    expect(input.s).toBe('${HOST}');
  });

  it('treats $${ as a literal ${ and leaves other dollars alone', () => {
    const { value, problems } = interpolateEnv(['$${HOST}', 'cost $5', '$$', 'a$b', '$${'], env);
    expect(problems).toEqual([]);
    expect(value).toEqual(['${HOST}', 'cost $5', '$$', 'a$b', '${']);
  });

  it('does not interpolate keys', () => {
    const { value } = interpolateEnv({ '${HOST}': '${HOST}' }, env);
    expect(value).toEqual({ '${HOST}': 'db.example.com' });
  });

  it('inserts values verbatim: YAML-like content stays a string, references are not re-expanded', () => {
    const { value } = interpolateEnv({ a: '${YAMLISH}', b: '${REF}', c: '${EMPTY}' }, env);
    expect(value).toEqual({ a: '{a: 1}\n- b: [c]', b: '${HOST}', c: '' });
  });

  it('reports each unset variable with its path and name', () => {
    const { problems } = interpolateEnv({ a: [{ b: '${NOPE} ${ALSO_NOPE}' }], c: '${HOST}' }, env);
    expect(problems).toEqual([
      { path: ['a', 0, 'b'], message: 'environment variable NOPE is not set' },
      { path: ['a', 0, 'b'], message: 'environment variable ALSO_NOPE is not set' },
    ]);
  });

  it('reports malformed references', () => {
    const { problems } = interpolateEnv({ a: '${1BAD}', b: '${X:-default}', c: 'tail ${HOST' }, env);
    expect(problems.map((p) => [p.path, p.message.split(' (')[0]])).toEqual([
      [['a'], 'invalid variable reference "${1BAD}"'],
      [['b'], 'invalid variable reference "${X:-default}"'],
      [['c'], 'unclosed "${"'],
    ]);
  });

  it('rejects a __proto__ key instead of copying it', () => {
    const input = JSON.parse('{"a": {"__proto__": {"polluted": true}}}') as unknown;
    const { value, problems } = interpolateEnv(input, env);
    expect(problems).toEqual([{ path: ['a', '__proto__'], message: 'the key "__proto__" is not allowed' }]);
    expect((value as { a: { polluted?: boolean } }).a.polluted).toBeUndefined();
  });
});
