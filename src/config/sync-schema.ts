import { z } from 'zod';

/**
 * Per-directory synchronisation settings (keys of a `directories[]` entry beside `provider`).
 * Every key is optional: the defaults sync the whole tenant — every user (disabled and suspended
 * accounts as inactive users, guests included), every group, nesting kept, users who vanish
 * upstream removed — so a new directory shows everything and the filters narrow it.
 */

const regex = z.string().refine((pattern) => {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}, 'must be a valid regular expression');

/** Username projection: which provider value becomes the Crowd username, and how it is transformed. */
export const usernameSchema = z.strictObject({
  /** `login` (UPN, Google primaryEmail, Okta login), `email`, or a provider attribute such as `samAccountName` or `mailNickname`. */
  source: z.string().min(1).default('login'),
  /** Drop everything from the last `@` (`ada@corp.example` → `ada`). */
  stripDomain: z.boolean().default(false),
  lowercase: z.boolean().default(false),
  /** Regex replacements applied in order, after stripDomain and before lowercase. */
  replace: z.array(z.strictObject({ pattern: regex, with: z.string() })).default([]),
});

export const filtersSchema = z.strictObject({
  /** Only users who are members of one of these provider groups, directly or through nesting (names, case-insensitive). Empty: everyone. */
  groups: z.array(z.string().min(1)).default([]),
  /** `include` keeps disabled / suspended accounts as inactive users; `exclude` leaves them out. */
  disabledUsers: z.enum(['include', 'exclude']).default('include'),
  guests: z.enum(['include', 'exclude']).default('include'),
  /** Attribute predicates; a user must satisfy all of them. `domain` is the login's domain. */
  attributes: z
    .array(
      z
        .strictObject({ name: z.string().min(1), equals: z.array(z.string()).optional(), matches: regex.optional() })
        .refine((p) => (p.equals === undefined) !== (p.matches === undefined), 'give exactly one of equals or matches'),
    )
    .default([]),
});

export const deprovisioningSchema = z.strictObject({
  /** A user disabled or suspended upstream. */
  disabled: z.enum(['deactivate', 'remove']).default('deactivate'),
  /** A user who vanished upstream (deleted, or no longer matching the filters). */
  deleted: z.enum(['remove', 'deactivate']).default('remove'),
});

export const safetySchema = z.strictObject({
  /** A run that would deactivate or remove more than this share of the directory's users waits for approval. */
  maxRemovalShare: z.number().min(0).max(1).default(0.1),
  /** …or more than this many users. */
  maxRemovals: z.number().int().min(0).default(500),
});

export const scheduleSchema = z.strictObject({
  /** Minutes between full runs; 0 turns scheduled full runs off. */
  fullMinutes: z.number().min(0).default(15),
  /** Seconds between incremental runs (providers with a change feed); 0 turns them off. */
  incrementalSeconds: z.number().min(0).default(60),
});

export const syncSettingsShape = {
  username: usernameSchema.default(() => usernameSchema.parse({})),
  filters: filtersSchema.default(() => filtersSchema.parse({})),
  /** Provider group name → extra local group its members join, e.g. Engineering → jira-developers. */
  groupMappings: z.array(z.strictObject({ from: z.string().min(1), to: z.string().min(1).max(255) })).default([]),
  /** `keep` the provider's group-in-group links, or `flatten` them into direct user memberships. */
  nestedGroups: z.enum(['keep', 'flatten']).default('keep'),
  deprovisioning: deprovisioningSchema.default(() => deprovisioningSchema.parse({})),
  safety: safetySchema.default(() => safetySchema.parse({})),
  schedule: scheduleSchema.default(() => scheduleSchema.parse({})),
};

const syncSettingsSchema = z.strictObject(syncSettingsShape);
export type SyncSettings = z.output<typeof syncSettingsSchema>;
export const DEFAULT_SYNC_SETTINGS: SyncSettings = syncSettingsSchema.parse({});
