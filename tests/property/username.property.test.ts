/**
 * Property-based tests of username projection (src/sync/username.ts) and collision resolution
 * (src/sync/collisions.ts), against README "Synchronisation" → Collisions.
 *
 * Contract of `projectUsername` (username.ts): the projection of one provider value through
 * stripDomain → replace (in order) → lowercase → trim; '' when the source value is missing (the
 * engine reports such users, derive.ts `withoutUsername`). So a projection *may* be empty; it is
 * never padded with white space and is a pure function of the user and the settings.
 *
 * Contract of `resolveNameCollisions`: names unique case-insensitively (foldName); the current
 * holder keeps a contested name, else the smallest external id; every other claimant gets
 * `<name>-<id prefix>`; nobody is dropped; stable from run to run.
 */
import fc from 'fast-check';
import type { SyncSettings } from '../../src/config/sync-schema';
import { foldName } from '../../src/domain/names';
import type { ProviderUser } from '../../src/providers/provider';
import { resolveNameCollisions } from '../../src/sync/collisions';
import { projectUsername } from '../../src/sync/username';
import { anyText, params } from './arbitraries';

type UsernameSettings = SyncSettings['username'];

const REPLACEMENTS = [
  { pattern: '[.]', with: '_' },
  { pattern: '\\s+', with: '' },
  { pattern: '^.*$', with: '' }, // everything: an empty projection
  { pattern: '-', with: '' },
  { pattern: '(\\w+)_(\\w+)', with: '$2.$1' },
  { pattern: 'é', with: 'e' },
];

const settings: fc.Arbitrary<UsernameSettings> = fc.record({
  source: fc.constantFrom('login', 'email', 'samAccountName', 'missingAttribute'),
  stripDomain: fc.boolean(),
  lowercase: fc.boolean(),
  replace: fc.array(fc.constantFrom(...REPLACEMENTS), { maxLength: 3 }),
});

const login = fc.oneof(
  anyText(12),
  fc
    .tuple(
      fc.constantFrom('ada', 'Ada', ' bob ', 'c.y', 'ÉVE', 'İlk', 'ß', '', 'x_y'),
      fc.constantFrom('', '@corp.example', '@a@b.example', '@'),
      fc.constantFrom('', ' ', '\t'),
    )
    .map(([l, d, s]) => `${s}${l}${d}${s}`),
);

const providerUser: fc.Arbitrary<ProviderUser> = fc.record({
  id: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 10 }),
  login,
  email: login,
  givenName: fc.constant('G'),
  surname: fc.constant('S'),
  displayName: fc.constant('D'),
  enabled: fc.boolean(),
  guest: fc.boolean(),
  attributes: fc.oneof(
    fc.constant({}),
    login.map((samAccountName) => ({ samAccountName })),
  ),
});

/** An independent reading of the contract. */
function expectedProjection(user: ProviderUser, s: UsernameSettings): string {
  let value = s.source === 'login' ? user.login : s.source === 'email' ? user.email : (user.attributes[s.source] ?? '');
  if (s.stripDomain && value.lastIndexOf('@') > 0) value = value.slice(0, value.lastIndexOf('@'));
  for (const r of s.replace) value = value.replace(new RegExp(r.pattern, 'gu'), r.with);
  return (s.lowercase ? value.toLowerCase() : value).trim();
}

// Small alphabets make collisions (and collisions of the `-suffix` variants with real names) common.
const claimName = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'A', 'b', '-', '2'), minLength: 1, maxLength: 4 }),
  fc.constantFrom('a', 'A', 'a-b', 'A-B', 'a-b-4', 'a-2'),
);
const claimId = fc.oneof(
  fc.string({ unit: fc.constantFrom('b', '2', '4', '-', 'Z'), minLength: 1, maxLength: 4 }),
  fc.constantFrom('b', '2', '4', '-', 'b-', 'abcdefghij', 'abcdefghik'),
);
const claimants = fc.uniqueArray(fc.record({ externalId: claimId, name: claimName }), {
  selector: (c) => c.externalId,
  maxLength: 14,
});

function holdersOf(names: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...names].map(([id, name]) => [foldName(name), id]));
}

describe('username projection and collisions (property-based)', () => {
  test('projection follows the contract: stripDomain → replace → lowercase → trim; "" when the source is missing; deterministic', () => {
    fc.assert(
      fc.property(providerUser, settings, (user, s) => {
        const name = projectUsername(user, s);
        expect(projectUsername(user, s)).toBe(name);
        expect(name).toBe(expectedProjection(user, s));
        expect(name).toBe(name.trim());
        if (s.lowercase) expect(name).toBe(name.toLowerCase());
        if (s.source === 'missingAttribute') expect(name).toBe('');
        if (s.replace.length === 0 && !s.stripDomain) {
          const source =
            s.source === 'login' ? user.login : s.source === 'email' ? user.email : (user.attributes[s.source] ?? '');
          expect(name).toBe((s.lowercase ? source.toLowerCase() : source).trim());
        }
      }),
      params(1000),
    );
  });

  test('collisions: nobody dropped, names unique case-insensitively, holders and smallest ids keep their names', () => {
    fc.assert(
      fc.property(claimants, fc.array(fc.tuple(claimName, claimId), { maxLength: 6 }), (users, held) => {
        const current = new Map(held.map(([name, id]) => [foldName(name), id]));
        const { names, collisions } = resolveNameCollisions(users, current);
        // Nobody dropped or merged.
        expect([...names.keys()].sort()).toEqual(users.map((u) => u.externalId).sort());
        // Unique case-insensitively.
        const folded = [...names.values()].map(foldName);
        expect(new Set(folded).size).toBe(folded.length);
        // Who keeps a name.
        const byName = new Map<string, typeof users>();
        for (const u of users) byName.set(foldName(u.name), [...(byName.get(foldName(u.name)) ?? []), u]);
        for (const [f, list] of byName) {
          const holder = current.get(f);
          const winner =
            list.find((u) => u.externalId === holder) ??
            [...list].sort((a, b) => (a.externalId < b.externalId ? -1 : 1))[0]!;
          expect(names.get(winner.externalId)).toBe(winner.name);
          for (const other of list)
            if (other !== winner) expect(names.get(other.externalId)!.startsWith(`${other.name}-`)).toBe(true);
        }
        expect(collisions.length).toBe([...byName.values()].filter((l) => l.length > 1).length);
        // Deterministic.
        expect(resolveNameCollisions(users, current).names).toEqual(names);
      }),
      params(1000),
    );
  });

  test("collisions are stable from run to run: the next run, with this run's holders and the provider listing in any order, gives the same names", () => {
    fc.assert(
      fc.property(
        claimants.chain((users) =>
          fc.tuple(
            fc.constant(users),
            fc.shuffledSubarray(users, { minLength: users.length, maxLength: users.length }),
          ),
        ),
        ([users, reordered]) => {
          const first = resolveNameCollisions(users, new Map()).names;
          const second = resolveNameCollisions(reordered, holdersOf(first)).names;
          expect(new Map([...second].sort())).toEqual(new Map([...first].sort()));
        },
      ),
      params(1000),
    );
  });
});
