import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import Koa from 'koa';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createContext, type GraphQLContext } from '../../resolvers/context';
import { correlationPlugin, createErrorFormatter } from '../../resolvers/errors';
import { crowdFacade } from '../../facades/crowd/router';
import { CrowdOperations } from '../../facades/crowd/operations';
import { crowdProtocolErrorAnswer } from '../../facades/crowd/protocol-error';
import { clientAddress } from '../../facades/crowd/client-address';
import { metricsSchema, readinessSchema, type Config } from '../config/schema';
import { meteredControl } from '../metrics/metered-control';
import { processRegistry } from '../metrics/registry';
import { serverMetrics, sessionsGauge, type ServerMetrics } from '../metrics/server-metrics';
import { tlsExpiryGauge } from '../metrics/serving-metrics';
import { healthEndpoints } from './health-endpoints';
import { metricsEndpoint } from './metrics-endpoint';
import { observeRequests } from './request-observer';
import { graphqlLimits } from '../graphql/limits';
import { RequestLimits } from '../graphql/request-limits';
import { answerBareRefusals, answerClientErrors, describeDisconnect, isClientDisconnect } from '../http/client-errors';
import { capConnectionsPerAddress, httpServerOptions, serverLimits } from '../http/server-limits';
import { closeAfterAnswerWhileDraining, closeGracefully, keepUnflushedAnswers } from '../http/graceful-close';
import { requestIdOf } from '../http/request-id';
import { secondsUntilExpiry, ServedTls, type TlsReload } from '../http/tls';
import { packageRoot } from '../paths';
import { LoginLimits } from '../security/login-limits';
import { VerifiedPasswordCache } from '../security/password-hash';
import type { Store } from '../store/store';
import type { SyncControl } from '../sync/control';
import { localSessions, SessionStore, type Sessions } from '../../facades/crowd/session-store';
import type { RuntimeConfiguration } from '../admin/runtime-configuration';
import type { AdminServices, Caller } from '../../resolvers/context';
import { AdminTokens } from './admin-auth';
import { AdminSessions } from './admin-sessions';
import { authorizationPlugin } from './authorization';
import { ConfigurationViews } from './configuration-views';
import { openDirectoryProvider } from './open-provider';
import { openRuntimeConfiguration } from './open-runtime';
import { serveSubscriptions } from './subscriptions';
import { graphqlEndpoint } from './graphql-endpoint';
import { consoleMiddleware } from './console';
import { describeError, type Logger } from '../logging/logger';

/** What Crowd clients see in `X-Embedded-Crowd-Version` (the 5.1 line current products ship). */
export const CROWD_VERSION = 'Crowd/5.1.6';

/** "Last used" of administrator tokens is kept to the minute: at most one store write per token and minute. */
const TOKEN_USE_RESOLUTION_MS = 60_000;

function tokenUse(store: Store, logger: Logger): (name: string) => void {
  const recorded = new Map<string, number>();
  return (name) => {
    const now = Date.now();
    if (now - (recorded.get(name) ?? 0) < TOKEN_USE_RESOLUTION_MS) return;
    recorded.set(name, now);
    store
      .recordAdminTokenUse(name, new Date(now))
      .catch((error: unknown) => logger.warn('could not record a token use', describeError(error)));
  };
}

/** The fixed operations of the Crowd facade, shipped beside the sources. */
export const CROWD_OPERATIONS_DIR = join(packageRoot(), 'schema', 'crowd');

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8095`; `https://` with `server.tls`. */
  readonly url: string;
  readonly port: number;
  /**
   * Reads the `server.tls` files again and serves the new certificate to new connections (open
   * ones keep theirs); on a problem the previous one stays and the reason is returned and logged
   * (src/http/tls.ts). Never rejects. Without `server.tls`: `reloaded: false` and nothing logged.
   */
  reloadTls(): Promise<TlsReload>;
  /**
   * Stops serving (src/http/graceful-close.ts): no new connections, requests in progress get
   * `graceMs` (default `server.shutdownGraceSeconds`) to finish, then the rest are cut.
   */
  close(options?: { readonly graceMs?: number }): Promise<void>;
}

/** `server.shutdownGraceSeconds` when not configured. */
export const DEFAULT_SHUTDOWN_GRACE_SECONDS = 20;

