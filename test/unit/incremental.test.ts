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
      indexes: t.indexes.map(
        (i) => `${i.kind} ${i.name ?? ''} (${i.columns.join(',')})${i.hashSharded ? ' hash' : ''} storing (${(i.storing ?? []).join(',')})`,
      ),
      primary: t.primaryIndex?.name,
      foreignKeys: t.foreignKeys.map((fk) => `${fk.name ?? ''} (${fk.columns.join(',')})`),
      defaults: [...t.columns.values()].map((c) => `${c.name} ${c.type ?? ''} ${c.default?.text ?? ''}`),
      locality: t.locality,
      region: t.localityRegion,
      version: model.version(`t:${key}`),
      // Rules excuse a table the file created and left empty: where rows were written since.
      rowsWritten: model.rowsWritten(t)?.offset,
    }));
  const zones = [...model.zones.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, settings]) => ({ key, settings: [...settings], version: model.version(`z:${key}`) }));
  // The order of the maps shows too (completion lists, findTable across databases, messages).
  const order = { databases: [...model.databases.keys()], tables: [...model.tables.keys()], zones: [...model.zones.keys()] };
  return { current: model.currentDatabase, currentVersion: model.version('current'), databases, tables, zones, order };
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
  // Migrations: what a later statement of the file undoes or settles.
  [/DROP INDEX [^;]*;/, ''],
  [/CREATE INDEX (\w+)/, 'CREATE INDEX $1_v2'],
  [/SET LOCALITY REGIONAL BY ROW/, 'SET LOCALITY GLOBAL'],
  [/RENAME TO (\w+)/, 'RENAME TO $1_old'],
  [/DEFAULT gen_random_uuid\(\)/, ''],
  [/UNIQUE/, ''],
  [/STORING \(\w+\)/, ''],
  [/USING HASH/, ''],
  [/DROP CONSTRAINT \w+;/, 'DROP CONSTRAINT x;'],
  // Rows written to a table the file created (a NOT NULL column can no longer be added freely).
  [/ALTER TABLE (\w+) ADD COLUMN/, 'INSERT INTO $1 VALUES (1);\nALTER TABLE $1 ADD COLUMN'],
  [/INSERT INTO \w+[^;]*;/, ''],
  [/ALTER TABLE (\w+) RENAME TO/, 'COPY $1 FROM STDIN;\nALTER TABLE $1 RENAME TO'],
];

/** A migration whose shape findings depend on statements after the one they are reported on. */
const MIGRATION = [
  'CREATE DATABASE movr PRIMARY REGION "us-east1" REGIONS "us-west1";',
  'USE movr;',
  'CREATE TABLE users (id UUID PRIMARY KEY, email STRING UNIQUE, region crdb_internal_region NOT NULL, nid INT8);',
  'CREATE INDEX users_nid_idx ON users (nid);',
  'CREATE INDEX users_nid_email_idx ON users (nid, email);',
  'CREATE INDEX users_id_nid_idx ON users (id, nid);',
  'DROP INDEX users_nid_idx;',
  'ALTER TABLE users SET LOCALITY REGIONAL BY ROW AS region;',
  'ALTER INDEX users@users_nid_email_idx RENAME TO users_deleteme;',
  'CREATE INDEX users_nid_email_idx ON users (nid, email);',
  'DROP INDEX users@users_deleteme;',
  'CREATE TABLE rides (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), rider UUID REFERENCES users (id)) LOCALITY REGIONAL BY ROW;',
  'ALTER TABLE rides DROP CONSTRAINT rides_pkey;',
  'ALTER TABLE rides ADD CONSTRAINT rides_pkey PRIMARY KEY (id);',
  '',
].join('\n');

