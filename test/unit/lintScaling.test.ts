// Costs that grow with the work, not its square: the CLI carries one schema model through its
// files, and hover and completion read the lint session's model instead of building one per
// request. Counted in model applications, not timed; the answers must stay those of a fresh build.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { main } from '../../cli/src/cli';
import { documentStatementsOnce } from '../../server/src/analysis/statements';
import { completion } from '../../server/src/features/completion';
import { hover } from '../../server/src/features/hover';
import { defaultConfig } from '../../server/src/lint/config';
import { LintSequence, lintFile, type LintFinding, type SourceFile } from '../../server/src/lint/engine';
import { SchemaModel } from '../../server/src/schema/model';
import { Workspace } from '../../server/src/workspace';
import { repoRoot } from '../support/tools';

/** Counts SchemaModel.apply calls while `run` runs: every statement any model replays. */
async function countApplies<T>(run: () => T | Promise<T>): Promise<{ result: T; applies: number }> {
  const apply = Object.getOwnPropertyDescriptor(SchemaModel.prototype, 'apply');
  const original = apply?.value as SchemaModel['apply'];
  let applies = 0;
  SchemaModel.prototype.apply = function (this: SchemaModel, ...args: Parameters<SchemaModel['apply']>): void {
    applies++;
    original.apply(this, args);
  };
  try {
    const result = await run();
    return { result, applies };
  } finally {
    if (apply) Object.defineProperty(SchemaModel.prototype, 'apply', apply);
  }
}

/** A schema whose findings depend on earlier statements: a multi-region database, its tables, their indexes. */
function migrations(count: number): string[] {
  const files = ['CREATE DATABASE shop PRIMARY REGION "us-east1" REGIONS "us-west1";\nUSE shop;\n'];
  for (let i = 0; i < count; i++) {
    const locality = i % 3 === 0 ? '' : i % 3 === 1 ? ' LOCALITY GLOBAL' : ' LOCALITY REGIONAL BY ROW';
    files.push(
      `CREATE TABLE t_${i} (id ${i % 2 === 0 ? 'SERIAL' : 'UUID DEFAULT gen_random_uuid()'} PRIMARY KEY, account INT8, created_at TIMESTAMPTZ)${locality};\n` +
        `CREATE INDEX t_${i}_by_account ON t_${i} (account);\n` +
        (i > 0 ? `CREATE INDEX t_${i - 1}_by_account_again ON t_${i - 1} (account);\n` : ''),
    );
  }
  return files;
}

function source(uri: string, text: string): SourceFile {
  return { uri, text, statements: documentStatementsOnce(text) };
}

/** A finding as the text it points at, so that findings in different files compare. */
function located(findings: LintFinding[], text: string): string[] {
  return findings.map((f) => `${f.rule} ${f.severity} «${text.slice(f.start, f.end)}» ${f.message}`);
}

