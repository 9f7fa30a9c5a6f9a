// An edit makes again only the statements it reaches (relintSparsely): the edited statements and
// those that use what they change. Whatever the edit, the findings and the model must be exactly
// those of a fresh lint, map order included. The schemas here avoid what turns the sparse path
// off (BEGIN, ALTER DATABASE, unqualified index names), so it is the path under test.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { documentStatements, StatementCache } from '../../server/src/analysis/statements';
import { defaultConfig } from '../../server/src/lint/config';
import { buildModel, LintCache, lintFile, type LintFinding, type SourceFile } from '../../server/src/lint/engine';
import type { SchemaModel } from '../../server/src/schema/model';

/** The file as the workspace gives it: with how its statements changed since the last list, when the cache knows. */
function sourceOf(text: string, cache: StatementCache, told: boolean): SourceFile {
  const file: SourceFile = { uri: 'file:///s.sql', text, statements: documentStatements(text, cache), generation: cache.generation };
  if (told && cache.change?.to === cache.generation) file.change = cache.change;
  return file;
}

const summary = (findings: LintFinding[]): string[] => findings.map((f) => `${f.start}-${f.end} ${f.severity} ${f.rule} ${f.message}`);

/** What rules and features can see of a model, the order of its maps included. */
function snapshot(model: SchemaModel): unknown {
  const tables = [...model.tables.entries()].map(([key, t]) => ({
    key,
    columns: [...t.columns.values()].map((c) => `${c.name} ${c.type ?? ''} ${c.default?.text ?? ''}`),
    primaryKey: t.primaryKey,
    indexes: t.indexes.map((i) => `${i.kind} ${i.name ?? ''} (${i.columns.join(',')})`),
    foreignKeys: t.foreignKeys.map((fk) => `${fk.name ?? ''} (${fk.columns.join(',')})`),
    locality: t.locality,
    version: model.version(`t:${key}`),
    rowsWritten: model.rowsWritten(t)?.offset,
  }));
  return {
    current: model.currentDatabase,
    databases: [...model.databases.keys()],
    tables,
    zones: [...model.zones.entries()].map(([key, settings]) => [key, [...settings]]),
  };
}

/** A schema of `count` tables: keys, foreign keys, indexes, renames, writes, zones, a second database. */
function schema(count: number): string {
  const lines: string[] = ['CREATE DATABASE other;'];
  for (let t = 0; t < count; t++) {
    const reference = t > 0 ? `, parent UUID REFERENCES t_${t - 1} (id)` : '';
    lines.push(`CREATE TABLE t_${t} (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), n INT8, at TIMESTAMPTZ DEFAULT now()${reference});`);
    lines.push(`CREATE INDEX t_${t}_by_at ON t_${t} (at);`);
    if (t % 3 === 0) lines.push(`ALTER TABLE t_${t} ADD COLUMN note STRING NOT NULL;`);
    if (t % 4 === 1) lines.push(`INSERT INTO t_${t} (n) VALUES (1);`);
    if (t % 5 === 2) lines.push(`ALTER TABLE t_${t} RENAME TO t_${t}_old;`, `CREATE TABLE t_${t} (id UUID PRIMARY KEY);`);
    if (t % 6 === 3) lines.push(`ALTER TABLE t_${t} CONFIGURE ZONE USING num_replicas = 5;`);
    if (t % 7 === 4) lines.push(`CREATE INDEX t_${t}_by_n ON t_${t} (n);`, `DROP INDEX t_${t}@t_${t}_by_n;`);
    if (t === 5) lines.push('CREATE TABLE other.public.far (id SERIAL PRIMARY KEY);');
    // Shape findings: an index that another makes redundant, judged at the end of the file.
    if (t % 4 === 2) lines.push(`CREATE INDEX t_${t}_by_at_n ON t_${t} (at, n);`);
  }
  return `${lines.join('\n')}\n`;
}