describe('incremental lint', () => {
  it('judges shapes after an edit as a fresh lint does (edit a statement, undo it, edit one a finding depends on)', () => {
    const statements = new StatementCache();
    const findings = new LintCache();
    const lint = (text: string): string[] =>
      summary(
        lintFile(
          { uri: 'file:///m.sql', text, statements: documentStatements(text, statements) },
          [],
          defaultConfig(),
          undefined,
          findings,
        ),
      );
    const edits = [
      MIGRATION,
      // The drop goes: the old index is redundant with the wider one again.
      MIGRATION.replace('DROP INDEX users_nid_idx;', ''),
      MIGRATION,
      // The locality goes: missing-locality and the region column hint come back, the UUID check goes.
      MIGRATION.replace('ALTER TABLE users SET LOCALITY REGIONAL BY ROW AS region;', ''),
      // The key gets its default: no uniqueness check in every region.
      MIGRATION.replace('id UUID PRIMARY KEY, email', 'id UUID PRIMARY KEY DEFAULT gen_random_uuid(), email'),
      // The key is not added back.
      MIGRATION.replace('ALTER TABLE rides ADD CONSTRAINT rides_pkey PRIMARY KEY (id);', ''),
      MIGRATION,
    ];
    const seen = new Set<string>();
    for (const text of edits) {
      const incremental = lint(text);
      assert.deepEqual(incremental, fresh(text));
      for (const finding of incremental) seen.add(finding.split(' ')[2] ?? '');
    }
    for (const rule of [
      'redundant-index',
      'index-extends-unique-key',
      'missing-locality',
      'region-column-not-regional-by-row',
      'regional-by-row-uuid-uniqueness-check',
      'missing-primary-key',
    ])
      assert.ok(seen.has(rule), `the edits make ${rule} come and go`);
    assert.deepEqual(
      fresh(MIGRATION).map((f) => f.split(' ')[2]),
      ['index-extends-unique-key', 'regional-by-row-uuid-uniqueness-check'],
      'the migration as written leaves only the UUID key and the index that extends it',
    );
  });

  it('judges shapes after an edit of an earlier file as a fresh lint does', () => {
    const first =
      'CREATE DATABASE movr PRIMARY REGION "us-east1" REGIONS "us-west1";\nCREATE TABLE movr.users (id UUID PRIMARY KEY, nid INT8) LOCALITY GLOBAL;\n';
    const second = 'CREATE INDEX users_nid_idx ON movr.users (nid);\nCREATE INDEX users_nid_id_idx ON movr.users (nid, id);\n';
    const findings = new LintCache();
    const statements = new StatementCache();
    const secondFile = { uri: 'file:///002.sql', text: second, statements: documentStatements(second, statements) };
    for (const text of [first, first.replace('nid INT8', 'nid INT8, INDEX users_nid_idx2 (nid)'), first]) {
      const before = [{ uri: 'file:///001.sql', text, statements: documentStatements(text) }];
      const incremental = summary(lintFile(secondFile, before, defaultConfig(), undefined, findings));
      assert.deepEqual(incremental, summary(lintFile(secondFile, before, defaultConfig())));
      assert.ok(incremental.some((f) => f.includes('redundant-index')));
    }
  });

  it('follows rows written to, and renames of, a table the file created, as a fresh lint does', () => {
    const statements = new StatementCache();
    const findings = new LintCache();
    const lint = (text: string): string[] =>
      summary(
        lintFile(
          { uri: 'file:///m.sql', text, statements: documentStatements(text, statements) },
          [],
          defaultConfig(),
          undefined,
          findings,
        ),
      );
    const create = 'CREATE TABLE ledgers (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), name STRING);\n';
    const insert = "INSERT INTO ledgers (name) VALUES ('cash');\n";
    const alter = 'ALTER TABLE ledgers ADD COLUMN owner UUID NOT NULL;\nALTER TABLE ledgers RENAME COLUMN name TO title;\n';
    const edits: [string, string[]][] = [
      // Created just above and still empty: neither the NOT NULL column nor the rename is flagged.
      [create + alter, []],
      // An INSERT above the ALTER: the table has rows, the column cannot be added without a default.
      [create + insert + alter, ['not-null-column-without-default']],
      [create + alter, []],
      // A write to another table changes nothing; a COPY (its target unread) counts for every table.
      [create + 'INSERT INTO accounts (id) VALUES (1);\n' + alter, []],
      [create + 'COPY accounts FROM STDIN;\n' + alter, ['not-null-column-without-default']],
      // The INSERT and the COPY move across the CREATE TABLE (the same statements, in another order).
      [insert + create + alter, []],
      [create + insert + alter, ['not-null-column-without-default']],
      [insert + create + alter, []],
      ['COPY accounts FROM STDIN;\n' + create + alter, []],
      [create + 'COPY accounts FROM STDIN;\n' + alter, ['not-null-column-without-default']],
      ['COPY accounts FROM STDIN;\n' + create + alter, []],
      // A write before the CREATE TABLE is not a write to this table; a COPY before it does not count either.
      ['COPY accounts FROM STDIN;\n' + insert + create + alter, []],
      // The CREATE TABLE names another table: ledgers is an existing table, in use.
      [create.replace('ledgers', 'ledger') + alter, ['not-null-column-without-default', 'breaking-schema-change']],
      [create + alter, []],
      // Renamed after its creation, the table is still new and empty; rows written under either name count.
      [create + 'ALTER TABLE ledgers RENAME TO books;\n' + alter.replaceAll('ledgers', 'books'), []],
      [
        create + insert + 'ALTER TABLE ledgers RENAME TO books;\n' + alter.replaceAll('ledgers', 'books'),
        ['not-null-column-without-default'],
      ],
      [
        create + 'ALTER TABLE ledgers RENAME TO books;\n' + insert.replace('ledgers', 'books') + alter.replaceAll('ledgers', 'books'),
        ['not-null-column-without-default'],
      ],
      [create + 'ALTER TABLE ledgers RENAME TO books;\n' + alter.replaceAll('ledgers', 'books'), []],
      // Dropped and created again: rows written to the old table do not count.
      [create + insert + 'DROP TABLE ledgers;\n' + create + alter, []],
      [create + insert + 'DROP TABLE ledgers;\n' + create + insert + alter, ['not-null-column-without-default']],
      // Created AS SELECT: it has rows, but it is still new (the rename is not flagged).
      ['CREATE TABLE ledgers AS SELECT id, name FROM accounts;\n' + alter, ['not-null-column-without-default']],
      [create + alter, []],
    ];
    // Every statement after a line of its own: a statement moved keeps its text, and its parse.
    for (const [text, rules] of edits.map(([edited, found]): [string, string[]] => [
      `SET application_name = 'ledger';\n${edited}`,
      found,
    ])) {
      const incremental = lint(text);
      assert.deepEqual(incremental, fresh(text), text);
      assert.deepEqual(
        incremental.map((f) => f.split(' ')[2]),
        rules,
        text,
      );
    }
  });

  it('follows rows written in an earlier file to a table this one alters, as a fresh lint does', () => {
    const second = 'ALTER TABLE ledgers ADD COLUMN owner UUID NOT NULL;\n';
    const findings = new LintCache();
    const statements = new StatementCache();
    const secondFile = { uri: 'file:///002.sql', text: second, statements: documentStatements(second, statements) };
    const create = 'CREATE TABLE ledgers (id UUID PRIMARY KEY DEFAULT gen_random_uuid());\n';
    // Created by another file, the table may be in use whatever that file wrote to it.
    for (const text of [create, create + 'INSERT INTO ledgers DEFAULT VALUES;\n', create]) {
      const before = [{ uri: 'file:///001.sql', text, statements: documentStatements(text) }];
      const incremental = summary(lintFile(secondFile, before, defaultConfig(), undefined, findings));
      assert.deepEqual(incremental, summary(lintFile(secondFile, before, defaultConfig())));
      assert.deepEqual(
        incremental.map((f) => f.split(' ')[2]),
        ['not-null-column-without-default'],
      );
    }
  });

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
            // Hover or completion reads the model part-way through the file (the session rolls back there).
            fc.record({ kind: fc.constant('peek' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
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
            if (edit.kind === 'peek') {
              const file = { uri: 'file:///s.sql', text, statements: documentStatements(text, statements) };
              const index = Math.floor(file.statements.length * edit.at);
              const model = findings.modelBefore(index);
              // Undefined past where an earlier peek left the session (modelAt lints first).
              if (!model) continue;
              assert.deepEqual(snapshot(model), snapshot(buildModel([{ ...file, statements: file.statements.slice(0, index) }])));
              continue;
            }
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
