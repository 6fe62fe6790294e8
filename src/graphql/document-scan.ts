import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';
import { overLimit, GraphQLLimitError } from './limit-error';
import type { GraphQLLimits } from './limits';

/**
 * A pass over the document's tokens before it is parsed: graphql-js's lexer is a loop, its parser
 * recursive descent. Refuses a document with more than `maxTokens` tokens (10,000 aliases are
 * ~140,000) and one whose brackets — `{` of selections and input objects, `[` of lists, `(` of
 * arguments — nest deeper than any accepted operation can (`maxDepth` selections, each with
 * arguments nesting `maxInputDepth` levels), before the parser could recurse into them and
 * overflow the stack. The precise depth checks follow on the parsed document (document-shape.ts).
 * A lexical error is left for the parser to report as the usual syntax error.
 */
export function scanDocument(text: string, limits: GraphQLLimits): void {
  const maxNesting = lexicalNestingLimit(limits);
  const lexer = new Lexer(new Source(text));
  let tokens = 0;
  let nesting = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (++tokens > limits.maxTokens)
        throw overLimit(`The document has more than ${limits.maxTokens} tokens`, 'maxTokens', limits.maxTokens);
      switch (token.kind) {
        case TokenKind.BRACE_L:
        case TokenKind.BRACKET_L:
        case TokenKind.PAREN_L:
          if (++nesting > maxNesting) {
            throw new GraphQLLimitError(
              `The document nests brackets more than ${maxNesting} levels deep; the limits are graphql.maxDepth (${limits.maxDepth}) and graphql.maxInputDepth (${limits.maxInputDepth})`,
            );
          }
          break;
        case TokenKind.BRACE_R:
        case TokenKind.BRACKET_R:
        case TokenKind.PAREN_R:
          nesting--;
          break;
      }
    }
  } catch (error) {
    if (error instanceof GraphQLLimitError || !(error instanceof GraphQLError)) throw error;
    // A syntax error: the parser reports it.
  }
}

/** Selections, an argument list at every level, and input values nested within one argument. */
function lexicalNestingLimit(limits: GraphQLLimits): number {
  return 2 * limits.maxDepth + limits.maxInputDepth + 2;
}
