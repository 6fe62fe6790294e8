import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The layering rules of eslint.config.mjs, checked with the real ESLint on code given on stdin as
 * if it were a file at `path`: a forbidden import is an error naming the rule, an allowed one is not.
 */
const ROOT = join(__dirname, '..', '..');

interface LintMessage {
  ruleId: string | null;
  message: string;
}

const CASES: Record<string, { path: string; code: string }> = {
  adminToServer: {
    path: 'src/admin/example.ts',
    code: "import { startServer } from '../server/server';\nexport const s = startServer;\n",
  },
  facadeToStore: {
    path: 'facades/crowd/routes/x.ts',
    code: "import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store';\nexport const s = openSqliteStore;\n",
  },
  providerToEmulator: {
    path: 'src/providers/entra/x.ts',
    code: "import { startEntraEmulator } from '../../emulators/entra';\nexport const s = startEntraEmulator;\n",
  },
  syncToServer: {
    path: 'src/sync/x.ts',
    code: "import { startCrowdgate } from '../server/bootstrap';\nexport const s = startCrowdgate;\n",
  },
  serverToTests: {
    path: 'src/server/x.ts',
    code: "import { TenantProvider } from '../../tests/helpers/tenant-provider';\nexport const s = TenantProvider;\n",
  },
  providerToTests: {
    path: 'src/providers/okta/x.ts',
    code: "import { TenantProvider } from '../../../tests/helpers/tenant-provider';\nexport const s = TenantProvider;\n",
  },
  syncToLogging: {
    path: 'src/sync/x.ts',
    code: "import type { Logger } from '../logging/logger';\nexport type L = Logger;\n",
  },
  consoleToServer: {
    path: 'web/src/pages/x.tsx',
    code: "import { startServer } from '../../../src/server/server';\nexport const s = startServer;\n",
  },
  consoleToResolvers: {
    path: 'web/src/x.ts',
    code: "import type { GraphQLContext } from '../../resolvers/context';\nexport type C = GraphQLContext;\n",
  },
  consoleToReact: {
    path: 'web/src/x.ts',
    code: "import { useState } from 'react';\nexport const s = useState;\n",
  },
  serverToStore: {
    path: 'src/server/x.ts',
    code: "import { openSqliteStore } from '../store/sqlite/sqlite-store';\nexport const s = openSqliteStore;\n",
  },
};

/** Lints every case in one child process (the real ESLint and eslint.config.mjs): the no-restricted-imports messages of each. */
function lintCases(): Record<string, string[]> {
  const program = `
    const { ESLint } = require('eslint');
    (async () => {
      const eslint = new ESLint({ cwd: ${JSON.stringify(ROOT)} });
      const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
      const out = {};
      for (const [name, { path, code }] of Object.entries(cases)) {
        const [result] = await eslint.lintText(code, { filePath: require('node:path').join(${JSON.stringify(ROOT)}, path) });
        out[name] = result.messages;
      }
      process.stdout.write(JSON.stringify(out));
    })().catch((error) => { console.error(error); process.exit(1); });`;
  const output = execFileSync(process.execPath, ['-e', program], {
    cwd: ROOT,
    input: JSON.stringify(CASES),
    encoding: 'utf8',
    timeout: 120_000,
  });
  const results = JSON.parse(output) as Record<string, LintMessage[]>;
  return Object.fromEntries(
    Object.entries(results).map(([name, messages]) => [
      name,
      messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message),
    ]),
  );
}

describe('layering', () => {
  let restricted: Record<string, string[]>;
  beforeAll(() => {
    restricted = lintCases();
  });

  test.each([
    ['facadeToStore', 'The facade never touches the store'],
    ['providerToEmulator', 'Connectors know vendors, not our fakes'],
    ['syncToServer', 'The sync engine does not know how it is served'],
    ['adminToServer', 'The administration services know the configuration'],
    ['serverToTests', 'Production code never imports tests'],
    ['providerToTests', 'Production code never imports tests'],
    ['consoleToServer', 'The console is a GraphQL client like any other'],
    ['consoleToResolvers', 'The console is a GraphQL client like any other'],
  ])('%s: a forbidden import fails', (name, reason) => {
    expect(restricted[name]).toEqual([expect.stringContaining(reason)]);
  });

  test('allowed imports pass', () => {
    expect(restricted['syncToLogging']).toEqual([]);
    expect(restricted['serverToStore']).toEqual([]);
    expect(restricted['consoleToReact']).toEqual([]);
  });
});
