// Mocha's global setup (.mocharc.json requires this file): the tests that spawn the CLI, the
// language server or the webview bundles run what esbuild.mjs writes to dist/, so a dev build is
// made here when dist/ is missing or older than what it was built from. The unit tests then pass
// on a fresh clone, whatever ran before them (npm test's package stage leaves a newer production
// build, which is kept).
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './tools';

/** The build's own record (esbuild.mjs writes it last): every bundle and the files that went into it. */
const META = 'dist/meta.json';

/** Not in the record, read by the build all the same. */
const ALSO_READ = ['esbuild.mjs', 'package.json', 'package-lock.json'];

/** Copied, not bundled, so not in the record. */
const ALSO_WRITTEN = ['dist/pglite/pglite.wasm', 'dist/pglite/pglite.data', 'dist/pglite/initdb.wasm'];

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

function mtime(root: string, file: string): number | undefined {
  return statSync(path.resolve(root, file), { throwIfNoEntry: false })?.mtimeMs;
}

/** Why dist/ needs building, or undefined when it is up to date. */
export function staleBundles(root = repoRoot): string | undefined {
  const built = mtime(root, META);
  if (built === undefined) return `${META} missing`;
  const meta = JSON.parse(readFileSync(path.join(root, META), 'utf8')) as Metafile;
  const missing = [...Object.keys(meta.outputs), ...ALSO_WRITTEN].filter((file) => mtime(root, file) === undefined);
  if (missing.length > 0) return `${missing.join(', ')} missing`;
  const inputs = new Set([...ALSO_READ, ...Object.values(meta.outputs).flatMap((output) => Object.keys(output.inputs))]);
  // A deleted input shows as a change to the file that imported it.
  const changed = [...inputs].filter((file) => (mtime(root, file) ?? 0) > built);
  return changed.length > 0
    ? `${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ', …' : ''} changed since the last build`
    : undefined;
}

export function mochaGlobalSetup(): void {
  const reason = staleBundles();
  if (reason === undefined) return;
  process.stdout.write(`building dist/ for the tests (${reason}): node esbuild.mjs\n`);
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
}
