import { TenantState } from '../../emulators/core/tenant-state';
import { generateTenant, type TenantSpec } from '../../emulators/tenant';
import { TenantProvider } from './tenant-provider';

/**
 * The `demo` provider: the deterministic generated tenant (src/emulators/tenant.ts), live in
 * process, so `crowdgate serve --demo` has a realistic directory without any cloud account.
 */
export function createDemoProvider(spec: TenantSpec): TenantProvider {
  return new TenantProvider(new TenantState(generateTenant(spec)));
}
