import { z } from 'zod';
import { foldName } from '../domain/names';
import { DEFAULT_SERVER_LIMITS } from '../http/server-limits';
import { parseCidr, type Cidr } from '../security/cidr';
import { isPasswordHash } from '../security/password-hash';
import { LOG_LEVELS } from '../logging/logger';
import { syncSettingsShape, type SyncSettings } from './sync-schema';

/**
 * The crowdgate configuration schema (the shape of `crowdgate.yaml` after `${ENV}` interpolation).
 *
 * Contracts:
 *  - Every object is strict (unknown keys are errors). The provider settings objects (`entra`,
 *    `google`, `okta`) pass through here as mappings and are parsed just as strictly by their
 *    connector (`parseEntraSettings` and its siblings), which names the directory and the key.
 *  - Messages are written for `load.ts`, which prefixes file and key path; they never echo secrets.
 *  - Integers (`port`, demo `users`/`groups`) also accept a decimal string, so `port: ${PORT}` works.
 *  - CIDR lists are parsed into `Cidr` objects (see security/cidr.ts).
 *  - Application directory references are matched case-insensitively and rewritten to the
 *    directory's configured spelling, so `applications[].directories` can be compared with `===`.
 *  - `dataDir` and the `server.tls` files are returned as written; `loadConfigFile` resolves them
 *    against the file's directory.
 */

