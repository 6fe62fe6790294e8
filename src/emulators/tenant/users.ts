import type { GuidRegistry } from './ids';
import { CULTURES } from './names';
import { DEPARTMENTS, LEADERSHIP_TITLES, PARTNER_DOMAINS } from './org';
import { Rng } from './random';
import { WeightedPicker, sampleFlags } from './sampling';
import { UniqueNames, loginFragment, suffixed, upperAt } from './text';
import { TENANT_EPOCH, type TenantUser } from './types';

/** Shares of the user population (exact counts, rounded; positions random). */
export const USER_SHARES = {
  disabled: 0.05,
  guest: 0.02,
  /** Of all users; only members (non-guests) get one. */
  onPremises: 0.6,
} as const;

const MIXED_CASE_LOGIN_SHARE = 0.01;
const INITIAL_STYLE_SHARE = 0.15;
const SURNAME_FIRST_SHARE = 0.04;
const CROSS_CULTURE_SHARE = 0.25;
const MIDDLE_INITIALS = 'abcdefghijklmnoprstw';
const LEADER_SHARE = 0.08;
const GUEST_EMAIL_DISPLAY_SHARE = 0.2;
const FIVE_YEARS_S = Math.round(5 * 365.25 * 86_400);

/** Number of planted same-name pairs whose nicknames differ only in case (none below 20 users). */
export function twinPairCount(users: number): number {
  return users < 20 ? 0 : Math.min(12, Math.max(2, Math.round(users / 10_000)));
}

const culturePicker = new WeightedPicker(CULTURES.map((c) => c.weight));
const departmentPicker = new WeightedPicker(DEPARTMENTS.map((d) => d.weight));

interface Twins {
  /** For the second user of a pair: position of the first; else -1. */
  readonly twinOf: Int32Array;
  /** 1 for the first user of a pair. */
  readonly isFirst: Uint8Array;
  /** First user of the first pair: planted as "John Smith" in initial login style ("jsmith" when free). */
  readonly johnSmith: number;
}

/**
 * Generates `count` users. Contracts (see {@link TenantUser}): logins unique case-insensitively;
 * exactly round(5%) disabled, round(2%) guests and min(round(60%), members) on-premises accounts;
 * {@link twinPairCount} pairs share given name, surname and display name and have mail nicknames
 * that differ only in case (the first pair is "John Smith": "jsmith" / "JSmith" when "jsmith" is free).
 */
export function generateUsers(seed: string | number, count: number, domain: string, ids: GuidRegistry): TenantUser[] {
  const flagRng = new Rng(seed, 'user-flags');
  const disabled = sampleFlags(flagRng, count, Math.round(count * USER_SHARES.disabled));
  const guests = sampleFlags(flagRng, count, Math.round(count * USER_SHARES.guest));
  const onPremises = sampleFlags(flagRng, count, Math.round(count * USER_SHARES.onPremises), (i) => guests[i] === 0);
  const twins = plantTwins(flagRng, count, guests);

  const rng = new Rng(seed, 'users');
  const idRng = new Rng(seed, 'user-ids');
  const logins = new UniqueNames();
  const samNames = new UniqueNames();
  const users: TenantUser[] = new Array<TenantUser>(count);

  for (let i = 0; i < count; i++) {
    const id = ids.issue(idRng);
    const twinOf = twins.twinOf[i] as number;
    let givenName: string;
    let surname: string;
    let displayName: string;
    if (twinOf >= 0) {
      const first = users[twinOf] as TenantUser;
      ({ givenName, surname, displayName } = first);
    } else if (i === twins.johnSmith) {
      givenName = 'John';
      surname = 'Smith';
      displayName = 'John Smith';
    } else {
      const culture = CULTURES[culturePicker.next(rng)]!;
      const surnameCulture = rng.chance(CROSS_CULTURE_SHARE) ? CULTURES[culturePicker.next(rng)]! : culture;
      givenName = rng.pick(culture.given);
      surname = rng.pick(surnameCulture.surnames);
      displayName = rng.chance(SURNAME_FIRST_SHARE) ? `${surname}, ${givenName}` : `${givenName} ${surname}`;
    }
    const given = loginFragment(givenName);
    const family = loginFragment(surname);
    const createdAt = new Date(TENANT_EPOCH - Math.floor(FIVE_YEARS_S * (1 - Math.sqrt(rng.float()))) * 1000);
    const enabled = disabled[i] === 0;

    if (guests[i] === 1) {
      const home = rng.pick(PARTNER_DOMAINS);
      const local = `${given}.${family}`.toLowerCase();
      const tail = `_${home}#EXT#`;
      const nickname = logins.claim(local + tail, (n) => suffixed(local)(n) + tail);
      const homeAddress = `${nickname.slice(0, -tail.length)}@${home}`;
      users[i] = {
        id,
        givenName,
        surname,
        displayName: rng.chance(GUEST_EMAIL_DISPLAY_SHARE) ? homeAddress : displayName,
        login: `${nickname}@${domain}`,
        mail: homeAddress,
        mailNickname: nickname,
        samAccountName: null,
        department: '',
        jobTitle: '',
        employeeId: '',
        enabled,
        guest: true,
        createdAt,
      };
      continue;
    }

    const initialStyle = i === twins.johnSmith || rng.chance(INITIAL_STYLE_SHARE);
    const keepCase = twinOf < 0 && twins.isFirst[i] === 0 && rng.chance(MIXED_CASE_LOGIN_SHARE);
    const local = claimLogin(rng, logins, given, family, initialStyle, keepCase);
    const mailNickname = twinOf >= 0 ? caseTwin((users[twinOf] as TenantUser).mailNickname) : local;
    const department = DEPARTMENTS[departmentPicker.next(rng)]!;
    const jobTitle = rng.chance(LEADER_SHARE)
      ? rng.pick(LEADERSHIP_TITLES).replace('%', department.name)
      : rng.pick(department.titles);
    const samBase = (given.charAt(0) + family).toLowerCase();
    users[i] = {
      id,
      givenName,
      surname,
      displayName,
      login: `${local}@${domain}`,
      mail: `${mailNickname}@${domain}`,
      mailNickname,
      samAccountName: onPremises[i] === 1 ? samNames.claim(samBase, suffixed(samBase, 20)) : null,
      department: department.name,
      jobTitle,
      employeeId: String(100_000 + i * 3 + rng.int(3)),
      enabled,
      guest: false,
      createdAt,
    };
  }
  return users;
}

