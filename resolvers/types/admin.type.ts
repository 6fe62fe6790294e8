import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum ManagedBy {
  FILE = 'FILE',
  API = 'API',
}
registerEnumType(ManagedBy, {
  name: 'ManagedBy',
  description: 'FILE: from the configuration file, read-only in the API. API: made through the administration API.',
});

export enum DirectoryStatus {
  OK = 'OK',
  SYNCING = 'SYNCING',
  FAILED = 'FAILED',
  AWAITING_APPROVAL = 'AWAITING_APPROVAL',
  DISABLED = 'DISABLED',
  NEVER_SYNCED = 'NEVER_SYNCED',
}
registerEnumType(DirectoryStatus, { name: 'DirectoryStatus' });

export enum TokenScopeEnum {
  READ = 'READ',
  ADMIN = 'ADMIN',
}
registerEnumType(TokenScopeEnum, {
  name: 'TokenScope',
  description: 'READ: queries only. ADMIN: queries and mutations.',
});

@ObjectType('DirectoryCounts', { description: "What the store holds for the directory now (Crowd's view of it)." })
export class DirectoryCountsType {
  @Field(() => Int) users!: number;
  @Field(() => Int) activeUsers!: number;
  @Field(() => Int) groups!: number;
  @Field(() => Int, { description: 'Direct user and group memberships.' }) memberships!: number;
}

@ObjectType('ConnectionInstructions', {
  description:
    'What to enter in Jira, Confluence or Bitbucket when adding an Atlassian Crowd user directory (each product names its User Directories page in `notes`).',
})
export class ConnectionInstructionsType {
  @Field(() => String, { description: 'Server URL (with the context path), as the products ask for it.' })
  serverUrl!: string;
  @Field(() => String, { description: 'Application name.' }) applicationName!: string;
  @Field(() => String, { description: 'Which Crowd permission to choose.' }) permission!: string;
  @Field(() => [String], { description: 'Further advice, one step per line.' }) notes!: string[];
}

@ObjectType('Application', {
  description: 'A Crowd application: a Jira, Confluence or Bitbucket that reads crowdgate.',
})
export class ApplicationType {
  @Field(() => String) name!: string;
  @Field(() => ManagedBy) managedBy!: ManagedBy;
  @Field(() => Int, { description: 'Increases with every change; give it as expectedVersion to update safely.' })
  version!: number;
  @Field(() => Boolean) enabled!: boolean;
  @Field(() => [String], { description: 'Client addresses (CIDR) allowed to call as this application.' })
  allowedAddresses!: string[];
  @Field(() => [String], { description: 'Directories it sees, in precedence order.' }) directories!: string[];
  @Field(() => ConnectionInstructionsType) connectionInstructions!: ConnectionInstructionsType;
}

@ObjectType('ApplicationResult', { description: 'An application, and its password when crowdgate generated it.' })
export class ApplicationResultType {
  @Field(() => ApplicationType) application!: ApplicationType;
  @Field(() => String, {
    nullable: true,
    description: 'The generated password: shown this once, stored only as a hash. Null when you gave the password.',
  })
  generatedPassword!: string | null;
}

@ObjectType('AdminToken', { description: 'An administrator token (never its value).' })
export class AdminTokenType {
  @Field(() => String) name!: string;
  @Field(() => TokenScopeEnum) scope!: TokenScopeEnum;
  @Field(() => ManagedBy) managedBy!: ManagedBy;
  @Field(() => Date, { nullable: true }) createdAt!: Date | null;
  @Field(() => Date, { nullable: true }) expiresAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Kept to the minute.' }) lastUsedAt!: Date | null;
}

@ObjectType('CreatedToken')
export class CreatedTokenType {
  @Field(() => String, {
    description: 'The token: shown this once, stored only as a hash. Send it as Authorization: Bearer <token>.',
  })
  token!: string;
  @Field(() => AdminTokenType) adminToken!: AdminTokenType;
}

@ObjectType('AuditEntry', { description: 'One mutation, as it was asked and how it ended.' })
export class AuditEntryType {
  @Field(() => Int) id!: number;
  @Field(() => Date) at!: Date;
  @Field(() => String, { description: 'The administrator token’s name.' }) principal!: string;
  @Field(() => String, { description: 'The client address.' }) source!: string;
  @Field(() => String, { description: 'The mutation, e.g. createDirectory.' }) operation!: string;
  @Field(() => String, { description: 'Its arguments as JSON, every secret replaced by "[redacted]".' })
  arguments!: string;
  @Field(() => String, { description: 'OK or ERROR.' }) outcome!: string;
  @Field(() => String, { nullable: true, description: 'The error code and message.' }) error!: string | null;
}

@ObjectType('AuditLogPage', { description: 'Audit entries, newest first.' })
export class AuditLogPageType {
  @Field(() => [AuditEntryType]) entries!: AuditEntryType[];
  @Field(() => String, { nullable: true, description: 'Give as `after` for the next page; null on the last.' })
  endCursor!: string | null;
}
