import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  execute,
  getNamedType,
  isInputObjectType,
  Kind,
  parse,
  typeFromAST,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { DirectoryError, isDirectoryError } from '../../src/domain/errors';

/** Builds the GraphQL context of one operation run, for a principal. */
export type ContextFactory = (principal: string) => unknown;

type Runner = (context: unknown, variables: Record<string, unknown>) => Promise<ExecutionResult> | ExecutionResult;

/**
 * The fixed GraphQL operations the Crowd facade runs, from schema/crowd/*.graphql. They are
 * parsed, validated against the schema and compiled (graphql-jit) once, at start: a drift between
 * facade and schema fails the boot, not a request, and each request runs a compiled function
 * instead of re-interpreting the document (variable coercion, field collection and result
 * completion are specialised once). On `GET /user` that cut the GraphQL layer's cost by more than
 * half (bench/crowd-user-lookup.ts). The resolvers, DataLoaders and error handling are the schema's own.
 *
 * graphql-jit 0.8 cannot compile variables of a recursive input type (our filter inputs nest
 * `and`/`or`): its coercion generator recurses until the stack overflows, after allocating ~1.5 GB.
 * Those operations (the searches, where the store dominates anyway) are never handed to it and run
 * on graphql-js's `execute`; `interpreted` names them.
 */
export class CrowdOperations {
  private constructor(
    private readonly runners: ReadonlyMap<string, Runner>,
    private readonly contextFor: ContextFactory,
    /** Operations graphql-jit could not compile, executed by graphql-js instead. */
    readonly interpreted: readonly string[],
  ) {}

  static load(schema: GraphQLSchema, directory: string, contextFor: ContextFactory): CrowdOperations {
    const files = readdirSync(directory)
      .filter((f) => f.endsWith('.graphql'))
      .sort();
    const source = files.map((f) => readFileSync(join(directory, f), 'utf8')).join('\n');
    const document = parse(source);
    const errors = validate(schema, document);
    if (errors.length > 0) {
      throw new DirectoryError(
        'CONFIGURATION',
        `Crowd operations in ${directory} do not match the schema: ${errors.map((e) => e.message).join('; ')}`,
      );
    }
    const runners = new Map<string, Runner>();
    const interpreted: string[] = [];
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION || !definition.name) continue;
      const operationName = definition.name.value;
      const compiled = hasRecursiveVariable(schema, definition)
        ? undefined
        : compileQuery(schema, document, operationName);
      if (compiled && isCompiledQuery(compiled)) {
        runners.set(operationName, (context, variables) => compiled.query(undefined, context, variables));
      } else {
        interpreted.push(operationName);
        runners.set(operationName, (context, variables) =>
          execute({ schema, document, operationName, variableValues: variables, contextValue: context }),
        );
      }
    }
    return new CrowdOperations(runners, contextFor, interpreted);
  }

  /**
   * Executes one operation for an application. A DirectoryError raised by a resolver is rethrown
   * as is (the facade maps it to a Crowd error entity); any other error becomes INTERNAL, which
   * the facade answers as 500 OPERATION_FAILED with a correlation id it logs (router.ts).
   */
  async run<Result, Variables>(
    operation: TypedDocumentNode<Result, Variables>,
    variables: Variables,
    principal: string,
  ): Promise<Result> {
    const operationName = nameOf(operation);
    const runner = this.runners.get(operationName);
    if (!runner) throw new DirectoryError('INTERNAL', `unknown Crowd operation ${operationName}`);
    const result = await runner(this.contextFor(principal), variables as Record<string, unknown>);
    const error = result.errors?.[0];
    if (error) {
      const original = error.originalError;
      if (isDirectoryError(original)) throw original;
      if (!original) throw new DirectoryError('INVALID_ARGUMENT', error.message); // bad variables
      // The message is for the log only (the facade masks INTERNAL answers): name the cause there.
      throw new DirectoryError('INTERNAL', `operation ${operationName} failed: ${original.message}`, {
        cause: original,
      });
    }
    return result.data as Result;
  }
}

/**
 * The name of a generated document's operation, by which the parsed, validated and compiled copy
 * is found: the document itself is never executed.
 */
function nameOf(document: DocumentNode): string {
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) return definition.name?.value ?? '';
  }
  return '';
}

/** Whether a variable of the operation has an input type that contains itself (e.g. `and: [Filter!]`). */
function hasRecursiveVariable(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  const recursive = (type: GraphQLNamedType, path: Set<GraphQLNamedType>): boolean => {
    if (!isInputObjectType(type)) return false;
    if (path.has(type)) return true;
    path.add(type);
    const found = Object.values(type.getFields()).some((field) => recursive(getNamedType(field.type), path));
    path.delete(type);
    return found;
  };
  return (
    operation.variableDefinitions?.some((variable) => {
      const type = typeFromAST(schema, variable.type);
      return type !== undefined && recursive(getNamedType(type), new Set());
    }) ?? false
  );
}