/**
 * Claims a login local part: "given.surname" (or "gsurname" in initial style); when taken, the
 * same with a random middle initial ("given.k.surname", "gksurname"); when that is taken too, the
 * base with a number ("given.surname7"). Lower case unless `keepCase`.
 */
function claimLogin(
  rng: Rng,
  logins: UniqueNames,
  given: string,
  family: string,
  initialStyle: boolean,
  keepCase: boolean,
): string {
  const cased = (text: string): string => (keepCase ? text : text.toLowerCase());
  const base = cased(initialStyle ? given.charAt(0) + family : `${given}.${family}`);
  if (logins.reserve(base)) return base;
  const letter = MIDDLE_INITIALS.charAt(rng.int(MIDDLE_INITIALS.length));
  const middle = keepCase ? letter.toUpperCase() : letter;
  const withMiddle = cased(initialStyle ? given.charAt(0) + middle + family : `${given}.${middle}.${family}`);
  if (logins.reserve(withMiddle)) return withMiddle;
  return logins.claim(base, suffixed(base));
}

/**
 * A nickname differing from `nickname` only in case: the first letter and the letter after each
 * dot upper-cased ("john.smith" → "John.Smith"), or the first two for dotless ones ("jsmith" →
 * "JSmith"); all upper case if that changes nothing.
 */
function caseTwin(nickname: string): string {
  const dots = [...nickname].flatMap((ch, i) => (ch === '.' ? [i + 1] : []));
  const twin = upperAt(nickname, dots.length > 0 ? [0, ...dots] : [0, 1]);
  return twin === nickname ? nickname.toUpperCase() : twin;
}

/** Picks the planted same-name pairs among members; the first user of each pair comes first. */
function plantTwins(rng: Rng, count: number, guests: Uint8Array): Twins {
  const twinOf = new Int32Array(count).fill(-1);
  const isFirst = new Uint8Array(count);
  const taken = new Set<number>();
  let johnSmith = -1;
  const members = count - guests.reduce((sum, g) => sum + g, 0);
  for (let p = 0; p < twinPairCount(count) && taken.size + 2 <= members; p++) {
    const pair: number[] = [];
    while (pair.length < 2) {
      const i = rng.int(count);
      if (guests[i] === 0 && !taken.has(i)) {
        taken.add(i);
        pair.push(i);
      }
    }
    const [a, b] = pair[0]! < pair[1]! ? [pair[0]!, pair[1]!] : [pair[1]!, pair[0]!];
    twinOf[b] = a;
    isFirst[a] = 1;
    if (p === 0) johnSmith = a;
  }
  return { twinOf, isFirst, johnSmith };
}