export const PROVIDER_KINDS = ['entra', 'google', 'okta', 'demo'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** Minimum length of an administrator token in a configuration file (the built-in demo bypasses it). */
export const MIN_ADMIN_TOKEN_LENGTH = 16;

const NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

const integer = (min: number, max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && /^(0|[1-9][0-9]{0,9})$/.test(value) ? Number(value) : value),
    z.number().int('must be an integer').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`),
  );

const configName = z.string().regex(NAME_PATTERN, 'must be 1 to 64 characters from A-Z a-z 0-9 . _ -');

const crowdGroupName = z
  .string()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .refine((name) => !CONTROL_CHARACTERS.test(name), 'must not contain control characters')
  .refine((name) => name.trim() === name, 'must not start or end with whitespace');

const cidr = z.string().transform((text, ctx): Cidr => {
  try {
    return parseCidr(text);
  } catch (error) {
    // parseCidr throws only Errors with a complete, user-facing message.
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const filePath = z.string().min(1, 'must not be empty');

/**
 * `server.tls`: serve HTTPS directly (src/http/tls.ts). PEM files, read at start and again on
 * SIGHUP; paths are returned as written and `loadConfigFile` resolves them against the
 * configuration file's directory.
 */
const tlsSchema = z.strictObject({
  /** The server certificate (PEM); intermediates may follow it in the same file (a `fullchain.pem`). */
  certFile: filePath,
  /** Its private key (PEM: PKCS#8, PKCS#1 or SEC1); encrypted only together with `passphraseFile`. */
  keyFile: filePath,
  /**
   * Intermediate CA certificates (PEM), sent to clients after the server certificate (a `chain.pem`).
   * Not a client-certificate CA: crowdgate authenticates applications by name, password and address.
   */
  caFile: filePath.optional(),
  /** A file holding the passphrase of an encrypted `keyFile` (one line; a trailing newline is ignored). */
  passphraseFile: filePath.optional(),
});

const serverSchema = z
  .strictObject({
    host: z
      .string()
      .regex(/^\S+$/, 'must be a non-empty host name or IP address without whitespace')
      .default('127.0.0.1'),
    /** 0 asks the OS for a free port (tests). */
    port: integer(0, 65535).default(8095),
    /**
     * Serving processes. 1: one process does everything. N > 1: the primary runs the sync engine and
     * the schedule, and N workers (node:cluster, connections shared round-robin) serve HTTP from
     * the same store (src/server/cluster/).
     */
    workers: integer(1, 64).default(1),
    /** "" (served at the root) or "/segment[/segment...]"; "/" is read as "". */
    contextPath: z
      .string()
      .transform((path) => (path === '/' ? '' : path))
      .pipe(
        z
          .string()
          .regex(
            /^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*$/,
            'must be "" or a path such as "/crowd" (leading "/", no trailing "/")',
          ),
      )
      .default(''),
    // HTTP limits (src/http/server-limits.ts, DEFAULT_SERVER_LIMITS). Optional rather than defaulted
    // here, so that a Config built in code may leave them out; the server fills in the defaults.
    /** Time to receive a request's line and headers (default 10 s; Node's is 60 s). */
    headersTimeoutMs: integer(1_000, 600_000).optional(),
    /** Time to receive a whole request, body included (default 30 s; Node's is 300 s). Not the answer. */
    requestTimeoutMs: integer(1_000, 3_600_000).optional(),
    /** Idle keep-alive connections are closed after this long (default 65 s, above proxies' 60 s). */
    keepAliveTimeoutMs: integer(1_000, 3_600_000).optional(),
    /** Concurrent connections per remote address (default 256); 0 = unlimited. */
    maxConnectionsPerAddress: integer(0, 1_000_000).optional(),
    /** Request line plus headers, bytes (default 65536; Node's is 16384). */
    maxHeaderBytes: integer(16_384, 1_048_576).optional(),
    /**
     * On SIGTERM, requests in progress get this long to finish (default 20 s: within systemd's 90 s
     * and Kubernetes' 30 s before they kill); then the remaining connections are closed.
     */
    shutdownGraceSeconds: integer(0, 3_600).optional(),
    /** HTTPS instead of HTTP (TLS 1.2 and 1.3); absent = plain HTTP (e.g. behind a TLS-terminating proxy). */
    tls: tlsSchema.optional(),
  })
  .superRefine((server, ctx) => {
    // Node refuses a headers timeout longer than the request timeout; defaults count.
    const headers = server.headersTimeoutMs ?? DEFAULT_SERVER_LIMITS.headersTimeoutMs;
    const request = server.requestTimeoutMs ?? DEFAULT_SERVER_LIMITS.requestTimeoutMs;
    if (headers > request) {
      ctx.addIssue({
        code: 'custom',
        path: ['headersTimeoutMs'],
        message: `must not exceed requestTimeoutMs (${request})`,
      });
    }
  });

/**
 * Limits of the GraphQL API (src/graphql/limits.ts, DEFAULT_GRAPHQL_LIMITS): every key optional,
 * the server fills in the defaults, so a Config built in code may leave the block out.
 */
const graphqlLimitsSchema = z.strictObject({
  maxTokens: integer(100, 10_000_000).optional(),
  maxDepth: integer(2, 1_000).optional(),
  maxFields: integer(1, 1_000_000).optional(),
  maxCost: integer(1, 1_000_000_000).optional(),
  maxInputDepth: integer(4, 1_000).optional(),
  maxAnswerEntries: integer(1, 100_000_000).optional(),
  maxAnswerBytes: integer(1_024, 1_073_741_824).optional(),
});

/**
 * `GET /metrics` (Prometheus): answered to a scraper that shows the bearer `token`, or whose
 * address is in `allowedAddresses` (the socket's, or X-Forwarded-For from `trustedProxies`).
 * Default: loopback only, no token. `enabled: false` answers 404 and records nothing.
 */
export const metricsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  token: z
    .string()
    .min(MIN_ADMIN_TOKEN_LENGTH, `must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`)
    .regex(/^[\x21-\x7e]*$/, 'must be printable ASCII without spaces (it is sent as a bearer token)')
    .optional(),
  allowedAddresses: z.array(cidr).default(() => [parseCidr('127.0.0.1/32'), parseCidr('::1/128')]),
});
export type MetricsConfig = z.output<typeof metricsSchema>;

/**
 * `GET /readyz`: ready when the store answers and every enabled directory has a successful run
 * younger than `maxSyncAgeSeconds` (default 24 hours: a day without one successful run is an
 * outage of the provider or of crowdgate, not a slow schedule).
 */
export const readinessSchema = z.strictObject({
  maxSyncAgeSeconds: integer(60, 365 * 24 * 3600).default(24 * 3600),
});
export type ReadinessConfig = z.output<typeof readinessSchema>;

/**
 * Where crowdgate keeps its data. `sqlite` (the default): one file under `dataDir`, for one
 * machine. `postgres`: a PostgreSQL database that several crowdgate nodes share (one of them, the
 * leader, runs the sync schedule; README "Several nodes"). `url` is a libpq URL
 * (`postgres://user:password@host:5432/db?sslmode=require`), usually `"${DATABASE_URL}"`;
 * `poolSize` connections per process, plus one each for leadership and notifications.
 */
export const storeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('sqlite') }),
  z.strictObject({
    kind: z.literal('postgres'),
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
      .refine((url) => URL.canParse(url), 'must be a valid URL'),
    poolSize: integer(1, 500).default(10),
  }),
]);
export type StoreConfig = z.output<typeof storeSchema>;

