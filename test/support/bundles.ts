// Mocha's global setup (.mocharc.json requires this file): the tests that spawn the CLI, the
// language server or the webview bundles run what esbuild.mjs writes to dist/, so a dev build is
// made here when dist/ is missing or older than the sources. The unit tests then pass on a fresh
// clone, whatever ran before them (npm test's package stage leaves a newer production build, kept).
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './tools';

/** What esbuild.mjs writes, one file per bundle. */
const OUTPUTS = [
  'dist/client/extension.js',
  'dist/server/server.js',
  'dist/cluster/cluster.js',
  'dist/cli/cli.js',
  'dist/webview/welcome.js',
  'dist/webview/results.js',
  'dist/webview/topology.js',
  'dist/pglite/pglite.wasm',
  'dist/meta.json',
];

/** What the bundles are built from. */
const SOURCES = [
  'esbuild.mjs',
  'package.json',
  'package-lock.json',
  'sql/src',
  'protocol/src',
  'client/src',
  'server/src',
  'cluster/src',
  'runner/src',
  'cli/src',
  'webview/src',
];

function mtime(file: string): number | undefined {
  return statSync(file, { throwIfNoEntry: false })?.mtimeMs;
}

function newest(entry: string): number {
  const stat = statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(entry).map((name) => newest(path.join(entry, name))));
}

/** Why dist/ needs building, or undefined when it is up to date. */
export function staleBundles(root = repoRoot): string | undefined {
  const built = OUTPUTS.map((file) => mtime(path.join(root, file)));
  const missing = OUTPUTS.filter((_, i) => built[i] === undefined);
  if (missing.length > 0) return `${missing.join(', ')} missing`;
  const oldest = Math.min(...built.map((t) => t ?? 0));
  const changed = SOURCES.filter((source) => newest(path.join(root, source)) > oldest);
  return changed.length > 0 ? `${changed.join(', ')} changed since the last build` : undefined;
}

export function mochaGlobalSetup(): void {
  const reason = staleBundles();
  if (reason === undefined) return;
  process.stdout.write(`building dist/ for the tests (${reason}): node esbuild.mjs\n`);
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
}
