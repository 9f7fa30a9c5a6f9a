// The import matrix (layers.mjs) holds: ESLint's configuration refuses every import outside it,
// the tree as it is obeys it, and the README's Layout table states the same matrix.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ts from 'typescript';
import { repoRoot } from '../support/tools';

type Layers = Record<string, string[]>;

interface LayersModule {
  layers: Layers;
}

interface LintMessage {
  ruleId: string | null;
  message: string;
}

interface EslintModule {
  ESLint: new (options: { cwd: string }) => { calculateConfigForFile(file: string): Promise<{ rules?: Record<string, unknown> }> };
  Linter: new (options: { configType: 'flat' }) => {
    verify(code: string, config: unknown, filename: string): LintMessage[];
  };
}

// ES modules, loaded from this CommonJS suite (TypeScript keeps import() under module Node16).
const importModule = (specifier: string): Promise<unknown> => import(specifier);

async function loadLayers(): Promise<Layers> {
  const module = (await importModule(pathToFileURL(path.join(repoRoot, 'layers.mjs')).href)) as LayersModule;
  return module.layers;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (entry.name.endsWith('.ts')) out.push(full);
  }
  return out;
}

/** The top-level package a path lies in, for paths of the form <package>/src/…. */
function packageOf(file: string): string | undefined {
  const parts = path.relative(repoRoot, file).split(path.sep);
  return parts[1] === 'src' ? parts[0] : undefined;
}

describe('layers: the import matrix', function () {
  // ESLint loads the TypeScript-aware configuration once: seconds on a loaded machine.
  this.timeout(120_000);
  let layers: Layers;
  let eslint: EslintModule;

  before(async () => {
    layers = await loadLayers();
    eslint = (await importModule('eslint')) as EslintModule;
  });

  it('ESLint refuses every import outside the matrix and allows every one inside it', async () => {
    const engine = new eslint.ESLint({ cwd: repoRoot });
    const linter = new eslint.Linter({ configType: 'flat' });
    const names = Object.keys(layers);
    let refused = 0;
    for (const from of names) {
      const file = path.join(repoRoot, from, 'src', 'probe.ts');
      const config = await engine.calculateConfigForFile(file);
      const rule = config.rules?.['no-restricted-imports'];
      assert.ok(rule, `${from}/ has an import restriction`);
      const lintImport = (specifier: string): LintMessage[] =>
        linter.verify(`import '${specifier}';\n`, [{ files: ['**/*.ts'], rules: { 'no-restricted-imports': rule } }], file);
      for (const to of names) {
        const allowed = to === from || layers[from]?.includes(to) === true;
        for (const specifier of [`../../${to}/src/anything`, `../../${to}/src`, `../../../${to}/src/deep/module`]) {
          const messages = lintImport(specifier);
          assert.equal(
            messages.length === 0,
            allowed,
            `${from} → ${specifier}: ${allowed ? 'allowed' : 'refused'} (${messages.map((m) => m.message).join('; ')})`,
          );
          if (!allowed) refused++;
        }
      }
      const vscode = lintImport('vscode');
      assert.equal(vscode.length === 0, from === 'client', `${from} importing vscode`);
    }
    assert.ok(refused > 0, 'some imports are forbidden');
  });

  it('the tree obeys it: no file imports a package its own may not', () => {
    const violations: string[] = [];
    for (const layer of Object.keys(layers)) {
      const root = path.join(repoRoot, layer, 'src');
      for (const file of sourceFiles(root)) {
        const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
        for (const { fileName } of importedFiles) {
          if (fileName === 'vscode' && layer !== 'client') violations.push(`${path.relative(repoRoot, file)} imports vscode`);
          if (!fileName.startsWith('.')) continue;
          const target = packageOf(path.resolve(path.dirname(file), fileName));
          if (target === undefined || target === layer) continue;
          if (!layers[layer]?.includes(target)) violations.push(`${path.relative(repoRoot, file)} imports ${fileName}`);
        }
      }
    }
    assert.deepEqual(violations, []);
  });

  it('sql/ and protocol/ are leaves', () => {
    assert.deepEqual(layers.sql, []);
    assert.deepEqual(layers.protocol, []);
  });

  it("the README's Layout table states the same matrix", () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const stated: Layers = {};
    for (const line of readme.split('\n')) {
      const cells = line.split('|').map((cell) => cell.trim());
      const name = /^`(\w+)\/`$/.exec(cells[1] ?? '')?.[1];
      if (name === undefined || cells.length < 5) continue;
      const imports = cells[3] ?? '';
      stated[name] = imports === 'nothing' ? [] : imports.split(',').map((item) => item.trim().replace(/`/g, ''));
    }
    const sorted = (value: Layers): Record<string, string[]> =>
      Object.fromEntries(Object.entries(value).map(([key, list]) => [key, [...list].sort()]));
    assert.deepEqual(sorted(stated), sorted(layers));
  });
});
