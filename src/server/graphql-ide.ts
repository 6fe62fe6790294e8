import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Context } from 'koa';

/**
 * The GraphQL IDE at `GET /graphql` for browsers: GraphiQL served from our own node_modules, so it
 * works offline (nothing from a CDN). The page holds no data; every query it sends needs an
 * administrator token, which the user enters in GraphiQL's headers pane.
 */
interface AssetSpec {
  readonly pkg: string;
  readonly file: string;
  readonly type: string;
}

/** A Map, not an object: the name comes from the URL, and `constructor` or `__proto__` must not be found. */
const ASSETS: ReadonlyMap<string, AssetSpec> = new Map([
  ['react.js', { pkg: 'react', file: 'umd/react.production.min.js', type: 'application/javascript' }],
  ['react-dom.js', { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'application/javascript' }],
  ['graphiql.js', { pkg: 'graphiql', file: 'graphiql.min.js', type: 'application/javascript' }],
  ['graphiql.css', { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' }],
]);

const cache = new Map<string, Buffer>();

function asset(name: string, { pkg, file }: AssetSpec): Buffer {
  let content = cache.get(name);
  if (!content) {
    // Resolve the package folder (UMD builds are not in the packages' `exports`).
    content = readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), file));
    cache.set(name, content);
  }
  return content;
}

export function wantsIde(ctx: Context): boolean {
  return ctx.method === 'GET' && ctx.accepts(['application/json', 'text/html']) === 'text/html' && !ctx.query.query;
}

export function serveIde(ctx: Context, endpoint: string): void {
  ctx.type = 'text/html; charset=utf-8';
  ctx.set(
    'Content-Security-Policy',
    "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'",
  );
  ctx.body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>crowdgate GraphQL</title>
<link rel="stylesheet" href="${endpoint}/ide/graphiql.css">
<style>body{margin:0;height:100vh}#ide{height:100vh}</style></head>
<body><div id="ide"></div>
<script src="${endpoint}/ide/react.js"></script>
<script src="${endpoint}/ide/react-dom.js"></script>
<script src="${endpoint}/ide/graphiql.js"></script>
<script>
  const fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(endpoint)} });
  const root = ReactDOM.createRoot(document.getElementById('ide'));
  root.render(React.createElement(GraphiQL, {
    fetcher,
    defaultEditorToolsVisibility: 'headers',
    defaultHeaders: JSON.stringify({ Authorization: 'Bearer <administrator token>' }, null, 2),
    defaultQuery: '{\\n  directories { name provider }\\n  users(first: 10) { totalCount nodes { name displayName active groups { nodes { name } } } }\\n}\\n',
  }));
</script></body></html>`;
}

/** Serves one IDE asset; false when the name is not one of ours. */
export function serveIdeAsset(ctx: Context, name: string): boolean {
  const spec = ASSETS.get(name);
  if (!spec) return false;
  ctx.type = spec.type;
  ctx.set('Cache-Control', 'public, max-age=86400');
  ctx.body = asset(name, spec);
  return true;
}
