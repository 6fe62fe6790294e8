import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { MAX_PAGE_SIZE, NESTED_PAGE_SIZE } from '../../resolvers/pagination';
import { GraphQLLimitError, overLimit } from './limit-error';
import type { GraphQLLimits } from './limits';

/**
 * The estimated cost of an operation, from graphql-query-complexity: every field costs 1, and a
 * list multiplies the cost of its children by the number of entries it may hold —
 *  - a connection (`users`, `User.groups`, …) by its `first` (as given, or the documented
 *    default: 100, top-level and nested alike);
 *  - `syncRuns` by its `first`;
 *  - a member name list (`Group.userNames`, …) by NESTED_PAGE_SIZE (its real length is counted
 *    while the answer is built: answer-budget.ts);
 *  - an introspection list by its average length in this schema (`__Schema.types` by the number
 *    of types, `__Type.fields` by the average number of fields of a type that has fields, …):
 *    GraphiQL's introspection query costs about what it returns (graphql-js's own validation
 *    bounds introspection lists to 3 levels of nesting);
 *  - any other list by LIST_ESTIMATE.
 * So `users(first: 1000) { nodes { groups { nodes { users { nodes { groups { nodes { name } } } } } } } }`
 * costs about 2·10^9 and is refused, while `users(first: 3) { … groups { nodes { name } } }` costs ~600.
 *
 * Nested connections must be bounded on /graphql: `first` from 0 to MAX_PAGE_SIZE. An explicit
 * `first: null` (the whole list, which the resolvers serve to the Crowd facade's fixed operations)
 * is refused here.
 */
export const LIST_ESTIMATE = 10;

const MEMBER_NAME_LISTS: ReadonlySet<string> = new Set([
  'User.groupNames',
  'Group.userNames',
  'Group.childGroupNames',
  'Group.parentGroupNames',
]);

export function checkCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: GraphQLLimits,
): void {
  const cost = estimateCost(schema, document, operation, variables, limits);
  if (cost !== undefined && cost > limits.maxCost) {
    throw overLimit(
      `The operation's estimated cost is ${cost} (1 per field, lists multiplied by their \`first\`)`,
      'maxCost',
      limits.maxCost,
    );
  }
}

/**
 * The estimated cost of `operation`; undefined when its variables or arguments do not coerce
 * (graphql-js refuses them the same way before anything runs, with its own message). Throws a
 * GraphQLLimitError for a nested connection without a bound.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: GraphQLLimits,
): number | undefined {
  // Only the operation that runs (and the fragments): the library would add up every operation.
  const query: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [operation, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)],
  };
  try {
    return getComplexity({
      schema,
      query,
      ...(variables ? { variables } : {}),
      estimators: [estimator(schema)],
      // Selections visited, fragments re-visited at each use: more than checkDocumentShape allows
      // only for a document it would refuse anyway.
      maxQueryNodes: 4 * limits.maxFields + limits.maxTokens,
    });
  } catch (error) {
    if (error instanceof GraphQLLimitError) throw error;
    if (error instanceof GraphQLError && /maximum allowed number of nodes/.test(error.message)) {
      throw overLimit('The operation has too many selections to estimate its cost', 'maxFields', limits.maxFields);
    }
    if (error instanceof GraphQLError) return undefined;
    throw error;
  }
}

const estimators = new WeakMap<GraphQLSchema, ComplexityEstimator>();

/** The estimator for `schema`, made once per schema. */
function estimator(schema: GraphQLSchema): ComplexityEstimator {
  let made = estimators.get(schema);
  if (!made) estimators.set(schema, (made = makeEstimator(schema)));
  return made;
}

function makeEstimator(schema: GraphQLSchema): ComplexityEstimator {
  const queryType = schema.getQueryType();
  const introspection = introspectionListSizes(schema);
  return ({ type, field, args, childComplexity }) => {
    const where = `${type.name}.${field.name}`;
    const items = introspection.get(where) ?? listSize(where, field, args, type === queryType);
    return items === undefined ? 1 + childComplexity : 1 + items * Math.max(1, childComplexity);
  };
}

/** The average length of each introspection list in `schema` (at least 1). */
function introspectionListSizes(schema: GraphQLSchema): ReadonlyMap<string, number> {
  const types = Object.values(schema.getTypeMap());
  const fields = types.flatMap((t) => (isObjectType(t) || isInterfaceType(t) ? [Object.values(t.getFields())] : []));
  const average = (lists: ReadonlyArray<readonly unknown[]>): number =>
    Math.max(1, Math.ceil(lists.reduce((sum, list) => sum + list.length, 0) / Math.max(1, lists.length)));
  return new Map([
    ['__Schema.types', types.length],
    ['__Schema.directives', schema.getDirectives().length],
    ['__Type.fields', average(fields)],
    ['__Field.args', average(fields.flat().map((f) => f.args))],
    ['__Directive.args', average(schema.getDirectives().map((d) => d.args))],
    ['__Type.inputFields', average(types.flatMap((t) => (isInputObjectType(t) ? [Object.values(t.getFields())] : [])))],
    ['__Type.enumValues', average(types.flatMap((t) => (isEnumType(t) ? [t.getValues()] : [])))],
    [
      '__Type.interfaces',
      average(types.flatMap((t) => (isObjectType(t) || isInterfaceType(t) ? [t.getInterfaces()] : []))),
    ],
    ['__Type.possibleTypes', average(types.flatMap((t) => (isAbstractType(t) ? [schema.getPossibleTypes(t)] : [])))],
  ]);
}

/** Entries a list field may hold, or undefined for a field that is not a list. */
function listSize(
  where: string,
  field: GraphQLField<unknown, unknown>,
  args: Record<string, unknown>,
  topLevel: boolean,
): number | undefined {
  const first = field.args.some((a) => a.name === 'first') ? args['first'] : undefined;
  if (isConnection(field)) {
    if (first === null || first === undefined) {
      throw new GraphQLLimitError(
        `${where}(first: null) asks for the whole list, which /graphql does not answer: page with first (0 to ${MAX_PAGE_SIZE}, default ${NESTED_PAGE_SIZE}) and after`,
      );
    }
    if (typeof first === 'number' && !topLevel && (first < 0 || first > MAX_PAGE_SIZE)) {
      throw new GraphQLLimitError(`${where}: first must be between 0 and ${MAX_PAGE_SIZE}`);
    }
    // Top-level searches answer their own message for an out-of-range `first` (pagination.ts).
    return clampPage(first);
  }
  if (!isListType(getNullableType(field.type))) return undefined;
  if (field.name === 'nodes' && where.endsWith(`Connection.nodes`)) return undefined; // multiplied by the connection's `first`
  if (first !== undefined) return clampPage(first);
  if (MEMBER_NAME_LISTS.has(where)) return NESTED_PAGE_SIZE;
  return LIST_ESTIMATE;
}

/** A connection: a `…Connection` object with `nodes`, paged by `first`. */
function isConnection(field: GraphQLField<unknown, unknown>): boolean {
  return getNamedType(field.type).name.endsWith('Connection') && field.args.some((a) => a.name === 'first');
}

function clampPage(first: unknown): number {
  return typeof first === 'number' ? Math.min(Math.max(first, 0), MAX_PAGE_SIZE) : MAX_PAGE_SIZE;
}
