/**
 * The console's addresses, under /admin/ (the router's base). Names are URI-encoded: Crowd names
 * may hold any character but control characters.
 */
const e = encodeURIComponent;

export const routes = {
  overview: '/',
  addDirectory: '/directories/new',
  wizard: (provider: string) => `/directories/new/${e(provider)}`,
  directory: (name: string) => `/directories/${e(name)}`,
  editDirectory: (name: string) => `/directories/${e(name)}/edit`,
  users: '/users',
  user: (name: string, directory?: string) => `/users/${e(name)}${directory ? `?directory=${e(directory)}` : ''}`,
  groups: '/groups',
  group: (name: string, directory?: string) => `/groups/${e(name)}${directory ? `?directory=${e(directory)}` : ''}`,
  applications: '/applications',
  application: (name: string) => `/applications/${e(name)}`,
  tokens: '/tokens',
  audit: '/audit',
} as const;

export const CONSOLE_BASE = '/admin';
