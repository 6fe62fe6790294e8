import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { overLimit } from './limit-error';
import type { GraphQLLimits } from './limits';

/** Field nesting and field count of a selection set, fragments expanded. */
interface Shape {
  readonly depth: number;
  readonly fields: number;
}

/**
 * Checks the shape of the operation that will run: field depth (`maxDepth`), field selections
 * with aliases and every fragment use counted (`maxFields`), and the nesting of input values
 * written in the document (`maxInputDepth`). Each fragment is measured once, so a fragment used
 * 2^k times through k levels of spreads costs k measurements, not 2^k; the count still says 2^k.
 * Unknown fragments and fragment cycles count nothing here: validation refuses them next.
 * Recursion follows the document's bracket nesting, which document-scan.ts has already bounded.
 */
export function checkDocumentShape(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  limits: GraphQLLimits,
): void {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measured = new Map<string, Shape>();
  const measuring = new Set<string>();

  const fragmentShape = (name: string): Shape => {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment || measuring.has(name)) return { depth: 0, fields: 0 };
    measuring.add(name);
    const shape = selectionShape(fragment.selectionSet);
    measuring.delete(name);
    measured.set(name, shape);
    return shape;
  };

  const selectionShape = (set: SelectionSetNode): Shape => {
    let depth = 0;
    let fields = 0;
    for (const selection of set.selections) {
      let inner: Shape;
      if (selection.kind === Kind.FIELD) {
        for (const argument of selection.arguments ?? []) {
          checkInputDepth(
            valueDepth(argument.value),
            `Argument ${argument.name.value} of ${selection.name.value}`,
            limits,
          );
        }
        const below = selection.selectionSet ? selectionShape(selection.selectionSet) : { depth: 0, fields: 0 };
        inner = { depth: below.depth + 1, fields: below.fields + 1 };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = selectionShape(selection.selectionSet);
      } else {
        inner = fragmentShape(selection.name.value);
      }
      depth = Math.max(depth, inner.depth);
      fields += inner.fields;
    }
    return { depth, fields };
  };

  for (const variable of operation.variableDefinitions ?? []) {
    if (variable.defaultValue)
      checkInputDepth(
        valueDepth(variable.defaultValue),
        `The default value of $${variable.variable.name.value}`,
        limits,
      );
  }
  const shape = selectionShape(operation.selectionSet);
  if (shape.depth > limits.maxDepth) {
    throw overLimit(`The operation nests fields ${shape.depth} levels deep`, 'maxDepth', limits.maxDepth);
  }
  if (shape.fields > limits.maxFields) {
    throw overLimit(
      `The operation selects ${shape.fields} fields (aliases and fragment uses counted)`,
      'maxFields',
      limits.maxFields,
    );
  }
}

function checkInputDepth(depth: number, what: string, limits: GraphQLLimits): void {
  if (depth > limits.maxInputDepth)
    throw overLimit(`${what} nests input values ${depth} levels deep`, 'maxInputDepth', limits.maxInputDepth);
}

/** Levels of input objects and lists in a literal (a scalar or variable is 0). */
function valueDepth(value: ValueNode): number {
  if (value.kind !== Kind.LIST && value.kind !== Kind.OBJECT) return 0;
  let deepest = 0;
  if (value.kind === Kind.LIST) for (const item of value.values) deepest = Math.max(deepest, valueDepth(item));
  else for (const field of value.fields) deepest = Math.max(deepest, valueDepth(field.value));
  return deepest + 1;
}

/**
 * Checks the nesting of the request's variables (JSON, before graphql-js coerces them: its
 * coercion is recursive, and a filter nested 1,000 levels overflowed the stack there). Iterative,
 * so a value of any depth is measured safely; the message names the path where the limit was
 * passed, e.g. `$filter.or[0].or[0]…`.
 */
export function checkVariablesDepth(variables: unknown, limits: GraphQLLimits): void {
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) return;
  const stack: Array<{ value: unknown; depth: number; path: string }> = Object.entries(variables).map(
    ([name, value]) => ({
      value,
      depth: 0,
      path: `$${name}`,
    }),
  );
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth + 1 > limits.maxInputDepth) {
      throw overLimit(
        `Variable ${path.split(/[.[]/)[0]} nests input values more than ${limits.maxInputDepth} levels deep (at ${path})`,
        'maxInputDepth',
        limits.maxInputDepth,
      );
    }
    if (Array.isArray(value)) {
      value.forEach((item: unknown, index) => stack.push({ value: item, depth: depth + 1, path: `${path}[${index}]` }));
    } else {
      for (const [key, item] of Object.entries(value))
        stack.push({ value: item, depth: depth + 1, path: `${path}.${key}` });
    }
  }
}