const EDITS: [RegExp, string][] = [
  [/CREATE TABLE t_(\d+) \(/, 'CREATE TABLE t_$1x ('],
  [/CREATE TABLE t_(\d+)x \(/, 'CREATE TABLE t_$1 ('],
  [/PRIMARY KEY DEFAULT gen_random_uuid\(\)/, 'PRIMARY KEY'],
  [/REFERENCES t_(\d+) \(id\)/, 'REFERENCES t_$1_old (id)'],
  [/DROP INDEX [^;]*;/, ''],
  [/RENAME TO (\w+);/, 'RENAME TO $1_v2;'],
  [/INSERT INTO (\w+)/, 'UPSERT INTO $1'],
  [/CREATE INDEX (\w+) ON (\w+) \(at\)/, 'CREATE INDEX $1 ON $2 (n)'],
  [/num_replicas = 5/, 'num_replicas = 3'],
  [/CREATE DATABASE other;/, ''],
  [/id UUID PRIMARY KEY DEFAULT gen_random_uuid\(\)/, 'id UUID'],
  [/ON (\w+) \(at, n\)/, 'ON $1 (n, at)'],
  [/ON (\w+) \(n, at\)/, 'ON $1 (at, n)'],
  [/other\.public\.far/, 'far'],
  [/;\n/, ';\nUSE other;\n'],
  [/USE other;\n/, ''],
];

describe('lint: an edit makes again only what it reaches', () => {
  it('gives a fresh lint’s findings and model after random edits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 14 }),
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('regex' as const), which: fc.integer({ min: 0, max: EDITS.length - 1 }), nth: fc.nat(5) }),
            fc.record({
              kind: fc.constant('char' as const),
              at: fc.double({ min: 0, max: 1, noNaN: true }),
              text: fc.constantFrom('x', ' ', ';', '(', ')', "'", '\n', ''),
            }),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        fc.boolean(),
        (count, edits, told) => {
          let text = schema(count);
          const statements = new StatementCache();
          const cache = new LintCache();
          const lint = (source: string): void => {
            const file = sourceOf(source, statements, told);
            const incremental = summary(lintFile(file, [], defaultConfig(), undefined, cache));
            const fresh = summary(lintFile({ uri: 'file:///s.sql', text: source, statements: documentStatements(source) }));
            assert.deepEqual(incremental, fresh);
            const session = cache.session;
            assert.ok(session);
            assert.deepEqual(snapshot(session.model), snapshot(buildModel([file])));
          };
          lint(text);
          for (const edit of edits) {
            if (edit.kind === 'regex') {
              const [pattern, replacement] = EDITS[edit.which] ?? [/$^/, ''];
              // The nth match, so edits land all over the file.
              let seen = 0;
              const global = new RegExp(pattern.source, 'g');
              text = text.replace(global, (match: string) => (seen++ === edit.nth ? match.replace(pattern, replacement) : match));
            } else {
              const at = Math.floor(text.length * edit.at);
              text = text.slice(0, at) + edit.text + text.slice(edit.text === '' ? at + 1 : at);
            }
            lint(text);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('visits few statements for a one-character edit in a table many statements use', () => {
    const text = schema(60);
    const statements = new StatementCache();
    const cache = new LintCache();
    const lint = (source: string): void => {
      lintFile(
        { uri: 'file:///s.sql', text: source, statements: documentStatements(source, statements) },
        [],
        defaultConfig(),
        undefined,
        cache,
      );
    };
    lint(text);
    const at = text.indexOf('n INT8', text.indexOf('CREATE TABLE t_30 '));
    lint(`${text.slice(0, at)}x${text.slice(at)}`);
    const { applied, replayed, checked } = cache.stats;
    // t_30's CREATE TABLE and index, and t_31's table (its foreign key reads t_30) with its index.
    assert.ok(applied + replayed <= 6, `applied ${applied}, replayed ${replayed}`);
    assert.ok(checked <= 6, `checked ${checked}`);
  });
});
