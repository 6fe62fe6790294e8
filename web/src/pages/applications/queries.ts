/** The GraphQL operations and shapes of the applications pages (schema/schema.graphql: Application). */

/** What Jira, Confluence or Bitbucket is told to enter: `applications { connectionInstructions }`. */
export interface ConnectionInstructions {
  readonly serverUrl: string;
  readonly applicationName: string;
  readonly permission: string;
  readonly notes: readonly string[];
}

export interface ApplicationView {
  readonly name: string;
  readonly enabled: boolean;
  /** In precedence order: the first directory wins when a name exists in several. */
  readonly directories: readonly string[];
  readonly allowedAddresses: readonly string[];
  readonly managedBy: 'API' | 'FILE';
  readonly version: number;
  readonly connectionInstructions: ConnectionInstructions;
}

export interface ApplicationsData {
  readonly applications: readonly ApplicationView[];
  /** Every directory, in precedence order. */
  readonly directories: ReadonlyArray<{ readonly name: string }>;
}

/** The input of createApplication / updateApplication (ApplicationInput); keys left out keep their values. */
export interface ApplicationInput {
  name: string;
  allowedAddresses?: string[];
  directories?: string[];
  enabled?: boolean;
  password?: string;
}

export interface ApplicationResult {
  readonly application: ApplicationView;
  /** Shown this once, stored only as a hash; null when the password was typed. */
  readonly generatedPassword: string | null;
}

const APPLICATION_FIELDS = `name enabled directories allowedAddresses managedBy version
  connectionInstructions { serverUrl applicationName permission notes }`;

export const APPLICATIONS_QUERY = `{
  applications { ${APPLICATION_FIELDS} }
  directories { name }
}`;

export const CREATE_APPLICATION = `mutation($input: ApplicationInput!) {
  createApplication(input: $input) { generatedPassword application { ${APPLICATION_FIELDS} } }
}`;

export const UPDATE_APPLICATION = `mutation($name: String!, $input: ApplicationInput!, $expectedVersion: Int) {
  updateApplication(name: $name, input: $input, expectedVersion: $expectedVersion) {
    generatedPassword application { ${APPLICATION_FIELDS} }
  }
}`;

export const SET_APPLICATION_PASSWORD = `mutation($name: String!) {
  setApplicationPassword(name: $name) { generatedPassword application { ${APPLICATION_FIELDS} } }
}`;

export const DELETE_APPLICATION = `mutation($name: String!) { deleteApplication(name: $name) }`;

/** Names are case-insensitive in crowdgate (as in Crowd). */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Where FILE entries come from (the configuration file; read-only at run time). */
export const CONFIG_FILE = 'crowdgate.yaml';
