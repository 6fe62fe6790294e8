import { DirectoryError } from '../domain/errors';
import { LIMIT_KEYS } from './limits';

/**
 * The list entries one /graphql answer may hold (`graphql.maxAnswerEntries`), counted by the
 * resolvers as lists are made — nodes of connections, member names, attribute values — before
 * the entities behind them are loaded. The estimated cost bounds what a document asks for; this
 * bounds what the directory holds (a group's name list has no `first`). Once the budget is spent
 * every further list throws, and the endpoint answers the single error below instead of a
 * partial answer (graphql-endpoint.ts).
 */
export class AnswerBudget {
  private used = 0;
  private over = false;

  constructor(readonly maxEntries: number) {}

  /** Counts `entries` more; throws INVALID_ARGUMENT (BAD_USER_INPUT) when the answer would pass the limit. */
  spend(entries: number): void {
    this.used += entries;
    if (this.used > this.maxEntries) {
      this.over = true;
      throw new DirectoryError('INVALID_ARGUMENT', this.message());
    }
  }

  get exceeded(): boolean {
    return this.over;
  }

  message(): string {
    return `The answer would hold more than ${this.maxEntries} list entries; the limit is ${this.maxEntries} (${LIMIT_KEYS.maxAnswerEntries}): select fewer fields, or page with a smaller \`first\``;
  }
}