const adminTokenSchema = z.strictObject({
  name: configName,
  token: z
    .string()
    .min(MIN_ADMIN_TOKEN_LENGTH, `must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`)
    .regex(/^[\x21-\x7e]*$/, 'must be printable ASCII without spaces (it is sent as a bearer token)'),
});

const demoSettingsSchema = z.strictObject({
  seed: z.string().min(1, 'must not be empty').default('crowdgate-demo'),
  users: integer(0, 1_000_000).default(300),
  groups: integer(0, 100_000).default(30),
});

/** Provider settings: a mapping here; each connector's own parser checks its keys strictly when the provider opens. */
const providerSettingsSchema = z.looseObject({});

export type DemoSettings = z.output<typeof demoSettingsSchema>;
export type ProviderSettings = z.output<typeof providerSettingsSchema>;

interface DirectoryConfigBase extends SyncSettings {
  /** Unique case-insensitively; [A-Za-z0-9._-], 1..64 characters. */
  name: string;
  /** Crowd groups every user of this directory is made a member of. */
  localGroups: string[];
}
export interface DemoDirectoryConfig extends DirectoryConfigBase {
  provider: 'demo';
  demo: DemoSettings;
}
export interface EntraDirectoryConfig extends DirectoryConfigBase {
  provider: 'entra';
  entra: ProviderSettings;
}
export interface GoogleDirectoryConfig extends DirectoryConfigBase {
  provider: 'google';
  google: ProviderSettings;
}
export interface OktaDirectoryConfig extends DirectoryConfigBase {
  provider: 'okta';
  okta: ProviderSettings;
}
/** Discriminated on `provider`; the settings object sits under the key named like the provider. */
export type DirectoryConfig = DemoDirectoryConfig | EntraDirectoryConfig | GoogleDirectoryConfig | OktaDirectoryConfig;

const directorySchema = z
  .strictObject({
    name: configName,
    provider: z.enum(PROVIDER_KINDS),
    localGroups: z.array(crowdGroupName).default([]),
    ...syncSettingsShape,
    demo: demoSettingsSchema.optional(),
    entra: providerSettingsSchema.optional(),
    google: providerSettingsSchema.optional(),
    okta: providerSettingsSchema.optional(),
  })
  .superRefine((directory, ctx) => {
    for (const kind of PROVIDER_KINDS) {
      if (kind !== directory.provider && directory[kind] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [kind],
          message: `settings for provider "${kind}", but this directory's provider is "${directory.provider}" (put them under "${directory.provider}")`,
        });
      }
    }
    const seen = new Map<string, number>();
    directory.localGroups.forEach((group, index) => {
      const first = seen.get(foldName(group));
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['localGroups', index],
          message: `duplicate group "${group}" (same as localGroups[${first}]; group names are case-insensitive)`,
        });
      } else {
        seen.set(foldName(group), index);
      }
    });
  })
  .transform((d): DirectoryConfig => {
    const { provider: _provider, demo: _demo, entra: _entra, google: _google, okta: _okta, ...base } = d;
    switch (d.provider) {
      case 'demo':
        return { ...base, provider: 'demo', demo: d.demo ?? demoSettingsSchema.parse({}) };
      case 'entra':
        return { ...base, provider: 'entra', entra: d.entra ?? {} };
      case 'google':
        return { ...base, provider: 'google', google: d.google ?? {} };
      case 'okta':
        return { ...base, provider: 'okta', okta: d.okta ?? {} };
    }
  });

const applicationSchema = z.strictObject({
  name: configName,
  passwordHash: z
    .string()
    .refine(isPasswordHash, 'must be a password hash produced by "crowdgate hash-password" (scrypt$...)'),
  allowedAddresses: z.array(cidr).default(() => [parseCidr('127.0.0.1/32'), parseCidr('::1/128')]),
  /** Ordered: earlier directories win when a name exists in several. */
  directories: z.array(configName).min(1, 'must list at least one directory'),
});

