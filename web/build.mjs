// Builds the administration console (web/src) into web/dist: hashed, long-cacheable assets under
// web/dist/assets and an index.html that names them. Run by `npm run build` (and so by `prepare`).
// Nothing is fetched from another host at run time: React and the GraphQL clients are bundled.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const web = dirname(fileURLToPath(import.meta.url));
const out = join(web, 'dist');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });

const result = await build({
  entryPoints: { console: join(web, 'src', 'main.tsx') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  outdir: join(out, 'assets'),
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  sourcemap: false,
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs);
const script = outputs.find((file) => file.endsWith('.js'));
const style = outputs.find((file) => file.endsWith('.css'));
if (!script || !style) throw new Error(`the console build produced no script or style sheet: ${outputs.join(', ')}`);

const template = readFileSync(join(web, 'index.html'), 'utf8');
writeFileSync(
  join(out, 'index.html'),
  template.replace('%SCRIPT%', `assets/${basename(script)}`).replace('%STYLE%', `assets/${basename(style)}`),
);

const scriptBytes = readFileSync(join(web, '..', script));
const manifest = {
  script: basename(script),
  style: basename(style),
  scriptBytes: scriptBytes.length,
  scriptGzipBytes: gzipSync(scriptBytes, { level: 9 }).length,
};
writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(
  `console: ${manifest.script} ${(manifest.scriptBytes / 1024).toFixed(0)} KiB, ` +
    `${(manifest.scriptGzipBytes / 1024).toFixed(0)} KiB gzip`,
);