export interface ServerParts {
  readonly config: Config;
  readonly store: Store;
  readonly schema: GraphQLSchema;
  readonly logger: Logger;
  /** The runtime configuration; default: one opened here over `config` and `store` (and closed with the server). */
  readonly runtime?: RuntimeConfiguration;
  /** Where `config` comes from, for messages (when the runtime configuration is opened here). */
  readonly fileLabel?: string;
  /** The sync engine behind GraphQL's sync queries, mutations and password checks. */
  readonly engine?: SyncControl;
  /** Crowd SSO sessions; default: in this process. Serving workers share the primary's. */
  readonly sessions?: Sessions;
  /** Failed-login limits of the Crowd facade; default: this process's own (per serving worker). */
  readonly loginLimits?: LoginLimits;
  /**
   * Where this server's metrics go and what `/metrics` answers; default: a registry of this
   * process alone. Ignored with `metrics.enabled: false`.
   */
  readonly metrics?: ServerMetrics;
}

/**
 * The composition root of the HTTP side: one Koa app serving `/graphql` (Apollo) and the Crowd
 * facade, both over the same schema and store. The facade gets only the schema and a context
 * factory; it never sees the store.
 */
export async function startServer(parts: ServerParts): Promise<RunningServer> {
  const { config, store, schema, logger } = parts;
  const metricsConfig = config.metrics ?? metricsSchema.parse({});
  const metrics = metricsConfig.enabled ? (parts.metrics ?? serverMetrics(processRegistry())) : undefined;
  const engine = parts.engine && metrics ? meteredControl(parts.engine, metrics.serving) : parts.engine;
  let crowdSessions = parts.sessions;
  if (!crowdSessions) {
    const local = new SessionStore();
    crowdSessions = localSessions(local);
    if (metrics) sessionsGauge(metrics.registry, () => local.size);
  }
  // First: a TLS file that cannot be served is a configuration error before anything is opened.
  const tls = config.server.tls ? await ServedTls.open(config.server.tls, logger) : undefined;
  if (metrics && tls) tlsExpiryGauge(metrics.registry, () => secondsUntilExpiry(tls.certificate));
  const runtime =
    parts.runtime ??
    (await openRuntimeConfiguration({ config, fileLabel: parts.fileLabel ?? 'the configuration file', store, logger }));
  const views = await ConfigurationViews.open(runtime, store, logger);
  const sessions = new AdminSessions(store);
  const admin: AdminServices = {
    runtime,
    store,
    openProvider: openDirectoryProvider,
    sessions,
  };
  const contextFor = (principal: string): GraphQLContext => createContext(store, views.scope, principal, engine);
  // A client that hangs up mid-request is not a server error: debug, without a stack.
  const logError = (correlationId: string, error: unknown) =>
    isClientDisconnect(error)
      ? logger.debug('client went away', { correlationId, ...describeDisconnect(error) })
      : logger.error('unexpected error', { correlationId, ...describeError(error) });

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    formatError: createErrorFormatter(),
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginLandingPageDisabled(), authorizationPlugin, correlationPlugin(logError)],
    // Off: every document must arrive as text, to be checked against the limits (graphql-endpoint.ts).
    persistedQueries: false,
    // Off: crowdgate decides what SIGTERM/SIGINT do (src/cli/serve.ts, cluster/). Apollo's own
    // handlers (on unless NODE_ENV=test) would stop GraphQL mid-drain and re-raise the signal,
    // killing the process (exit 143) before the drain and the runs' abandonment end.
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  const passwords = new VerifiedPasswordCache();
  const loginLimits = parts.loginLimits ?? new LoginLimits();
  const app = new Koa();
  app.proxy = false;
  // Koa reports a hang-up up to twice per request (the response's end and its body stream): one line.
  const hungUp = new WeakSet<object>();
  app.on('error', (error: unknown, ctx?: { state: unknown }) => {
    if (!isClientDisconnect(error))
      logger.warn('request failed', { ...(ctx ? { requestId: requestIdOf(ctx) } : {}), ...describeError(error) });
    else if (!ctx || !hungUp.has(ctx)) logger.debug('client went away', describeDisconnect(error));
    if (ctx) hungUp.add(ctx);
  });
  // First: every request gets its id (X-Request-Id), is timed and counted, and logged at debug.
  app.use(
    observeRequests({
      logger,
      contextPath: config.server.contextPath,
      ...(metrics ? { metrics: metrics.serving } : {}),
    }),
  );
  app.use(
    crowdFacade({
      operations: CrowdOperations.load(schema, CROWD_OPERATIONS_DIR, contextFor),
      applications: () => views.applications,
      trustedProxies: config.trustedProxies,
      verifyPassword: (password, hash) => passwords.verify(password, hash),
      knownGood: (password, hash) => passwords.knownGood(password, hash),
      loginLimits,
      contextPath: config.server.contextPath,
      crowdVersion: CROWD_VERSION,
      sessions: crowdSessions,
      logError,
      ...(metrics
        ? { onRefused: (application, reason) => metrics.serving.applicationRefused(application, reason) }
        : {}),
    }),
  );
  // After the facade: Crowd calls are the hot path, and the facade passes on anything outside its mount points.
  const tokens = new AdminTokens(() => views.tokens);
  const limits = new RequestLimits(schema, graphqlLimits(config.graphql));
  const graphqlContext = (principal: string, caller: Caller): GraphQLContext =>
    Object.assign(contextFor(principal), { loginLimits, admin, caller });
  const addressOf = (socketAddress: string | undefined, forwardedFor: unknown) =>
    clientAddress(
      socketAddress ?? '',
      typeof forwardedFor === 'string' && forwardedFor !== '' ? forwardedFor : undefined,
      config.trustedProxies,
    );
  app.use(
    graphqlEndpoint(apollo, {
      path: '/graphql',
      tokens,
      context: graphqlContext,
      limits,
      clientAddress: (ctx) => addressOf(ctx.request.socket.remoteAddress, ctx.get('x-forwarded-for')),
      onAuthenticated: tokenUse(store, logger),
      sessions,
    }),
  );
  // Operators' endpoints: liveness and readiness (no authentication), Prometheus metrics.
  app.use(healthEndpoints({ store, runtime, readiness: config.readiness ?? readinessSchema.parse({}) }));
  if (metrics)
    app.use(
      metricsEndpoint({
        config: metricsConfig,
        exposition: () => metrics.exposition(),
        clientAddress: (ctx) => addressOf(ctx.request.socket.remoteAddress, ctx.get('x-forwarded-for')),
      }),
    );
  // The administration console: static files, a GraphQL client like any other.
  app.use(consoleMiddleware());

  // The HTTP limits (src/http/server-limits.ts) and the answers to unparseable requests, which
  // carry the Crowd version headers like every other answer.
  const httpLimits = serverLimits(config.server);
  const protocolError = (status: number, message: string) => crowdProtocolErrorAnswer(status, message, CROWD_VERSION);
  // With `server.tls`, HTTPS: the same limits, and a TLS handshake gets the headers' time (Node: 120 s).
  const server: Server = tls
    ? tls.createServer({ ...httpServerOptions(httpLimits), handshakeTimeout: httpLimits.headersTimeoutMs })
    : createServer(httpServerOptions(httpLimits));
  server.on('request', answerBareRefusals(server, protocolError)(app.callback()));
  closeAfterAnswerWhileDraining(server);
  keepUnflushedAnswers(server);
  capConnectionsPerAddress(server, httpLimits.maxConnectionsPerAddress, logger);
  answerClientErrors(server, {
    answer: protocolError,
    logger,
    maxHeaderBytes: httpLimits.maxHeaderBytes,
    requestTimeoutMs: httpLimits.requestTimeoutMs,
  });
  const subscriptions = serveSubscriptions(server, {
    path: '/graphql',
    schema,
    tokens,
    sessions,
    limits,
    context: graphqlContext,
    clientAddress: (request) => addressOf(request.socket.remoteAddress, request.headers['x-forwarded-for']),
    logger,
  });
  server.listen(config.server.port, config.server.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  return {
    url: `${tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    reloadTls: async () =>
      tls ? tls.reload() : { reloaded: false, reason: 'server.tls is not set: this server speaks plain HTTP' },
    close: async (options = {}) => {
      const graceMs = options.graceMs ?? (config.server.shutdownGraceSeconds ?? DEFAULT_SHUTDOWN_GRACE_SECONDS) * 1000;
      const draining = closeGracefully(server, graceMs);
      await subscriptions.close();
      await draining;
      await apollo.stop();
      if (!parts.runtime) runtime.stop();
    },
  };
}
