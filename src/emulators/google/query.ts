import { enrolledIn2Sv, orgUnitPath } from './mapping';
import type { GroupRecord, UserRecord } from './records';

/**
 * The basics of the Directory API search syntax (developers.google.com/admin-sdk/directory/v1/guides/search-users
 * and search-groups): space-separated clauses `field:value` or `field=value`, all of which must
 * hold. Values may be quoted ('…' or "…"); a trailing `*` makes a prefix match; matching is
 * case-insensitive. Users: email, givenName, familyName, name, isAdmin, isSuspended, isArchived,
 * isEnrolledIn2Sv, orgUnitPath (the unit and its sub-units), orgDepartment, orgTitle,
 * externalId. Groups: email, name, memberKey. Anything else is a 400 "Invalid Input".
 */

export type Predicate<T> = (record: T) => boolean;

interface Clause {
  readonly field: string;
  readonly op: ':' | '=';
  readonly value: string;
}

const CLAUSE = /^([A-Za-z][A-Za-z0-9]*)([:=])(?:'([^']*)'|"([^"]*)"|(\S+))/;

/** Splits a query into clauses; null when it does not parse. */
function parseClauses(query: string): Clause[] | null {
  const clauses: Clause[] = [];
  let rest = query.trim();
  while (rest.length > 0) {
    const m = CLAUSE.exec(rest);
    if (m === null) return null;
    clauses.push({ field: m[1] as string, op: m[2] as ':' | '=', value: m[3] ?? m[4] ?? m[5] ?? '' });
    rest = rest.slice(m[0].length).trimStart();
  }
  return clauses;
}

/** Exact (case-insensitive) match, or prefix match when the value ends in `*` (only with `:`). */
function textMatcher(clause: Clause): (candidate: string) => boolean {
  const value = clause.value.toLowerCase();
  if (clause.op === ':' && value.endsWith('*')) {
    const prefix = value.slice(0, -1);
    return (candidate) => candidate.toLowerCase().startsWith(prefix);
  }
  return (candidate) => candidate.toLowerCase() === value;
}

function booleanValue(clause: Clause): boolean | null {
  const v = clause.value.toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : null;
}

function userClause(clause: Clause, isAdmin: (tenantId: string) => boolean): Predicate<UserRecord> | null {
  const text = textMatcher(clause);
  switch (clause.field) {
    case 'email':
      return (r) => text(r.email) || r.aliases.some(text);
    case 'givenName':
      return (r) => text(r.live.givenName);
    case 'familyName':
      return (r) => text(r.live.surname);
    case 'name':
      return (r) => text(`${r.live.givenName} ${r.live.surname}`) || text(r.live.givenName) || text(r.live.surname);
    case 'orgDepartment':
      return (r) => text(r.live.department);
    case 'orgTitle':
      return (r) => text(r.live.jobTitle);
    case 'externalId':
      return (r) => r.live.employeeId !== '' && text(r.live.employeeId);
    case 'orgUnitPath': {
      const path = clause.value.toLowerCase().replace(/\/+$/, '') || '/';
      return (r) => {
        const own = orgUnitPath(r.live.department).toLowerCase();
        return path === '/' || own === path || own.startsWith(`${path}/`);
      };
    }
    case 'isAdmin':
    case 'isSuspended':
    case 'isArchived':
    case 'isEnrolledIn2Sv': {
      const wanted = booleanValue(clause);
      if (wanted === null) return null;
      const field = clause.field;
      return (r) => {
        const actual =
          field === 'isAdmin'
            ? isAdmin(r.tenantId)
            : field === 'isSuspended'
              ? r.suspended
              : field === 'isArchived'
                ? r.archived
                : enrolledIn2Sv(r);
        return actual === wanted;
      };
    }
    default:
      return null;
  }
}

/** Compiles a users.list `query`; null when it is not understood (→ 400). */
export function compileUserQuery(query: string, isAdmin: (tenantId: string) => boolean): Predicate<UserRecord> | null {
  const clauses = parseClauses(query);
  if (clauses === null) return null;
  const predicates: Predicate<UserRecord>[] = [];
  for (const clause of clauses) {
    const p = userClause(clause, isAdmin);
    if (p === null) return null;
    predicates.push(p);
  }
  return (r) => predicates.every((p) => p(r));
}

/**
 * Compiles a groups.list `query`. `memberKey` clauses are returned separately: they select the
 * groups a member belongs to (served from the membership index, not by filtering).
 */
export function compileGroupQuery(
  query: string,
): { predicate: Predicate<GroupRecord>; memberKey: string | null } | null {
  const clauses = parseClauses(query);
  if (clauses === null) return null;
  const predicates: Predicate<GroupRecord>[] = [];
  let memberKey: string | null = null;
  for (const clause of clauses) {
    const text = textMatcher(clause);
    switch (clause.field) {
      case 'email':
        predicates.push((g) => text(g.email));
        break;
      case 'name':
        predicates.push((g) => text(g.live.name));
        break;
      case 'memberKey':
        memberKey = clause.value;
        break;
      default:
        return null;
    }
  }
  return { predicate: (g) => predicates.every((p) => p(g)), memberKey };
}
