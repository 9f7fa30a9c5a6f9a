// Incremental analysis must never change the answer: after any edit, linting with the statement
// and finding caches gives exactly the findings of a fresh lint.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { documentStatements, documentStatementsOnce, StatementCache } from '../../server/src/analysis/statements';
import { defaultConfig } from '../../server/src/lint/config';
import { buildModel, LintCache, lintFile, type LintFinding } from '../../server/src/lint/engine';
import type { SchemaModel } from '../../server/src/schema/model';
import { repoRoot } from '../support/tools';

function summary(findings: LintFinding[]): string[] {
  return findings.map((f) => `${f.start}-${f.end} ${f.severity} ${f.rule} ${f.message}`);
}

/** Everything the rules can see of a model, as plain data. */
function snapshot(model: SchemaModel): unknown {
  const databases = [...model.databases.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, d]) => ({
      key,
      name: d.name,
      primary: d.primaryRegion,
      secondary: d.secondaryRegion,
      regions: [...d.regions].sort(),
      survival: d.survival,
      version: model.version(`db:${key}`),
    }));
  const tables = [...model.tables.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, t]) => ({
      key,
      name: t.name,
      columns: [...t.columns.keys()],
      primaryKey: t.primaryKey,
      indexes: t.indexes.map((i) => `${i.kind} ${i.name ?? ''} (${i.columns.join(',')})${i.hashSharded ? ' hash' : ''}`),
      locality: t.locality,
      region: t.localityRegion,
      version: model.version(`t:${key}`),
    }));
  const zones = [...model.zones.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, settings]) => ({ key, settings: [...settings], version: model.version(`z:${key}`) }));
  return { current: model.currentDatabase, currentVersion: model.version('current'), databases, tables, zones };
}

function fresh(text: string): string[] {
  return summary(lintFile({ uri: 'file:///s.sql', text, statements: documentStatements(text) }));
}

const corpus = [
  ...readdirSync(path.join(repoRoot, 'test', 'fixtures', 'rules')).map((f) => path.join(repoRoot, 'test', 'fixtures', 'rules', f)),
  ...readdirSync(path.join(repoRoot, 'examples', 'schemas')).map((f) => path.join(repoRoot, 'examples', 'schemas', f)),
].map((file) => readFileSync(file, 'utf8'));

// Edits that change what later statements see: regions, localities, keys, databases, names.
const MEANINGFUL: [RegExp, string][] = [
  [/PRIMARY REGION "us-east1"/, ''],
  [/REGIONS "us-west1"/, 'REGIONS "us-west1", "europe-west1"'],
  [/LOCALITY REGIONAL BY ROW/, ''],
  [/LOCALITY GLOBAL/, 'LOCALITY REGIONAL BY ROW'],
  [/PRIMARY KEY/, 'UNIQUE'],
  [/USE \w+;/, ''],
  [/CREATE TABLE (\w+)/, 'CREATE TABLE $1_renamed'],
  [/SERIAL/, 'UUID'],
  [/num_replicas = \d/, 'num_replicas = 3'],
  [/;/, ''],
  [/\(/, ''],
];

describe('incremental lint', () => {
  it('finds the same with a one-off whole-document parse (the CLI) as statement by statement', () => {
    for (const text of corpus) {
      const once = summary(lintFile({ uri: 'file:///s.sql', text, statements: documentStatementsOnce(text) }));
      assert.deepEqual(once, fresh(text));
    }
  });

  it('gives the same findings as a fresh lint after random edits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: corpus.length - 1 }),
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('regex' as const), which: fc.integer({ min: 0, max: MEANINGFUL.length - 1 }) }),
            fc.record({
              kind: fc.constant('char' as const),
              at: fc.double({ min: 0, max: 1, noNaN: true }),
              text: fc.constantFrom('x', ' ', ';', '(', ')', "'", '\n', ''),
            }),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        (start, edits) => {
          let text = corpus[start] ?? '';
          const statements = new StatementCache();
          const findings = new LintCache();
          const lint = (source: string): string[] => {
            const file = { uri: 'file:///s.sql', text: source, statements: documentStatements(source, statements) };
            const result = summary(lintFile(file, [], defaultConfig(), undefined, findings));
            // The model the incremental lint rolled back and forward equals one built afresh.
            const session = findings.session;
            assert.ok(session);
            assert.deepEqual(snapshot(session.model), snapshot(buildModel([file])));
            return result;
          };
          assert.deepEqual(lint(text), fresh(text));
          for (const edit of edits) {
            if (edit.kind === 'regex') {
              const [pattern, replacement] = MEANINGFUL[edit.which] ?? [/$^/, ''];
              text = text.replace(pattern, replacement);
            } else {
              const at = Math.floor(text.length * edit.at);
              text = text.slice(0, at) + edit.text + text.slice(edit.text === '' ? at + 1 : at);
            }
            assert.deepEqual(lint(text), fresh(text));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