describe('lint cost grows with the statements', () => {
  it('finds the same in many files, linted in sequence, as in one file and as lintFile with the files before', () => {
    const texts = migrations(40);
    const sequence = new LintSequence(defaultConfig());
    const split: string[] = [];
    const earlier: SourceFile[] = [];
    texts.forEach((text, i) => {
      const file = source(`${String(i).padStart(3, '0')}.sql`, text);
      const findings = sequence.lint(file);
      assert.deepEqual(findings, lintFile(file, earlier, defaultConfig()));
      split.push(...located(findings, text));
      earlier.push(file);
    });
    const whole = texts.join('');
    const once = located(lintFile(source('all.sql', whole), [], defaultConfig()), whole);
    assert.ok(once.length > 40, 'the schema has findings that depend on earlier statements');
    assert.deepEqual(split, once);
  });

  it('finds the same as lintFile for the examples and rule fixtures split statement by statement', () => {
    const folders = [path.join(repoRoot, 'examples', 'schemas'), path.join(repoRoot, 'test', 'fixtures', 'rules')];
    for (const folder of folders) {
      for (const name of readdirSync(folder).filter((f) => f.endsWith('.sql'))) {
        const whole = source(name, readFileSync(path.join(folder, name), 'utf8'));
        const sequence = new LintSequence(defaultConfig());
        const earlier: SourceFile[] = [];
        whole.statements.forEach((statement, i) => {
          const file = source(`${name}#${i}`, statement.text);
          assert.deepEqual(sequence.lint(file), lintFile(file, earlier, defaultConfig()), `${name} statement ${i}`);
          earlier.push(file);
        });
      }
    }
  });

  it('applies each statement to a model once when the CLI lints many files', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-scaling-'));
    try {
      const texts = migrations(150);
      const files = texts.map((text, i) => {
        const file = path.join(dir, `${String(i).padStart(3, '0')}.sql`);
        writeFileSync(file, text);
        return file;
      });
      const statements = texts.reduce((sum, text) => sum + documentStatementsOnce(text).length, 0);
      let output = '';
      const { result, applies } = await countApplies(() =>
        main(['lint', '--format', 'json', ...files], (text) => {
          output += text;
        }),
      );
      assert.equal(result, 0);
      assert.ok((JSON.parse(output) as unknown[]).length > 150);
      // Replaying the earlier files for each file would apply about statements² / 2 times.
      assert.equal(applies, statements);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A workspace of migrations before the open file, as the language server holds it. */
function workspaceWith(texts: string[], open: string): { workspace: Workspace; uri: string } {
  const workspace = new Workspace();
  texts.forEach((text, i) => {
    workspace.open(TextDocument.create(pathToFileURL(`/w/${String(i).padStart(3, '0')}.sql`).toString(), 'sql', 1, text));
  });
  const uri = pathToFileURL('/w/zzz.sql').toString();
  workspace.open(TextDocument.create(uri, 'sql', 1, open));
  return { workspace, uri };
}

const OPEN = [
  'CREATE TABLE orders (id UUID PRIMARY KEY, customer INT8, total DECIMAL) LOCALITY REGIONAL BY ROW;',
  'SELECT orders. FROM orders;',
  'ALTER TABLE orders ADD COLUMN note STRING;',
  'ALTER TABLE t_3 RENAME TO t_3_old;',
  'SELECT * FROM t_3_old JOIN ;',
  'USE defaultdb;',
  'CREATE TABLE t_5 (id UUID PRIMARY KEY, x INT8);',
  'ALTER TABLE t_5 CONFIGURE ZONE USING num_replicas = 5;',
  'SELECT t_5. FROM t_5;',
  'ALTER DATABASE shop ADD REGION "europe-west1";',
  'CREATE TABLE z (id UUID PRIMARY KEY) LOCALITY REGIONAL BY TABLE IN ;',
].join('\n');

function answers(workspace: Workspace, uri: string, offset: number, fresh: boolean): unknown {
  const file = workspace.file(uri);
  assert.ok(file);
  const modelAt = (until?: number): SchemaModel => (fresh ? workspace.freshModelAt(uri, until) : workspace.modelAt(uri, until));
  const completed = completion(file.statements, modelAt(offset), offset);
  const hovered = hover(file.document, file.statements, [], () => modelAt(), offset);
  return { completed, hovered };
}

describe('hover and completion read the lint session model', () => {
  it('answer as with a model built afresh, at every offset, while the file is edited', () => {
    const { workspace, uri } = workspaceWith(migrations(8), OPEN);
    workspace.lint(uri);
    for (let offset = 0; offset <= OPEN.length; offset++)
      assert.deepEqual(answers(workspace, uri, offset, false), answers(workspace, uri, offset, true), `at ${offset}`);
    let text = OPEN;
    let version = 1;
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), edit: fc.constantFrom('', 'x', ';', ' ', '\n') }), {
          minLength: 1,
          maxLength: 8,
        }),
        (steps) => {
          for (const { at, edit } of steps) {
            const offset = Math.floor(text.length * at);
            assert.deepEqual(answers(workspace, uri, offset, false), answers(workspace, uri, offset, true), `at ${offset} of ${text}`);
            if (edit !== '') {
              text = text.slice(0, offset) + edit + text.slice(offset);
              workspace.change(TextDocument.create(uri, 'sql', ++version, text));
              if (edit === ';') workspace.lint(uri);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('does not replay the workspace per request', async () => {
    const texts = migrations(300);
    const { workspace, uri } = workspaceWith(texts, OPEN);
    const before = texts.reduce((sum, text) => sum + documentStatementsOnce(text).length, 0);
    const own = documentStatementsOnce(OPEN).length;
    const built = await countApplies(() => workspace.lint(uri));
    assert.equal(built.applies, before + own, 'the first lint builds the model once');
    const file = workspace.file(uri);
    assert.ok(file);
    const onTable = OPEN.indexOf('orders. FROM') + 2;
    const atColumns = OPEN.indexOf('orders. FROM') + 'orders.'.length;
    const hovered = await countApplies(() => hover(file.document, file.statements, [], () => workspace.modelAt(uri), onTable));
    assert.equal(hovered.applies, 0, 'hover after a lint applies nothing');
    assert.match(JSON.stringify(hovered.result?.contents), /table shop\.orders/);
    const completed = await countApplies(() => completion(file.statements, workspace.modelAt(uri, atColumns), atColumns));
    assert.equal(completed.applies, 0, 'completion rolls the session back instead of building');
    assert.deepEqual(completed.result.map((item) => item.label).sort(), ['customer', 'id', 'total']);
    // The next request at the end applies again only this file's statements after the cursor.
    const again = await countApplies(() => hover(file.document, file.statements, [], () => workspace.modelAt(uri), onTable));
    assert.ok(again.applies <= own, `${again.applies} applications for a file of ${own} statements`);
    assert.match(JSON.stringify(again.result?.contents), /`note` STRING/);
    // An edit of the open file costs its changed statements, not the workspace.
    const edited = OPEN.replace('total DECIMAL', 'total DECIMAL, tax DECIMAL');
    workspace.change(TextDocument.create(uri, 'sql', 2, edited));
    const current = workspace.file(uri);
    assert.ok(current);
    const onEdited = edited.indexOf('orders. FROM') + 2;
    const afterEdit = await countApplies(() => hover(current.document, current.statements, [], () => workspace.modelAt(uri), onEdited));
    assert.ok(afterEdit.applies <= own, `${afterEdit.applies} applications after an edit`);
    assert.match(JSON.stringify(afterEdit.result?.contents), /`tax` DECIMAL/);
  });
});
