// A migration's rollback SQL (server/src/migrationSections.ts): the Down sections of sql-migrate,
// goose and dbmate files and whole .down.sql files are read for syntax alone and take no part in
// the schema, in the CLI and in the editor's workspace; the forward SQL keeps its offsets.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ChunkedDocument } from '../../../server/src/analysis/chunkedDocument';
import { isDownMigrationFile, splitMigration } from '../../../server/src/migrationSections';
import { Workspace } from '../../../server/src/workspace';
import { repoRoot } from '../../support/tools';

/** The lines of `text` that hold something other than space. */
const written = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '');

describe('migration rollback sections', () => {
  describe('splitMigration', () => {
    it("reads sql-migrate's, goose's and dbmate's markers, options after them, in any case", () => {
      for (const [up, down] of [
        ['-- +migrate Up', '-- +migrate Down'],
        ['-- +migrate Up notransaction', '-- +migrate Down'],
        ['-- +goose Up', '-- +goose Down'],
        ['--+goose up', '--  +goose DOWN'],
        ['-- migrate:up', '-- migrate:down'],
        ['--migrate:up transaction:false', '  -- migrate:down'],
      ]) {
        const text = `${up}\nCREATE TABLE t (id INT8 PRIMARY KEY);\n\n${down}\nDROP TABLE t;\n`;
        const { forward, rollback } = splitMigration(text);
        assert.deepEqual(written(forward), [up, 'CREATE TABLE t (id INT8 PRIMARY KEY);'], up);
        assert.deepEqual(written(rollback ?? ''), [down, 'DROP TABLE t;'], down);
        assert.equal(forward.length, text.length, 'offsets kept');
        assert.equal(rollback?.length, text.length, 'offsets kept');
        assert.equal(forward.split('\n').length, text.split('\n').length, 'lines kept');
      }
    });

    it('keeps what comes before the first marker forward, and alternates sections to the end', () => {
      const text =
        'CREATE TABLE a (id INT8 PRIMARY KEY);\n-- +goose Down\nDROP TABLE a;\n-- +goose Up\nCREATE TABLE b (id INT8 PRIMARY KEY);\n-- +goose Down\nDROP TABLE b;';
      const { forward, rollback } = splitMigration(text);
      assert.deepEqual(written(forward), [
        'CREATE TABLE a (id INT8 PRIMARY KEY);',
        '-- +goose Up',
        'CREATE TABLE b (id INT8 PRIMARY KEY);',
      ]);
      assert.deepEqual(written(rollback ?? ''), ['-- +goose Down', 'DROP TABLE a;', '-- +goose Down', 'DROP TABLE b;']);
    });

    it('leaves a text without a Down section as it is, and words that only look like markers alone', () => {
      for (const text of [
        'CREATE TABLE t (id INT8 PRIMARY KEY);\n',
        '-- +migrate Up\nCREATE TABLE t (id INT8 PRIMARY KEY);\n',
        '-- +migrated Down\n-- +goosey Down\n-- migrate:downgrade\n-- see +goose Down\nSELECT 1; -- +goose Down\nSELECT 2;\n',
        "SELECT '\n-- migrate:down\n';\n",
      ]) {
        const split = splitMigration(text);
        if (text.startsWith('SELECT')) {
          // A marker-shaped line inside a string is a marker to the tools too (they read lines, not SQL).
          assert.notEqual(split.rollback, undefined);
          continue;
        }
        assert.equal(split.forward, text);
        assert.equal(split.rollback, undefined, text);
      }
    });

    it('knows .down.sql files', () => {
      assert.deepEqual(
        ['1_init.down.sql', '000002_users.DOWN.SQL', '1_init.up.sql', 'teardown.sql', 'down.sql.md'].map(isDownMigrationFile),
        [true, true, false, false, false],
      );
    });
  });

  const first = 'CREATE TABLE events (id UUID PRIMARY KEY, created_at TIMESTAMPTZ NOT NULL DEFAULT now());\n';
  const goose = [
    '-- +goose Up',
    'ALTER TABLE events ADD COLUMN note STRING;',
    '-- +goose Down',
    'ALTER TABLE events DROP COLUMN note;',
    'DROP TABLE events;',
    'CREATE INDEX ON;',
    '',
  ].join('\n');
  const next = 'CREATE INDEX events_by_time ON events (created_at);\n';

  describe('crdb-studio lint', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-migrations-'));
    after(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    const lint = (...files: string[]): { rule: string; line: number; file: string }[] => {
      const result = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli', 'cli.js'), 'lint', '--format', 'json', ...files], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, CRDB_STUDIO_CODE_CACHE: 'off' },
      });
      assert.ok(result.status === 0 || result.status === 1, result.stderr);
      return (JSON.parse(result.stdout) as { rule: string; line: number; file: string }[]).map(({ rule, line, file }) => ({
        rule,
        line,
        file,
      }));
    };

    it('reads Down sections and .down.sql files for syntax alone; the schema flows through the Up SQL only', () => {
      writeFileSync(path.join(dir, '1_events.sql'), first);
      writeFileSync(path.join(dir, '2_note.sql'), goose);
      writeFileSync(path.join(dir, '2_note.down.sql'), 'DROP TABLE events;\nCREATE TABLE t (id INT8 PRIMARY KEY, x);\n');
      writeFileSync(path.join(dir, '3_index.sql'), next);
      const findings = lint('1_events.sql', '2_note.down.sql', '2_note.sql', '3_index.sql');
      assert.deepEqual(findings, [
        { file: '2_note.down.sql', line: 2, rule: 'syntax-error' },
        { file: '2_note.sql', line: 6, rule: 'syntax-error' },
        // The table survives the rollbacks: its index is still judged against its column.
        { file: '3_index.sql', line: 1, rule: 'sequential-index' },
      ]);
    });

    it('a Down section read as forward SQL would have dropped the table and been flagged', () => {
      writeFileSync(path.join(dir, '2_plain.sql'), goose.replace('-- +goose Down', '-- (no marker)'));
      const rules = lint('1_events.sql', '2_plain.sql', '3_index.sql').map((f) => f.rule);
      assert.ok(rules.includes('breaking-schema-change'), rules.join(', '));
      assert.ok(!rules.includes('sequential-index'), rules.join(', '));
    });
  });

  describe('the editor', () => {
    const uri = (name: string): string => `file:///migrations/${name}`;
    const findingsOf = (workspace: Workspace, name: string): { rule: string; line: number }[] => {
      const document = workspace.documentFor(uri(name));
      assert.ok(document);
      return (workspace.lint(uri(name))?.findings ?? []).map((f) => ({ rule: f.rule, line: document.positionAt(f.start).line + 1 }));
    };

    it('gives the same findings as the CLI, and follows edits that add or remove a marker', () => {
      const workspace = new Workspace();
      workspace.open(TextDocument.create(uri('1_events.sql'), 'sql', 1, first));
      workspace.open(
        TextDocument.create(uri('2_note.down.sql'), 'sql', 1, 'DROP TABLE events;\nCREATE TABLE t (id INT8 PRIMARY KEY, x);\n'),
      );
      const note = new ChunkedDocument(uri('2_note.sql'), 'sql', 1, goose);
      workspace.open(note);
      workspace.open(TextDocument.create(uri('3_index.sql'), 'sql', 1, next));
      assert.deepEqual(findingsOf(workspace, '2_note.down.sql'), [{ rule: 'syntax-error', line: 2 }]);
      assert.deepEqual(findingsOf(workspace, '2_note.sql'), [{ rule: 'syntax-error', line: 6 }]);
      assert.deepEqual(findingsOf(workspace, '3_index.sql'), [{ rule: 'sequential-index', line: 1 }]);

      // The Down marker edited away: its statements are forward SQL again, and drop the table.
      const at = goose.indexOf('-- +goose Down');
      const replace = (start: number, end: number, text: string, version: number): void => {
        note.update([{ range: { start: note.positionAt(start), end: note.positionAt(end) }, text }], version, (from, to, length) => {
          workspace.edit(uri('2_note.sql'), from, to, length);
        });
        workspace.change(note);
      };
      replace(at, at + '-- +goose Down'.length, '-- +goose Dow', 2);
      const rules = findingsOf(workspace, '2_note.sql').map((f) => f.rule);
      assert.ok(rules.includes('breaking-schema-change'), rules.join(', '));
      assert.deepEqual(findingsOf(workspace, '3_index.sql'), []);
      // And back.
      replace(at, at + '-- +goose Dow'.length, '-- +goose Down', 3);
      assert.deepEqual(findingsOf(workspace, '2_note.sql'), [{ rule: 'syntax-error', line: 6 }]);
      assert.deepEqual(findingsOf(workspace, '3_index.sql'), [{ rule: 'sequential-index', line: 1 }]);
    });
  });
});
