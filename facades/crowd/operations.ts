import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execute, parse, validate, type DocumentNode, type GraphQLSchema, Kind } from 'graphql';
import { DirectoryError, isDirectoryError } from '../../src/domain/errors';

/** Builds the GraphQL context of one operation run, for a principal. */
export type ContextFactory = (principal: string) => unknown;

/**
 * The fixed GraphQL operations the Crowd facade runs, from schema/crowd/*.graphql. They are
 * parsed and validated against the schema once, at start (a drift between facade and schema
 * fails the boot, not a request); each request only executes the cached document.
 */
export class CrowdOperations {
  private constructor(
    private readonly schema: GraphQLSchema,
    private readonly document: DocumentNode,
    private readonly names: ReadonlySet<string>,
    private readonly contextFor: ContextFactory,
  ) {}

  static load(schema: GraphQLSchema, directory: string, contextFor: ContextFactory): CrowdOperations {
    const files = readdirSync(directory).filter((f) => f.endsWith('.graphql')).sort();
    const source = files.map((f) => readFileSync(join(directory, f), 'utf8')).join('\n');
    const document = parse(source);
    const errors = validate(schema, document);
    if (errors.length > 0) {
      throw new DirectoryError('CONFIGURATION', `Crowd operations in ${directory} do not match the schema: ${errors.map((e) => e.message).join('; ')}`);
    }
    const names = new Set(
      document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : [])),
    );
    return new CrowdOperations(schema, document, names, contextFor);
  }

  /**
   * Executes one operation for an application. A DirectoryError raised by a resolver is rethrown
   * as is (the facade maps it to a Crowd error entity); any other error becomes INTERNAL.
   */
  async run<T>(operationName: string, variables: Record<string, unknown>, principal: string): Promise<T> {
    if (!this.names.has(operationName)) throw new DirectoryError('INTERNAL', `unknown Crowd operation ${operationName}`);
    const result = await execute({
      schema: this.schema,
      document: this.document,
      operationName,
      variableValues: variables,
      contextValue: this.contextFor(principal),
    });
    const error = result.errors?.[0];
    if (error) {
      const original = error.originalError;
      if (isDirectoryError(original)) throw original;
      if (!original) throw new DirectoryError('INVALID_ARGUMENT', error.message); // bad variables
      throw new DirectoryError('INTERNAL', `operation ${operationName} failed`, { cause: original });
    }
    return result.data as T;
  }
}
