import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { repoRoot } from '../../support/tools';

// cluster/src's own layers: the API and the simulator sit above the SQL layer, which sits above
// the placement model. Read from the import graph (type-only imports count: they are how cycles
// crept in before).

type Graph = Map<string, string[]>;

const clusterSrc = path.join(repoRoot, 'cluster', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

/** Each file's imports of other files under `root` (paths relative to it). */
function importGraph(root: string): Graph {
  const graph: Graph = new Map();
  for (const file of sourceFiles(root)) {
    const imports: string[] = [];
    for (const imported of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!imported.fileName.startsWith('.')) continue;
      const base = path.resolve(path.dirname(file), imported.fileName);
      const target = [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => candidate.startsWith(root) && isFile(candidate));
      if (target) imports.push(path.relative(root, target));
    }
    graph.set(path.relative(root, file), imports);
  }
  return graph;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Every import cycle, each as the files around it (strongly connected components of two or more, or a self-import). */
function cycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (;;) {
      const member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
      if (member === node) break;
    }
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('cluster/src layering', () => {
  const graph = importGraph(clusterSrc);

  it('reads the import graph (type-only imports included)', () => {
    assert.ok(graph.size > 30, `only ${graph.size} files under cluster/src`);
    assert.ok(graph.get('simulator.ts')?.includes(path.join('sql', 'session.ts')));
    assert.ok(graph.get(path.join('sql', 'session.ts'))?.includes(path.join('sql', 'context.ts')));
  });

  it('finds cycles, direct and through several files', () => {
    const sample: Graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['d']],
      ['e', ['a']],
    ]);
    assert.deepEqual(
      cycles(sample).sort((x, y) => x.length - y.length),
      [['d'], ['a', 'b', 'c']],
    );
    assert.deepEqual(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
      [],
    );
  });

  it('the SQL layer and the model import neither the simulator nor the API', () => {
    const offending: string[] = [];
    for (const [file, imports] of graph) {
      if (!file.startsWith(`sql${path.sep}`) && !file.startsWith(`model${path.sep}`)) continue;
      for (const imported of imports)
        if (imported === 'simulator.ts' || imported.startsWith(`api${path.sep}`)) offending.push(`${file} → ${imported}`);
    }
    assert.deepEqual(offending, []);
  });

  it('the model imports nothing of the SQL layer', () => {
    const offending = [...graph]
      .filter(([file]) => file.startsWith(`model${path.sep}`))
      .flatMap(([file, imports]) => imports.filter((i) => i.startsWith(`sql${path.sep}`)).map((i) => `${file} → ${i}`));
    assert.deepEqual(offending, []);
  });

  it('no import cycle among cluster/src files', () => {
    assert.deepEqual(cycles(graph), []);
  });
});
