/**
 * Membership queries of the PostgreSQL backend, as the SQLite backend's (src/store/sqlite/
 * membership-sql.ts). Each takes an `int[]` of owner ids as its only parameter ($1) and returns
 * `(owner, id, name)` rows ordered by owner, then folded name (collation "C": code-point order).
 * Nested variants walk group_groups with a recursive CTE; `UNION` (not `UNION ALL`) removes
 * duplicates, so a cycle that a provider manages to report still terminates.
 *
 * PostgreSQL estimates a recursive CTE at many times its real size and then hashes whole tables
 * (a user's nested groups took 8 ms instead of 0.5 ms on 20k groups). Each step from the CTE is
 * therefore a LATERAL subquery with `OFFSET 0`, which the planner cannot flatten: an index probe
 * per row reached, as SQLite does it. Each statement is named: prepared once per connection.
 */
const OWNERS = 'ANY($1::integer[])';

/** `alias` = the rows of `table` whose `column` equals `value`, one index probe per outer row. */
const probe = (columns: string, table: string, column: string, value: string, alias: string) =>
  `CROSS JOIN LATERAL (SELECT ${columns} FROM ${table} x WHERE x.${column} = ${value} OFFSET 0) ${alias}`;

const GROUP_OF = (value: string) => probe('x.id, x.name, x.name_lower', 'groups', 'id', value, 'g');

export const MEMBERSHIP_SQL = {
  groupsOfUsers: {
    direct: `SELECT ug.user_id AS owner, g.id, g.name
             FROM user_groups ug JOIN groups g ON g.id = ug.group_id
             WHERE ug.user_id = ${OWNERS} ORDER BY owner, g.name_lower`,
    nested: `WITH RECURSIVE reach(owner, group_id) AS (
               SELECT user_id, group_id FROM user_groups WHERE user_id = ${OWNERS}
               UNION
               SELECT r.owner, p.parent_id FROM reach r ${probe('x.parent_id', 'group_groups', 'child_id', 'r.group_id', 'p')})
             SELECT r.owner, g.id, g.name FROM reach r ${GROUP_OF('r.group_id')}
             ORDER BY r.owner, g.name_lower`,
  },
  usersOfGroups: {
    direct: `SELECT ug.group_id AS owner, u.id, u.name
             FROM user_groups ug JOIN users u ON u.id = ug.user_id
             WHERE ug.group_id = ${OWNERS} ORDER BY owner, u.name_lower`,
    nested: `WITH RECURSIVE reach(owner, group_id) AS (
               SELECT o, o FROM unnest($1::integer[]) AS o
               UNION
               SELECT r.owner, c.child_id FROM reach r ${probe('x.child_id', 'group_groups', 'parent_id', 'r.group_id', 'c')})
             SELECT owner, id, name FROM (
               SELECT DISTINCT r.owner, u.id, u.name, u.name_lower
               FROM reach r ${probe('x.user_id', 'user_groups', 'group_id', 'r.group_id', 'm')}
                 ${probe('x.id, x.name, x.name_lower', 'users', 'id', 'm.user_id', 'u')}) found
             ORDER BY owner, name_lower`,
  },
  childGroupsOfGroups: {
    direct: `SELECT gg.parent_id AS owner, g.id, g.name
             FROM group_groups gg JOIN groups g ON g.id = gg.child_id
             WHERE gg.parent_id = ${OWNERS} ORDER BY owner, g.name_lower`,
    nested: `WITH RECURSIVE reach(owner, group_id) AS (
               SELECT parent_id, child_id FROM group_groups WHERE parent_id = ${OWNERS}
               UNION
               SELECT r.owner, c.child_id FROM reach r ${probe('x.child_id', 'group_groups', 'parent_id', 'r.group_id', 'c')})
             SELECT r.owner, g.id, g.name FROM reach r ${GROUP_OF('r.group_id')}
             WHERE g.id <> r.owner ORDER BY r.owner, g.name_lower`,
  },
  parentGroupsOfGroups: {
    direct: `SELECT gg.child_id AS owner, g.id, g.name
             FROM group_groups gg JOIN groups g ON g.id = gg.parent_id
             WHERE gg.child_id = ${OWNERS} ORDER BY owner, g.name_lower`,
    nested: `WITH RECURSIVE reach(owner, group_id) AS (
               SELECT child_id, parent_id FROM group_groups WHERE child_id = ${OWNERS}
               UNION
               SELECT r.owner, p.parent_id FROM reach r ${probe('x.parent_id', 'group_groups', 'child_id', 'r.group_id', 'p')})
             SELECT r.owner, g.id, g.name FROM reach r ${GROUP_OF('r.group_id')}
             WHERE g.id <> r.owner ORDER BY r.owner, g.name_lower`,
  },
} as const;

export type MembershipQuery = keyof typeof MEMBERSHIP_SQL;
