// Lint inside lessons: the ```sql blocks of a Markdown document are linted like a .sql file, the
// schema flowing from block to block, with positions in the Markdown; in the editor (the
// language server over stdio) and on the command line.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import type { CodeAction, CompletionItem, Diagnostic, Hover } from 'vscode-languageserver-protocol';
import { documentStatementsOnce } from '../../server/src/analysis/statements';
import { lintFile } from '../../server/src/lint/engine';
import { isMarkdown, sqlOfMarkdown } from '../../server/src/markdown';
import { until } from '../support/patience';
import { spawnLanguageServer, stopLanguageServer, type LanguageServer } from '../support/languageServer';
import { repoRoot } from '../support/tools';

const LESSON = [
  '# A lesson', // 0
  '',
  'Make a table (no semicolon at the end of the block):',
  '',
  '```sql',
  'CREATE TABLE events (id SERIAL PRIMARY KEY, kind STRING)', // 5
  '```',
  '',
  'In a shell, not linted: `CREATE TABLE x (y INT)`',
  '```sh',
  'cockroach sql -e "CREATE TABLE bad (id SERIAL PRIMARY KEY)"', // 10
  '```',
  '',
  '1. A step in a list:',
  '',
  '   ```sql',
  '   SELECT kind FROM events;', // 16
  '   ```',
  '```sql',
  'SELECT * FROM events WHERE kind = $$unterminated', // 19
  '```',
  '',
].join('\n');

function lintMarkdown(markdown: string): { rule: string; line: number }[] {
  const sql = sqlOfMarkdown(markdown).text;
  const lines = (offset: number): number => markdown.slice(0, offset).split('\n').length - 1;
  return lintFile({ uri: 'file:///lesson.md', text: sql, statements: documentStatementsOnce(sql) }).map((f) => ({
    rule: f.rule,
    line: lines(f.start),
  }));
}

