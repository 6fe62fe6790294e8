/**
 * Graph error bodies and the error type Graph handlers throw.
 *
 * Contract (learn.microsoft.com/graph/errors): every non-2xx Graph answer is JSON
 * `{ "error": { "code", "message", "innerError": { "date", "request-id", "client-request-id" } } }`,
 * where `date` is UTC without fraction or zone ("2024-05-01T10:11:12").
 */

/** A Graph error a handler raises; the router turns it into the wire body above. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export interface RequestIds {
  readonly requestId: string;
  readonly clientRequestId: string;
}

export function graphErrorBody(code: string, message: string, ids: RequestIds): string {
  return JSON.stringify({
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().slice(0, 19),
        'request-id': ids.requestId,
        'client-request-id': ids.clientRequestId,
      },
    },
  });
}

/** The errors real Graph gives for the situations the emulator reproduces (wording as observed on v1.0). */
export const graphErrors = {
  emptyToken: () => new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.', wwwAuthenticate()),
  malformedToken: () =>
    new GraphError(
      401,
      'InvalidAuthenticationToken',
      'IDX14100: JWT is not well formed, there are no dots (.).',
      wwwAuthenticate(),
    ),
  invalidToken: () =>
    new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.', wwwAuthenticate()),
  invalidAudience: () =>
    new GraphError(
      401,
      'InvalidAuthenticationToken',
      'Access token validation failure. Invalid audience.',
      wwwAuthenticate(),
    ),
  expiredToken: () =>
    new GraphError(
      401,
      'InvalidAuthenticationToken',
      'Lifetime validation failed, the token is expired.',
      wwwAuthenticate(),
    ),
  /** 403 when the token's roles/scp grant none of the permissions the operation accepts. */
  accessDenied: () =>
    new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  notFound: (id: string) =>
    new GraphError(
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    ),
  noSegment: (segment: string) => new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
  methodNotAllowed: () =>
    new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.'),
  /** learn.microsoft.com/graph/paging: $top is 1..999 on directory collections. */
  pageSize: (raw: string) =>
    new GraphError(
      400,
      'Request_UnsupportedQuery',
      `Invalid page size specified: '${raw}'. Must be between 1 and 999 inclusive.`,
    ),
  unknownProperty: (name: string, type: string) =>
    new GraphError(400, 'BadRequest', `Could not find a property named '${name}' on type 'microsoft.graph.${type}'.`),
  unsupportedQuery: (message = 'Unsupported Query.') => new GraphError(400, 'Request_UnsupportedQuery', message),
  badRequest: (message: string) => new GraphError(400, 'Request_BadRequest', message),
  invalidFilter: (message = 'Invalid filter clause') => new GraphError(400, 'BadRequest', message),
  /** aad-advanced-queries: /$count needs `ConsistencyLevel: eventual` (message as returned since 2025). */
  rawCountNeedsEventual: () =>
    new GraphError(
      400,
      'Request_UnsupportedQuery',
      "Raw count (/$count) is not supported because the 'ConsistencyLevel:eventual' header is missing. Refer to https://aka.ms/graph-docs/advanced-queries for more information",
    ),
  countNeedsEventual: () =>
    new GraphError(
      400,
      'Request_UnsupportedQuery',
      "Count query parameter ($count=true) is not supported because the 'ConsistencyLevel:eventual' header is missing. Refer to https://aka.ms/graph-docs/advanced-queries for more information",
    ),
  expiredPageToken: () =>
    new GraphError(
      400,
      'Directory_ExpiredPageToken',
      'The specified page token value has expired and can no longer be included in your request.',
    ),
};

/** Graph's 401 carries a Bearer challenge naming the Graph resource (client id 00000003-…). */
function wwwAuthenticate(): Record<string, string> {
  return {
    'WWW-Authenticate':
      'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
  };
}
