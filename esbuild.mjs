// Bundles crdb-studio: one bundle per runtime, so the .vsix ships no node_modules.
//   dist/client/extension.js  extension host (node, 'vscode' external)
//   dist/server/server.js     language server (node, runs under any LSP client)
//   dist/cli/cli.js           crdb-studio command: loads dist/cli/main.js with a V8 code cache
//   dist/cli/main.js          crdb-studio CLI (node): lint; loads dist/cluster/cluster.js for the rest
//   dist/cluster/cluster.js   the simulated cluster, once: the process the extension starts, and the
//                             CLI's demo, lesson, node and workload commands
//   dist/pglite/              the SQL engine's WebAssembly and file-system bundle
//   dist/webview/*.js         browser code for webviews
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  // Third-party license comments go to a .LEGAL.txt beside each bundle, which ships in the .vsix.
  legalComments: 'external',
};

const node = {
  ...common,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  define: { SERVER_VERSION: JSON.stringify(version), CLI_VERSION: JSON.stringify(version) },
};

/**
 * The CLI's `require('./clusterBundle')` (cli/src/cli.ts) stays a require, of the cluster bundle
 * beside the CLI's folder, so the SQL engine is bundled once and lint never loads it.
 */
const clusterBundleOnUse = {
  name: 'cluster-bundle-on-use',
  setup(build) {
    build.onResolve({ filter: /^\.\/clusterBundle$/ }, () => ({ path: '../cluster/cluster.js', external: true }));
  },
};

const builds = [
  { ...node, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['server/src/server.ts'], outfile: 'dist/server/server.js' },
  {
    // Started by the extension as the cluster's process (cluster/src/api/client.ts), loaded by the CLI.
    ...node,
    entryPoints: ['cli/src/clusterBundle.ts'],
    outfile: 'dist/cluster/cluster.js',
    // PGlite's ES module build asks import.meta.url for its own location.
    define: { ...node.define, 'import.meta.url': '__importMetaUrl' },
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  },
  {
    // The CLI; the crdb-studio command (below) loads it with a V8 code cache.
    ...node,
    entryPoints: ['cli/src/cli.ts'],
    outfile: 'dist/cli/main.js',
    plugins: [clusterBundleOnUse],
  },
  // The crdb-studio command: a small launcher (cli/src/bin.ts, cli/src/codeCache.ts).
  { ...node, entryPoints: ['cli/src/bin.ts'], outfile: 'dist/cli/cli.js', banner: { js: '#!/usr/bin/env node' } },
  {
    ...common,
    platform: 'browser',
    target: 'es2022',
    format: 'esm',
    entryPoints: {
      welcome: 'webview/src/welcome/main.ts',
      results: 'webview/src/results/main.ts',
      topology: 'webview/src/topology/main.ts',
    },
    outdir: 'dist/webview',
  },
];

/**
 * PGlite's WebAssembly and file-system bundle: bundled code cannot find them beside PGlite's own
 * module, so they go to dist/pglite/ (cluster/src/engine/engine.ts hands them over).
 */
function copyEngineAssets() {
  const from = new URL('./node_modules/@electric-sql/pglite/dist/', import.meta.url);
  mkdirSync('dist/pglite', { recursive: true });
  for (const file of ['pglite.wasm', 'pglite.data', 'initdb.wasm']) cpSync(new URL(file, from), `dist/pglite/${file}`);
  cpSync(new URL('../LICENSE', from), 'dist/pglite/LICENSE');
}

/**
 * The CLI's folder says its files are CommonJS: without it, Node reads (and parses) the whole
 * extension manifest, package.json at the root, to learn that before it runs `crdb-studio` —
 * a millisecond or two of a short lint's start.
 */
function writeCliPackageScope() {
  mkdirSync('dist/cli', { recursive: true });
  writeFileSync('dist/cli/package.json', `${JSON.stringify({ type: 'commonjs' })}\n`);
}

if (watch) {
  // The lines VS Code's $esbuild-watch problem matcher looks for.
  const announce = {
    name: 'announce',
    setup(build) {
      build.onStart(() => console.log('[watch] build started'));
      build.onEnd(() => console.log('[watch] build finished'));
    },
  };
  const contexts = await Promise.all(
    builds.map((options) => esbuild.context({ ...options, plugins: [...(options.plugins ?? []), announce] })),
  );
  await Promise.all(contexts.map((context) => context.watch()));
  writeCliPackageScope();
  console.log('[esbuild] watching for changes');
} else {
  // A production build must not ship stale files (source maps) from an earlier dev build.
  if (production) rmSync('dist', { recursive: true, force: true });
  const started = Date.now();
  const results = await Promise.all(builds.map((options) => esbuild.build({ ...options, metafile: true })));
  copyEngineAssets();
  writeCliPackageScope();
  // Which sources went into which bundle (test/unit/package.test.ts checks the engine is in one).
  const outputs = Object.assign({}, ...results.map((result) => result.metafile.outputs));
  writeFileSync('dist/meta.json', `${JSON.stringify({ outputs })}\n`);
  console.log(`[esbuild] ${production ? 'production ' : ''}bundles written to dist/ in ${Date.now() - started} ms`);
}
