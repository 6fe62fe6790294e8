import { generateTenant, type Tenant, type TenantSpec } from '../../emulators/tenant';
import type { ConnectionReport, DirectoryProvider, ProviderGroup, ProviderMember, ProviderUser } from '../provider';

/**
 * The `demo` provider: serves the deterministic generated tenant (src/emulators/tenant.ts) in
 * process, so `crowdgate serve --demo` has a realistic directory without any cloud account.
 */
export class DemoProvider implements DirectoryProvider {
  readonly kind = 'demo';
  private readonly tenant: Tenant;
  private readonly groupsById: Map<string, Tenant['groups'][number]>;

  constructor(spec: TenantSpec) {
    this.tenant = generateTenant(spec);
    this.groupsById = new Map(this.tenant.groups.map((g) => [g.id, g]));
  }

  async *users(): AsyncIterable<ProviderUser> {
    for (const u of this.tenant.users) {
      yield {
        id: u.id,
        login: u.login,
        email: u.mail,
        givenName: u.givenName,
        surname: u.surname,
        displayName: u.displayName,
        enabled: u.enabled,
        guest: u.guest,
        attributes: {
          department: u.department,
          jobTitle: u.jobTitle,
          employeeId: u.employeeId,
          ...(u.samAccountName ? { samAccountName: u.samAccountName } : {}),
        },
      };
    }
  }

  async *groups(): AsyncIterable<ProviderGroup> {
    for (const g of this.tenant.groups) yield { id: g.id, name: g.name, description: g.description };
  }

  async *members(group: ProviderGroup): AsyncIterable<ProviderMember> {
    const g = this.groupsById.get(group.id);
    if (!g) return;
    for (const id of g.memberUserIds) yield { kind: 'user', id };
    for (const id of g.memberGroupIds) yield { kind: 'group', id };
  }

  async testConnection(): Promise<ConnectionReport> {
    return { ok: true, messages: [`demo tenant with ${this.tenant.users.length} users and ${this.tenant.groups.length} groups`] };
  }
}
