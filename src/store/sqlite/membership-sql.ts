/**
 * Membership queries of the SQLite backend. Each takes a JSON array of owner ids as its only
 * parameter and returns `(owner, id, name)` rows ordered by owner, then folded name.
 * Nested variants walk group_groups with a recursive CTE; `UNION` (not `UNION ALL`) removes
 * duplicates, so a cycle that a provider manages to report still terminates.
 */
const OWNERS = 'SELECT value FROM json_each(?)';

export const MEMBERSHIP_SQL = {
  groupsOfUsers: {
    direct: `SELECT ug.user_id AS owner, g.id, g.name
             FROM user_groups ug JOIN groups g ON g.id = ug.group_id
             WHERE ug.user_id IN (${OWNERS}) ORDER BY owner, g.name_lower`,
    nested: `WITH RECURSIVE reach(owner, group_id) AS (
               SELECT user_id, group_id FROM user_groups WHERE user_id IN (${OWNERS})
               UNION
               SELECT r.owner, gg.parent_id FROM reach r JOIN group_groups gg ON gg.child_id = r.group_id)
             SELECT r.owner, g.id, g.name FROM reach r JOIN groups g ON g.id = r.group_id
             ORDER BY r.owner, g.name_lower`,
  },
  usersOfGroups: {
    direct: `SELECT ug.group_id AS owner, u.id, u.name
             FROM user_groups ug JOIN users u ON u.id = ug.user_id
             WHERE ug.group_id IN (${OWNERS}) ORDER BY owner, u.name_lower`,
    nested: `WITH RECURSIVE reach(owner, group_id) AS (
               SELECT value, value FROM json_each(?)
               UNION
               SELECT r.owner, gg.child_id FROM reach r JOIN group_groups gg ON gg.parent_id = r.group_id)
             SELECT DISTINCT r.owner, u.id, u.name
             FROM reach r JOIN user_groups ug ON ug.group_id = r.group_id JOIN users u ON u.id = ug.user_id
             ORDER BY r.owner, u.name_lower`,
  },
  childGroupsOfGroups: {
    direct: `SELECT gg.parent_id AS owner, g.id, g.name
             FROM group_groups gg JOIN groups g ON g.id = gg.child_id
             WHERE gg.parent_id IN (${OWNERS}) ORDER BY owner, g.name_lower`,
    nested: `WITH RECURSIVE reach(owner, group_id) AS (
               SELECT parent_id, child_id FROM group_groups WHERE parent_id IN (${OWNERS})
               UNION
               SELECT r.owner, gg.child_id FROM reach r JOIN group_groups gg ON gg.parent_id = r.group_id)
             SELECT r.owner, g.id, g.name FROM reach r JOIN groups g ON g.id = r.group_id
             WHERE g.id <> r.owner ORDER BY r.owner, g.name_lower`,
  },
  parentGroupsOfGroups: {
    direct: `SELECT gg.child_id AS owner, g.id, g.name
             FROM group_groups gg JOIN groups g ON g.id = gg.parent_id
             WHERE gg.child_id IN (${OWNERS}) ORDER BY owner, g.name_lower`,
    nested: `WITH RECURSIVE reach(owner, group_id) AS (
               SELECT child_id, parent_id FROM group_groups WHERE child_id IN (${OWNERS})
               UNION
               SELECT r.owner, gg.parent_id FROM reach r JOIN group_groups gg ON gg.child_id = r.group_id)
             SELECT r.owner, g.id, g.name FROM reach r JOIN groups g ON g.id = r.group_id
             WHERE g.id <> r.owner ORDER BY r.owner, g.name_lower`,
  },
} as const;

export type MembershipQuery = keyof typeof MEMBERSHIP_SQL;
