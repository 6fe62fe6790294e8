/** A configured user directory: one upstream tenant (or the demo), synchronised into the store. */
export interface Directory {
  /** Store-assigned numeric id; stable for the life of the data directory. */
  readonly id: number;
  /** Configuration name, unique case-insensitively. */
  readonly name: string;
  /** Provider kind: `entra`, `google`, `okta` or `demo`. */
  readonly provider: string;
  /** Order in the configuration; lower comes first when a name exists in two directories. */
  readonly position: number;
}
