/**
 * The fuzzer's case generator, shared by tests/fuzz/front-doors.test.ts (small budget) and
 * bench/fuzz.ts (large budget): case `index` of a run seeded with `seed` is always the same bytes,
 * so a failing case is replayed from those two numbers (`CROWDGATE_FUZZ_SEED`, `CROWDGATE_FUZZ_ONLY`).
 *
 * The mix: Crowd routes with random and hostile parameters, headers and bodies (45%), the same
 * with their bytes mutated (10%), very long query strings (3%), GraphQL (32%), raw-socket
 * garbage (8%), other paths of the server (2%).
 */
import { single, type FuzzCase } from './case';
import { crowdCase, longQueryCrowdCase, mutatedCrowdCase, type CrowdContext } from './crowd-cases';
import { graphqlCase } from './graphql-cases';
import { rawCase } from './raw-cases';
import { caseSeed, Rng } from './rng';
import type { Vocabulary } from './values';
import type { WireTarget } from './wire';

export type { FuzzCase } from './case';
export { describeCase } from './case';
export type { Vocabulary } from './values';

/** Mount points of the Crowd facade without a context path (src/server: `/rest/usermanagement/{1,latest}`). */
export const CROWD_MOUNTS = ['/rest/usermanagement/1', '/rest/usermanagement/latest'] as const;

export interface GeneratorContext {
  readonly target: WireTarget;
  readonly vocab: Vocabulary;
}

const OTHER_PATHS = [
  '/',
  '/favicon.ico',
  '/rest',
  '/rest/usermanagement',
  '/rest/usermanagement/1',
  '/rest/usermanagement/1/',
  '/rest/usermanagement/2/user',
  '/REST/usermanagement/1/user',
  '/rest/usermanagement/1;x/user',
  '/rest/usermanagement/latest/..%2f..%2fgraphql',
  '/rest//usermanagement/1/user',
  '/crowd/rest/usermanagement/1/user',
  '/__proto__',
  '/constructor',
  '/%00',
  '/..',
  '/.env',
  '/graphql/ide',
  '/graphql/ide/',
];

/** Case `index` of the run seeded with `seed`. */
export function generateCase(seed: number, index: number, ctx: GeneratorContext): FuzzCase {
  const rng = new Rng(caseSeed(seed, index));
  const base = { seed, index };
  const crowd: CrowdContext = { ...ctx, mounts: CROWD_MOUNTS };
  return rng.weighted<FuzzCase>([
    [45, () => crowdCase(rng, crowd, base)],
    [10, () => mutatedCrowdCase(rng, crowd, base)],
    [3, () => longQueryCrowdCase(rng, crowd, base)],
    [32, () => graphqlCase(rng, ctx, base)],
    [8, () => rawCase(rng, crowd, base)],
    [
      2,
      () => {
        const path = rng.pick(OTHER_PATHS);
        const method = rng.pick(['GET', 'POST', 'HEAD', 'DELETE', 'OPTIONS']);
        const auth = rng.chance(0.5)
          ? ([
              [
                'Authorization',
                `Basic ${Buffer.from(`${ctx.vocab.application.name}:${ctx.vocab.application.password}`).toString('base64')}`,
              ],
            ] as Array<[string, string]>)
          : [];
        const door =
          path.startsWith('/rest/usermanagement/1') &&
          (path === '/rest/usermanagement/1' || path.startsWith('/rest/usermanagement/1/'))
            ? 'crowd'
            : path.startsWith('/graphql/ide/')
              ? 'ide'
              : 'other';
        return single(
          ctx.target,
          { ...base, door, generator: 'other/path', label: `${method} ${path}` },
          { method, target: path, headers: [...auth, ['Connection', 'close']], body: Buffer.alloc(0) },
        );
      },
    ],
  ]);
}
