/**
 * How soon a configuration change made through one serving worker is in effect on every worker:
 * `crowdgate serve --workers 2` (a child process), an application created through GraphQL, then
 * Crowd requests on fresh connections (handed out round-robin) until 8 in a row authenticate; then
 * the application deleted, until 8 in a row are refused.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/config-propagation.js [--rounds N]
 *
 * Goal: every change in effect on every process within 1 s (the maximum over all rounds). The
 * baseline in the same run is the time of the GraphQL mutation itself.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { benchArgs, Goals } from './provider-bench';

const CLI = join(__dirname, '..', 'src', 'cli', 'main.js');
const TOKEN = 'config-propagation-bench-token';

function request(url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', agent: false, headers: init.headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

async function main(): Promise<void> {
  const rounds = benchArgs(['--rounds']).option('--rounds', 10);
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-propagation-'));
  const file = join(dataDir, 'crowdgate.yaml');
  writeFileSync(
    file,
    `server: { port: 0, workers: 2 }\nadminTokens: [{ name: ops, token: ${TOKEN} }]\ndirectories:\n  - { name: corp, provider: demo, demo: { users: 20, groups: 2 } }\n`,
  );
  const serving = spawn(process.execPath, [CLI, 'serve', '--config', file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise<string>((resolve, reject) => {
    createInterface({ input: serving.stdout! }).on('line', (line) => {
      const match = /GraphQL API and IDE: (http:\/\/\S+)\/graphql$/.exec(line);
      if (match) resolve(match[1]!);
    });
    serving.once('exit', (code) => reject(new Error(`crowdgate exited with ${code}`)));
  });
  const graphql = async (query: string) => {
    const answer = await request(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ query }),
    });
    return JSON.parse(answer.body) as { data: Record<string, { generatedPassword?: string }> };
  };
  const until = async (auth: string, status: number): Promise<number> => {
    const started = Date.now();
    for (;;) {
      let agreed = 0;
      while (agreed < 8) {
        const answer = await request(`${base}/rest/usermanagement/1/search?entity-type=user&max-results=1`, {
          headers: { authorization: auth, accept: 'application/json' },
        });
        if (answer.status !== status) break;
        agreed++;
      }
      if (agreed === 8) return Date.now() - started;
      if (Date.now() - started > 30_000) throw new Error(`not every worker answered ${status} within 30 s`);
    }
  };
  const created: number[] = [];
  const deleted: number[] = [];
  const mutations: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const started = Date.now();
      const answer = await graphql(
        `mutation { createApplication(input: { name: "app${round}", directories: ["corp"] }) { generatedPassword } }`,
      );
      mutations.push(Date.now() - started);
      const auth = `Basic ${Buffer.from(`app${round}:${answer.data.createApplication!.generatedPassword!}`).toString('base64')}`;
      created.push(await until(auth, 200));
      await graphql(`mutation { deleteApplication(name: "app${round}") }`);
      deleted.push(await until(auth, 401));
    }
  } finally {
    serving.kill('SIGTERM');
    await new Promise((resolve) => serving.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
  const describe = (values: number[]) =>
    `median ${[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]} ms, max ${Math.max(...values)} ms`;
  console.log(`config propagation over 2 serving workers, ${rounds} rounds`);
  console.log(`  the createApplication mutation itself (baseline): ${describe(mutations)}`);
  console.log(`  new application accepted by every worker after:   ${describe(created)}`);
  console.log(`  deleted application refused by every worker after: ${describe(deleted)}`);
  const goals = new Goals();
  goals.check(
    `every change in effect on every worker within 1 s (max ${Math.max(...created, ...deleted)} ms)`,
    Math.max(...created, ...deleted) <= 1000,
  );
  goals.finish();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
