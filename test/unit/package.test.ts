// What the .vsix carries: the files vsce would package (read through its API, with .vscodeignore)
// are the ones the extension runs, and the SQL engine is bundled once, in the cluster bundle. dist/
// is built by the mocha global setup (test/support/bundles.ts), a dev or a production build.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listFiles, PackageManager } from '@vscode/vsce';
import { ClusterProcess } from '../../cluster/src/api/client';
import { repoRoot } from '../support/tools';

const CLUSTER_BUNDLE = 'dist/cluster/cluster.js';

/** dist/meta.json, written by esbuild.mjs: each bundle's source files and the modules it leaves external. */
type BuildMeta = { outputs: Record<string, { inputs: Record<string, unknown>; imports: { path: string; external?: boolean }[] }> };

/** The files `vsce package --no-dependencies` would put in the .vsix for the extension at `root`. */
async function packagedFiles(root: string): Promise<string[]> {
  return (await listFiles({ cwd: root, packageManager: PackageManager.None })).map((file) => file.split(path.sep).join('/'));
}

describe('package: what the .vsix carries', function () {
  this.timeout(120_000);
  let packaged: string[];
  let meta: BuildMeta;

  before(async () => {
    packaged = await packagedFiles(repoRoot);
    meta = JSON.parse(readFileSync(path.join(repoRoot, 'dist', 'meta.json'), 'utf8')) as BuildMeta;
  });

  /**
   * The bundles (dist/…/*.js) built from at least one source under `prefix` (esbuild names sources
   * relative to the repository; node_modules reached through a link may sit further up).
   */
  function bundlesWith(prefix: string): string[] {
    const under = (input: string): boolean => input.startsWith(prefix) || input.includes(`/${prefix}`);
    return Object.entries(meta.outputs)
      .filter(([output, { inputs }]) => output.endsWith('.js') && Object.keys(inputs).some(under))
      .map(([output]) => output)
      .sort();
  }

  it('ships the extension, the language server, the cluster bundle, the engine assets and the webviews', () => {
    for (const file of [
      'package.json',
      'dist/client/extension.js',
      'dist/server/server.js',
      CLUSTER_BUNDLE,
      'dist/pglite/pglite.wasm',
      'dist/pglite/pglite.data',
      'dist/pglite/initdb.wasm',
      'dist/webview/welcome.js',
      'dist/webview/results.js',
      'dist/webview/topology.js',
    ])
      assert.ok(packaged.includes(file), `${file} is packaged (packaged: ${packaged.join(', ')})`);
  });

  it('leaves out the CLI (the extension never loads it), source maps and build metadata', () => {
    // The build wrote dist/cli/: the rules, not its absence, keep it out.
    assert.ok(existsSync(path.join(repoRoot, 'dist', 'cli', 'cli.js')));
    assert.deepEqual(
      packaged.filter((file) => file.startsWith('dist/cli/') || file.endsWith('.map') || file === 'dist/meta.json'),
      [],
    );
  });

  it('the rules leave out everything else a dev or production build writes', async () => {
    // A production build writes no source map, so the rules are also tried on a tree that has them.
    const root = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-package-'));
    try {
      copyFileSync(path.join(repoRoot, 'package.json'), path.join(root, 'package.json'));
      copyFileSync(path.join(repoRoot, '.vscodeignore'), path.join(root, '.vscodeignore'));
      const shipped = ['dist/client/extension.js', CLUSTER_BUNDLE, 'dist/cluster/cluster.js.LEGAL.txt', 'dist/webview/results.js'];
      const left = [
        'dist/client/extension.js.map',
        CLUSTER_BUNDLE + '.map',
        'dist/webview/results.js.map',
        'dist/cli/cli.js',
        'dist/cli/cli.js.map',
        'dist/meta.json',
        'dist/crdb-studio.vsix',
      ];
      for (const file of [...shipped, ...left]) {
        mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        writeFileSync(path.join(root, file), '');
      }
      assert.deepEqual((await packagedFiles(root)).sort(), ['package.json', ...shipped].sort());
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('bundles PGlite, pg-gateway and the simulator once, in the cluster bundle', () => {
    assert.deepEqual(bundlesWith('node_modules/@electric-sql/pglite/'), [CLUSTER_BUNDLE]);
    assert.deepEqual(bundlesWith('node_modules/pg-gateway/'), [CLUSTER_BUNDLE]);
    assert.deepEqual(bundlesWith('cluster/src/simulator.ts'), [CLUSTER_BUNDLE]);
  });

  it('the CLI requires the cluster bundle beside its folder instead of carrying it', () => {
    const cli = meta.outputs['dist/cli/main.js'];
    assert.ok(cli);
    assert.ok(
      cli.imports.some((i) => i.external === true && i.path === '../cluster/cluster.js'),
      JSON.stringify(cli.imports.filter((i) => i.external)),
    );
  });

  it("the CLI's folder says its bundles are CommonJS, so Node does not read the root manifest to start it", () => {
    const scope = JSON.parse(readFileSync(path.join(repoRoot, 'dist', 'cli', 'package.json'), 'utf8')) as { type?: string };
    assert.deepEqual(scope, { type: 'commonjs' });
  });

  it('loading the cluster bundle gives the CLI its commands and starts no cluster', async () => {
    // Were the cluster started, its wire server would keep this process alive and the test would time out.
    const script = `process.stdout.write(Object.keys(require(${JSON.stringify(path.join(repoRoot, CLUSTER_BUNDLE))})).sort().join(' '))`;
    const child = execFile(process.execPath, ['-e', script], { cwd: repoRoot });
    try {
      const stdout = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        child.once('error', reject);
        child.once('exit', (code) => {
          if (code === 0) resolve(text);
          else reject(new Error(`exit ${code ?? 'none'}`));
        });
      });
      for (const command of ['demo', 'lesson', 'node', 'workload']) assert.ok(stdout.split(' ').includes(command), stdout);
    } finally {
      child.kill();
    }
  });

  it('the cluster bundle is the process the extension starts', async () => {
    const cluster = await ClusterProcess.start(path.join(repoRoot, CLUSTER_BUNDLE), { nodes: 1, global: false, port: 0 });
    try {
      assert.match(cluster.ready.url, /^postgresql:\/\/root@127\.0\.0\.1:\d+\/defaultdb/);
      assert.equal((await cluster.snapshot()).nodes.length, 1);
    } finally {
      await cluster.stop();
    }
    assert.equal(cluster.running, false);
  });
});
