import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type OperationDefinitionNode } from 'graphql';
import type { GraphQLContext } from '../../resolvers/context';

/** Mutations every scope may call: signing the console in and out. */
const SESSION_MUTATIONS = new Set(['createSession', 'endSession']);
/** The mutations the one-time setup token may call. */
const SETUP_MUTATIONS = new Set(['createAdminToken', ...SESSION_MUTATIONS]);

/**
 * What each token scope may do, checked after Apollo resolved the operation and before anything
 * executes: READ tokens run queries (and subscriptions) only; the setup token runs queries and
 * `createAdminToken`; ADMIN tokens everything; every scope may sign the console in and out. A
 * mutation through the console's session cookie also needs the session's CSRF header. A refusal
 * is FORBIDDEN (HTTP 403) naming the rule.
 */
export const authorizationPlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, contextValue }) {
        const caller = contextValue.caller;
        if (caller === undefined || operation?.operation !== 'mutation') return;
        const fields = rootFields(operation);
        if (caller.session && !caller.session.csrfVerified)
          throw forbidden(
            'A mutation through the console session needs its CSRF token in the X-Crowdgate-CSRF header (from createSession)',
          );
        if (caller.scope === 'ADMIN' || fields.every((name) => SESSION_MUTATIONS.has(name))) return;
        if (caller.scope === 'READ')
          throw forbidden('This administrator token is READ-scoped: it may run queries, not mutations');
        const refused = fields.filter((name) => !SETUP_MUTATIONS.has(name));
        if (refused.length > 0)
          throw forbidden(
            `The setup token may only create administrator tokens (createAdminToken), not ${refused.join(', ')}: create a token and use it`,
          );
      },
    };
  },
};

function rootFields(operation: OperationDefinitionNode): string[] {
  return operation.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : `(${s.kind})`));
}

function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
}
