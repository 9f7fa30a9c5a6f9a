// Diagnostics a client pulls (LSP 3.17 textDocument/diagnostic, as VS Code does): the server
// offers them to clients that can pull, answers `unchanged` when the diagnostics the client holds
// still hold, and re-encodes only the diagnostics an edit moved; clients that cannot pull
// (Neovim 0.7) are still sent them.
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { documentStatements, StatementCache } from '../../server/src/analysis/statements';
import { DiagnosticsEncoder } from '../../server/src/features/diagnostics';
import { LintCache, lintFile } from '../../server/src/lint/engine';
import { until } from '../support/patience';
import { spawnLanguageServer, stopLanguageServer, type LanguageServer } from '../support/languageServer';

interface Report {
  kind: 'full' | 'unchanged';
  resultId?: string;
  items?: { code?: string; range: { start: { line: number } } }[];
}

const TABLE = (t: number): string =>
  `CREATE TABLE t_${t} (\n  id SERIAL PRIMARY KEY,\n  note STRING -- free text\n);\nCREATE INDEX t_${t}_by_note ON t_${t} (note);\n`;

/** What VS Code announces: it pulls, and it pulls again when the server asks. */
const PULLING = { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { diagnostics: { refreshSupport: true } } };

async function started(capabilities: object): Promise<{ server: LanguageServer; connection: MessageConnection; offered: boolean }> {
  const server = spawnLanguageServer();
  const { connection } = server;
  connection.listen();
  const result = await connection.sendRequest<{ capabilities: { diagnosticProvider?: unknown } }>('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities,
  });
  await connection.sendNotification('initialized', {});
  return { server, connection, offered: result.capabilities.diagnosticProvider !== undefined };
}