export const configSchema = z
  .strictObject({
    server: serverSchema.default(() => serverSchema.parse({})),
    dataDir: z.string().min(1, 'must not be empty').default('./data'),
    /** Where the data lives; absent: SQLite under `dataDir`. */
    store: storeSchema.optional(),
    adminTokens: z.array(adminTokenSchema).default([]),
    /** GraphQL API limits (depth, fields, cost, input nesting, answer size); absent = defaults. */
    graphql: graphqlLimitsSchema.optional(),
    /** May be empty: directories can also be made through the administration API. */
    directories: z.array(directorySchema).default([]),
    applications: z.array(applicationSchema).default([]),
    /** Peers whose X-Forwarded-For header is believed. */
    trustedProxies: z.array(cidr).default([]),
    /** debug | info | warn | error; `--log-level` and CROWDGATE_LOG_LEVEL win over it. Absent: info. */
    logLevel: z.enum(LOG_LEVELS).optional(),
    /** Who may read `GET /metrics`; absent: the defaults of metricsSchema (loopback only). */
    metrics: metricsSchema.optional(),
    /** When `GET /readyz` says ready; absent: the defaults of readinessSchema. */
    readiness: readinessSchema.optional(),
  })
  .superRefine((config, ctx) => {
    uniqueNames(ctx, 'directories', 'directory', config.directories);
    uniqueNames(ctx, 'applications', 'application', config.applications);
    uniqueNames(ctx, 'adminTokens', 'token', config.adminTokens);
    const tokens = new Map<string, number>();
    config.adminTokens.forEach(({ token }, index) => {
      const first = tokens.get(token);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['adminTokens', index, 'token'],
          message: `same token as adminTokens[${first}]`,
        });
      } else {
        tokens.set(token, index);
      }
    });
    const directoryNames = new Set(config.directories.map((d) => foldName(d.name)));
    config.applications.forEach((application, a) => {
      const listed = new Map<string, number>();
      application.directories.forEach((name, index) => {
        const path = ['applications', a, 'directories', index];
        const folded = foldName(name);
        const first = listed.get(folded);
        if (!directoryNames.has(folded)) {
          ctx.addIssue({ code: 'custom', path, message: `unknown directory "${name}"` });
        } else if (first !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path,
            message: `directory "${name}" is listed twice (also directories[${first}])`,
          });
        }
        if (first === undefined) listed.set(folded, index);
      });
    });
  })
  .transform((config) => {
    const spelling = new Map(config.directories.map((d) => [foldName(d.name), d.name] as const));
    return {
      ...config,
      applications: config.applications.map((application) => ({
        ...application,
        directories: application.directories.map((name) => spelling.get(foldName(name)) ?? name),
      })),
    };
  });

function uniqueNames(
  ctx: z.RefinementCtx,
  list: string,
  what: string,
  items: readonly { readonly name: string }[],
): void {
  const seen = new Map<string, number>();
  items.forEach(({ name }, index) => {
    const first = seen.get(foldName(name));
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [list, index, 'name'],
        message: `duplicate ${what} name "${name}" (same as ${list}[${first}].name; names are case-insensitive)`,
      });
    } else {
      seen.set(foldName(name), index);
    }
  });
}

/** What a configuration file may contain (before defaults and transforms). */
export type ConfigInput = z.input<typeof configSchema>;
/** A validated configuration, defaults filled in. */
export type Config = z.output<typeof configSchema>;
export type ServerConfig = Config['server'];
export type TlsConfig = NonNullable<ServerConfig['tls']>;
export type AdminTokenConfig = Config['adminTokens'][number];
export type ApplicationConfig = Config['applications'][number];

/** One `directories:` entry, validated as in the file (the administration API's inputs mirror it). */
export const directoryEntrySchema = directorySchema;
/** One `applications:` entry, validated as in the file. */
export const applicationEntrySchema = applicationSchema;

/** One `directories:` entry (throws zod's error on a bad entry; see directoryEntrySchema.safeParse for problems). */
export function parseDirectoryEntry(raw: unknown): DirectoryConfig {
  return directorySchema.parse(raw);
}