describe('lint inside lessons', () => {
  describe('the SQL of a Markdown document', () => {
    it('keeps the length and the lines, blanks all but the sql blocks, ends each block', () => {
      const { text, blocks } = sqlOfMarkdown(LESSON);
      assert.equal(text.length, LESSON.length);
      const lines = text.split('\n');
      assert.equal(lines.length, LESSON.split('\n').length);
      assert.equal(lines[5], 'CREATE TABLE events (id SERIAL PRIMARY KEY, kind STRING)');
      assert.equal(lines[6], ';  ', 'the closing fence ends the block');
      assert.equal(lines[10]?.trim(), '', 'a shell block is not SQL');
      assert.equal(lines[8]?.trim(), '', 'prose is not SQL');
      assert.equal(lines[16], '   SELECT kind FROM events;');
      assert.equal(lines[17], '   ;  ');
      assert.deepEqual(
        blocks.map((b) => LESSON.slice(b.start, b.end)),
        [
          'CREATE TABLE events (id SERIAL PRIMARY KEY, kind STRING)',
          '   SELECT kind FROM events;',
          'SELECT * FROM events WHERE kind = $$unterminated',
        ],
      );
    });

    it('reads statements block by block: one without a semicolon does not run into the next', () => {
      const sql = sqlOfMarkdown(LESSON).text;
      const statements = documentStatementsOnce(sql).map((s) => s.parsed.statement.type);
      assert.deepEqual(statements.slice(0, 2), ['create-table', 'other'], statements.join(', '));
      assert.deepEqual(lintMarkdown(LESSON).slice(0, 1), [{ rule: 'sequential-primary-key', line: 5 }]);
    });

    it('keeps CRLF line ends, empty and unclosed blocks', () => {
      const crlf = '# t\r\n```sql\r\nSELECT 1\r\n```\r\n```sql\r\n```\r\ntext\r\n```sql\r\nSELECT 2;\r\n';
      const { text } = sqlOfMarkdown(crlf);
      assert.equal(text.length, crlf.length);
      assert.equal(text, '   \r\n      \r\nSELECT 1\r\n;  \r\n      \r\n;  \r\n    \r\n      \r\nSELECT 2;\r\n');
      assert.equal(sqlOfMarkdown('').text, '');
      assert.equal(sqlOfMarkdown('```sql\n').text, '      \n');
    });

    it('blanks the cockroach sql prompts docs write where a statement starts, not a > that continues one', () => {
      const docs = [
        '~~~ sql',
        '> CREATE TABLE t (a INT PRIMARY KEY);',
        '>SHOW TABLES;',
        'root@localhost:26257/defaultdb> SELECT * FROM t WHERE a',
        '> 1;',
        '~~~',
      ].join('\n');
      assert.deepEqual(sqlOfMarkdown(docs).text.split('\n'), [
        '       ',
        '  CREATE TABLE t (a INT PRIMARY KEY);',
        ' SHOW TABLES;',
        '                                SELECT * FROM t WHERE a',
        '> 1;',
        ';  ',
      ]);
      assert.deepEqual(
        lintMarkdown(docs).filter((f) => f.rule === 'syntax-error'),
        [],
      );
    });

    it('knows Markdown by language id or file name', () => {
      assert.ok(isMarkdown('file:///a/README.md'));
      assert.ok(isMarkdown('untitled:Untitled-1', 'markdown'));
      assert.ok(!isMarkdown('file:///a/schema.sql', 'sql'));
    });
  });

  describe('in the language server', () => {
    const workspace = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-md-'));
    // A migration before the lesson: its schema is known, and it leaves the session in shop.
    writeFileSync(
      path.join(workspace, '001_shop.sql'),
      'CREATE DATABASE shop PRIMARY REGION "us-east1" REGIONS "us-west1";\nUSE shop;\nCREATE TABLE products (id UUID PRIMARY KEY, name STRING) LOCALITY GLOBAL;\n',
    );
    let server: LanguageServer;
    let connection: MessageConnection;
    const published: { uri: string; version?: number; diagnostics: Diagnostic[] }[] = [];
    const uri = pathToFileURL(path.join(workspace, 'lesson.md')).toString();
    const text = [
      '# Orders', // 0
      '',
      '```sql',
      'CREATE TABLE orders (', // 3
      '  id SERIAL PRIMARY KEY,', // 4
      '  region STRING NOT NULL', // 5
      ')', // 6
      '```',
      '',
      'Then read them. Some prose with a table word: orders', // 9
      '',
      '```sql',
      'SELECT region FROM orders;', // 12
      'SELECT name FROM shop.products;', // 13
      '```',
      '',
    ].join('\n');

    before(async () => {
      server = spawnLanguageServer();
      connection = server.connection;
      connection.onNotification('textDocument/publishDiagnostics', (params: (typeof published)[number]) => {
        published.push(params);
      });
      connection.listen();
      await connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: pathToFileURL(workspace).toString(),
        capabilities: {},
      });
      await connection.sendNotification('initialized', {});
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
    });

    after(async () => {
      await stopLanguageServer(server);
    });

    it('publishes the sql blocks’ findings at their lines in the Markdown', async () => {
      const { diagnostics } = await until(() => published.find((p) => p.uri === uri && p.version === 1), `diagnostics for ${uri}`);
      assert.deepEqual(
        diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]),
        [['sequential-primary-key', 4, 2]],
        JSON.stringify(diagnostics),
      );
    });

    it('offers the quick fixes of a .sql file', async () => {
      const { diagnostics } = await until(() => published.find((p) => p.uri === uri && p.version === 1), `diagnostics for ${uri}`);
      const actions = await connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: diagnostics[0]?.range,
        context: { diagnostics },
      });
      const preferred = actions.find((a) => a.isPreferred);
      assert.equal(preferred?.title, 'Make id a UUID DEFAULT gen_random_uuid()');
      const edits = preferred.edit?.changes?.[uri] ?? [];
      assert.ok(edits.length > 0);
      for (const edit of edits) assert.equal(edit.range.start.line, 4, 'the fix edits the block, in the Markdown');
      assert.ok(actions.some((a) => a.title === 'Ignore sequential-primary-key for this statement'));
    });

    it('hovers a table with the schema of the blocks above and of the workspace’s .sql files', async () => {
      const onOrders = await connection.sendRequest<Hover | null>('textDocument/hover', {
        textDocument: { uri },
        position: { line: 12, character: 21 },
      });
      assert.match(JSON.stringify(onOrders?.contents), /table defaultdb\.orders/, 'a lesson starts in defaultdb');
      assert.match(JSON.stringify(onOrders?.contents), /`region` STRING NOT NULL/);
      const onProducts = await connection.sendRequest<Hover | null>('textDocument/hover', {
        textDocument: { uri },
        position: { line: 13, character: 25 },
      });
      assert.match(JSON.stringify(onProducts?.contents), /table shop\.products/);
      const onProse = await connection.sendRequest<Hover | null>('textDocument/hover', {
        textDocument: { uri },
        position: { line: 9, character: 50 },
      });
      assert.equal(onProse, null, 'prose is not SQL');
    });

    it('completes inside a block, not in the prose', async () => {
      const inBlock = await connection.sendRequest<CompletionItem[]>('textDocument/completion', {
        textDocument: { uri },
        position: { line: 12, character: 19 },
      });
      assert.ok(inBlock.some((item) => item.label === 'orders'));
      const inProse = await connection.sendRequest<CompletionItem[]>('textDocument/completion', {
        textDocument: { uri },
        position: { line: 9, character: 5 },
      });
      assert.deepEqual(inProse, []);
    });

    it('lints again after an edit, and clears on close', async () => {
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: 2 },
        contentChanges: [{ range: { start: { line: 4, character: 5 }, end: { line: 4, character: 11 } }, text: 'UUID' }],
      });
      const { diagnostics } = await until(() => published.find((p) => p.uri === uri && p.version === 2), `diagnostics for ${uri}`);
      assert.deepEqual(diagnostics, []);
      await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      const cleared = await until(() => published.find((p) => p.uri === uri && p.version === undefined), 'cleared diagnostics');
      assert.deepEqual(cleared.diagnostics, []);
    });
  });

  describe('on the command line', () => {
    const CLI = path.join(repoRoot, 'dist', 'cli', 'cli.js');
    const cli = (...args: string[]): { status: number | null; stdout: string; stderr: string } => {
      const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: repoRoot });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    };

    it('lints a lesson’s sql blocks with positions in the Markdown', () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-md-cli-'));
      const lesson = path.join(dir, 'lesson.md');
      writeFileSync(lesson, LESSON);
      const result = cli('lint', '--format', 'json', lesson);
      const findings = JSON.parse(result.stdout) as { file: string; line: number; column: number; rule: string }[];
      assert.deepEqual(
        findings.slice(0, 1).map((f) => [f.rule, f.line, f.column]),
        [['sequential-primary-key', 6, 22]],
      );
      assert.ok(!findings.some((f) => f.line === 11), 'the shell block is not linted');
    });

    it('finds nothing to say about the sample lessons', () => {
      const lessons = readdirSync(path.join(repoRoot, 'examples', 'lessons')).filter((name) => name.endsWith('.md'));
      assert.ok(lessons.length >= 10);
      const result = cli('lint', '--format', 'json', 'examples/lessons/*.md');
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), []);
      // After the sample schemas (which end in USE shop), each lesson still starts in defaultdb.
      const after = cli('lint', '--format', 'json', 'examples/schemas/*.sql', 'examples/lessons/*.md');
      const findings = JSON.parse(after.stdout) as { file: string }[];
      assert.deepEqual(
        findings.filter((f) => f.file.endsWith('.md')),
        [],
      );
    });
  });
});