describe('pull diagnostics', () => {
  it('answers a pulling client full, then unchanged until an edit changes what the diagnostics say', async () => {
    const { server, connection, offered } = await started(PULLING);
    connection.onRequest('workspace/diagnostic/refresh', () => null);
    const pushed: unknown[] = [];
    connection.onNotification('textDocument/publishDiagnostics', (params) => {
      pushed.push(params);
    });
    try {
      assert.ok(offered, 'the server offers pull diagnostics to a client that can pull');
      const uri = 'file:///pull.sql';
      const text = TABLE(0) + TABLE(1);
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
      const pull = (previousResultId?: string): Promise<Report> =>
        connection.sendRequest<Report>('textDocument/diagnostic', { textDocument: { uri }, previousResultId });

      const first = await pull();
      assert.equal(first.kind, 'full');
      assert.deepEqual(
        first.items?.map((d) => [d.code, d.range.start.line]),
        [
          ['sequential-primary-key', 1],
          ['sequential-primary-key', 6],
        ],
      );
      assert.deepEqual(await pull(first.resultId), { kind: 'unchanged', resultId: first.resultId });

      // A letter typed in the second table's comment: no diagnostic moves or changes. (One typed in
      // its note column would make its index name a column the table lacks: column-not-in-table.)
      const note = { line: 7, character: 19 };
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: 2 },
        contentChanges: [{ range: { start: note, end: note }, text: 'x' }],
      });
      assert.deepEqual(await pull(first.resultId), { kind: 'unchanged', resultId: first.resultId });

      // A line inserted at the top moves both.
      const top = { line: 0, character: 0 };
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: 3 },
        contentChanges: [{ range: { start: top, end: top }, text: '-- orders\n' }],
      });
      const moved = await pull(first.resultId);
      assert.equal(moved.kind, 'full');
      assert.notEqual(moved.resultId, first.resultId);
      assert.deepEqual(
        moved.items?.map((d) => d.range.start.line),
        [2, 7],
      );
      assert.deepEqual(pushed, [], 'a pulling client is not also sent diagnostics');
    } finally {
      await stopLanguageServer(server);
    }
  });

  it('sends diagnostics to a client that can pull but cannot be asked to pull again, and offers it no pull', async () => {
    const { server, connection, offered } = await started({ textDocument: { diagnostic: { dynamicRegistration: false } } });
    const pushed: { uri: string }[] = [];
    connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string }) => {
      pushed.push(params);
    });
    try {
      assert.equal(offered, false);
      const uri = 'file:///pushed.sql';
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: TABLE(0) } });
      await until(() => pushed.some((p) => p.uri === uri) || undefined, 'diagnostics sent to the client');
    } finally {
      await stopLanguageServer(server);
    }
  });

  /** Opens the documents, edits the first, and waits for the server to ask the client to pull again. */
  async function refreshedAfterAnEdit(opened: { uri: string; text: string }[]): Promise<void> {
    const { server, connection } = await started(PULLING);
    let refreshes = 0;
    connection.onRequest('workspace/diagnostic/refresh', () => {
      refreshes++;
      return null;
    });
    try {
      for (const { uri, text } of opened)
        await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
      const start = { line: 0, character: 0 };
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: opened[0]?.uri, version: 2 },
        contentChanges: [{ range: { start, end: start }, text: '-- tables\n' }],
      });
      await until(() => refreshes > 0 || undefined, 'a diagnostics refresh request');
    } finally {
      await stopLanguageServer(server);
    }
  }

  it('asks a pulling client to pull again once typing pauses, with one document open (VS Code does not pull on change)', async () => {
    await refreshedAfterAnEdit([{ uri: 'file:///only.sql', text: TABLE(0) }]);
  });

  it('asks a pulling client to pull again when an open document another may build on changes', async () => {
    await refreshedAfterAnEdit([
      { uri: 'file:///001_tables.sql', text: TABLE(0) },
      { uri: 'file:///002_indexes.sql', text: 'CREATE INDEX ON t_0 (note);\n' },
    ]);
  });

  it('sends diagnostics to a client that cannot pull, and offers it no pull', async () => {
    const { server, connection, offered } = await started({});
    const pushed: { uri: string; version?: number; diagnostics: unknown[] }[] = [];
    connection.onNotification('textDocument/publishDiagnostics', (params: (typeof pushed)[number]) => {
      pushed.push(params);
    });
    try {
      assert.equal(offered, false);
      const uri = 'file:///push.sql';
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: TABLE(0) } });
      const sent = await until(() => pushed.find((p) => p.uri === uri && p.version === 1), 'diagnostics sent');
      assert.equal(sent.diagnostics.length, 1);
    } finally {
      await stopLanguageServer(server);
    }
  });

  it('re-encodes the same number of diagnostics for an edit whatever the length of the file', () => {
    const builtAfterEdit = (tables: number): { built: number; diagnostics: number } => {
      let text = '';
      for (let t = 0; t < tables; t++) text += TABLE(t);
      let document = TextDocument.create('file:///many.sql', 'sql', 1, text);
      const statements = new StatementCache();
      const findings = new LintCache();
      const encoder = new DiagnosticsEncoder();
      const lint = (): number => {
        const source = document.getText();
        const found = lintFile(
          { uri: document.uri, text: source, statements: documentStatements(source, statements) },
          [],
          undefined,
          undefined,
          findings,
        );
        return encoder.encode(document, found).length;
      };
      const diagnostics = lint();
      // A character typed in the middle table's name, which its finding names (a line break
      // would move every finding after it: those the client must be sent again, LSP positions
      // being lines and columns).
      const name = text.indexOf(' (', text.indexOf('CREATE TABLE', text.length >> 1));
      const at = document.positionAt(name);
      document = TextDocument.update(document, [{ range: { start: at, end: at }, text: 'x' }], 2);
      lint();
      return { built: encoder.lastBuilt, diagnostics };
    };
    const small = builtAfterEdit(20);
    const large = builtAfterEdit(2_000);
    assert.equal(small.diagnostics, 20);
    assert.equal(large.diagnostics, 2_000);
    // Only the renamed table's finding says something new.
    assert.deepEqual([small.built, large.built], [1, 1]);
  });
});
