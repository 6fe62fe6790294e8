import type { ComponentType } from 'react';
import { ProviderChoice } from './wizard/provider-choice';
import { WizardPage } from './wizard/wizard-page';
import { EditDirectoryPage } from './wizard/edit-directory-page';
import { DirectoryPage } from './directory/directory-page';
import { UsersPage } from './browse/users-page';
import { UserPage } from './browse/user-page';
import { GroupsPage } from './browse/groups-page';
import { GroupPage } from './browse/group-page';
import { ApplicationsPage } from './applications/applications-page';
import { ApplicationPage } from './applications/application-page';
import { TokensPage } from './tokens/tokens-page';
import { AuditPage } from './audit/audit-page';

/**
 * Every page but the overview, by address (wouter patterns under /admin/). More specific
 * patterns first: /directories/new before /directories/:name.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wouter hands each page its params
export const consoleRoutes: ReadonlyArray<{ path: string; component: ComponentType<any> }> = [
  { path: '/directories/new', component: ProviderChoice },
  { path: '/directories/new/:provider', component: WizardPage },
  { path: '/directories/:name/edit', component: EditDirectoryPage },
  { path: '/directories/:name', component: DirectoryPage },
  { path: '/users', component: UsersPage },
  { path: '/users/:name', component: UserPage },
  { path: '/groups', component: GroupsPage },
  { path: '/groups/:name', component: GroupPage },
  { path: '/applications', component: ApplicationsPage },
  { path: '/applications/:name', component: ApplicationPage },
  { path: '/tokens', component: TokensPage },
  { path: '/audit', component: AuditPage },
];
