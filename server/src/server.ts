// crdb-studio language server over stdio or node IPC. Platform-free: any LSP client works.
import { inspect } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import {
  createConnection,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions } from './features/codeActions';
import { completion } from './features/completion';
import { DiagnosticsEncoder } from './features/diagnostics';
import { formattingEdits } from './features/formatting';
import { hover } from './features/hover';
import { LiveCatalog } from './features/liveCatalog';
import { carryTypeChanges, retypesAColumn } from './features/referencingColumns';
import { documentSymbols } from './features/symbols';
import { tokenContext } from './features/tokenAt';
import type { LintFinding } from './lint/engine';
import { allRules } from './lint/rules';
import {
  DEFAULT_COCKROACH_VERSION,
  normaliseCockroachVersion,
  serverStatusMethod,
  settingsChangedMethod,
  type ServerSettings,
  type ServerStatus,
} from '../../protocol/src/languageServer';
import { catalogChangedMethod, isCatalogSnapshot } from '../../protocol/src/catalog';
import { MessageFraming } from './framing';
import { MAX_ANALYSED_BYTES, Workspace } from './workspace';
import { updateTelling } from './analysis/editRegion';
import { ChunkedDocument } from './analysis/chunkedDocument';

declare const SERVER_VERSION: string | undefined;
const serverVersion = typeof SERVER_VERSION === 'string' ? SERVER_VERSION : 'dev';
/** Quiet time after the last keystroke before a document is linted again. */
const DEBOUNCE_MS = 120;

/**
 * V8 grows the young generation (up to 2 x 32 MB on Node 24) while a large file's analysis
 * survives its scavenges, and the short-lived garbage of every keystroke then cycles through all
 * of it: most of the RSS a session of typing adds. Kept at its first size, what survives a
 * scavenge is promoted at once, which the analysis (long-lived) is anyway. bench/languageServer.mjs,
 * Node 24: RSS through 1,000 edits of 10,000 lines ~110 -> ~155 MiB becomes ~100 -> ~103; opening
 * 100,000 lines 2.2 -> 1.7 s CPU; an edit ~+0.1 ms. The flag is read at each resize, so it holds
 * set here; a command line that sets it wins.
 */
if (!`${process.execArgv.join(' ')} ${process.env['NODE_OPTIONS'] ?? ''}`.includes('semi-space-growth-factor'))
  setFlagsFromString('--semi-space-growth-factor=1');

const connection = process.argv.includes('--stdio') ? stdioConnection() : createConnection(ProposedFeatures.all);

/**
 * Over stdio, messages pass through MessageFraming first, so garbage or a wrong Content-Length
 * costs the messages it hits, not the session. Given streams, vscode-languageserver leaves
 * console alone, so console output is routed to the client here as it would have done: a stray
 * console.log must not corrupt stdout.
 */
function stdioConnection(): ReturnType<typeof createConnection> {
  const framing = new MessageFraming((bytes, reason) => {
    process.stderr.write(`crdb-studio: skipped ${bytes} bytes of input that were not a well-formed LSP message (${reason})\n`);
  });
  const created = createConnection(ProposedFeatures.all, process.stdin.pipe(framing), process.stdout);
  const say =
    (level: 'log' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]): void => {
      created.console[level](args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg))).join(' '));
    };
  console.log = say('log');
  console.debug = say('log');
  console.info = say('info');
  console.warn = say('warn');
  console.error = say('error');
  return created;
}
const workspace = new Workspace();
// Each incremental change is told to the workspace (as offsets, before it is made) so that the
// next split of the document starts from where it changed instead of comparing whole texts. An
// open document's text is kept in chunks: a keystroke does not copy the whole text.
const documents = new TextDocuments<TextDocument>({
  create: (uri, languageId, version, content) => new ChunkedDocument(uri, languageId, version, content),
  update: (document, changes, version) => {
    const tell = (start: number, end: number, inserted: number): void => {
      workspace.edit(document.uri, start, end, inserted);
    };
    if (!(document instanceof ChunkedDocument)) return updateTelling(document, changes, version, tell);
    document.update(changes, version, tell);
    return document;
  },
});
workspace.onSkipped = (uri, bytes) => {
  const megabytes = (bytes / (1024 * 1024)).toFixed(1);
  connection.console.info(
    `crdb-studio: not analysing ${uri} (${megabytes} MB, over the ${MAX_ANALYSED_BYTES / (1024 * 1024)} MB limit): no diagnostics, and later files do not see its schema`,
  );
};
const published = new Map<string, { version: number; findings: LintFinding[]; diagnostics: Diagnostic[]; encoder: DiagnosticsEncoder }>();
const timers = new Map<string, NodeJS.Timeout>();
let watchFiles = false;
/**
 * Clients that pull diagnostics (LSP 3.17 textDocument/diagnostic: VS Code) ask for them when
 * they want them and get `unchanged` when nothing moved; the others (Neovim 0.7) are sent them
 * after each pause in typing.
 */
let pullDiagnostics = false;
let refreshTimer: NodeJS.Timeout | undefined;
/** Open documents whose diagnostics may no longer hold (their text or what they build on changed). */
const stale = new Set<string>();

let formatKeywordCase: NonNullable<ServerSettings['formatKeywordCase']> = 'upper';

function readSettings(raw: unknown): ServerSettings {
  const candidate = (raw ?? {}) as Partial<Record<keyof ServerSettings, unknown>>;
  const version = normaliseCockroachVersion(candidate.cockroachVersion);
  if (candidate.cockroachVersion !== undefined && version === undefined) {
    connection.console.warn(`Ignoring cockroachVersion ${JSON.stringify(candidate.cockroachVersion)}: expected e.g. v25.2`);
  }
  const settings: ServerSettings = {
    cockroachVersion: version ?? DEFAULT_COCKROACH_VERSION,
    cockroachVersionExplicit: candidate.cockroachVersionExplicit === true && version !== undefined,
  };
  if (candidate.rules && typeof candidate.rules === 'object' && !Array.isArray(candidate.rules))
    settings.rules = candidate.rules as Record<string, string>;
  if (candidate.formatKeywordCase === 'upper' || candidate.formatKeywordCase === 'lower' || candidate.formatKeywordCase === 'preserve')
    settings.formatKeywordCase = candidate.formatKeywordCase;
  // The formatter reads it per request; the workspace (lint) does not need it.
  formatKeywordCase = settings.formatKeywordCase ?? 'upper';
  return settings;
}

function validate(uri: string): void {
  const document = documents.get(uri);
  if (!document) return;
  try {
    stale.delete(uri);
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    const result = workspace.lint(uri);
    if (!result) {
      // Not analysed (too large): what was shown for it before no longer holds.
      if (published.delete(uri) && !pullDiagnostics) void connection.sendDiagnostics({ uri, diagnostics: [] });
      return;
    }
    // Diagnostics that still say the same at the same place are not encoded again.
    const encoder = published.get(uri)?.encoder ?? new DiagnosticsEncoder();
    const diagnostics = encoder.encode(document, result.findings, result.change);
    published.set(uri, { version: document.version, findings: result.findings, diagnostics, encoder });
    if (!pullDiagnostics) void connection.sendDiagnostics({ uri, version: document.version, diagnostics });
  } catch (error) {
    // A bug in a rule must not cost the user their editor: report it and keep serving.
    connection.console.error(
      `crdb-studio: linting ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
}

function schedule(uri: string, delay = DEBOUNCE_MS): void {
  stale.add(uri);
  // A pulling client asks when it wants them: linting then, not on a timer, costs one lint an ask.
  if (pullDiagnostics) return;
  clearTimeout(timers.get(uri));
  timers.set(
    uri,
    setTimeout(() => {
      timers.delete(uri);
      validate(uri);
    }, delay),
  );
}

function revalidateAll(): void {
  for (const document of documents.all()) schedule(document.uri);
  if (pullDiagnostics) void connection.languages.diagnostics.refresh();
}

/** The document's lint state, linted again first if it may be out of date. */
function current(uri: string): ReturnType<typeof published.get> {
  if (stale.has(uri) || !published.has(uri)) validate(uri);
  return published.get(uri);
}

connection.languages.diagnostics.on((params): DocumentDiagnosticReport => {
  const state = current(params.textDocument.uri);
  if (!state) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  const resultId = `${state.encoder.resultId}`;
  if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
  return { kind: DocumentDiagnosticReportKind.Full, resultId, items: state.diagnostics };
});

connection.onInitialize((params): InitializeResult => {
  workspace.setSettings(readSettings(params.initializationOptions));
  // rootUri is deprecated in favour of workspaceFolders, but older clients (Neovim 0.7) send only it.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const legacyRoot = params.rootUri;
  const roots = params.workspaceFolders?.map((folder) => folder.uri) ?? (legacyRoot ? [legacyRoot] : []);
  workspace.setRoots(roots);
  watchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  // Pulled only by clients the server can ask to pull again: VS Code's client pulls on open and on
  // refresh, not on change (its diagnosticPullOptions.onChange is off by default), so the server
  // asks after each pause in typing; a client that cannot be asked is sent them instead.
  pullDiagnostics =
    params.capabilities.textDocument?.diagnostic !== undefined && params.capabilities.workspace?.diagnostics?.refreshSupport === true;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['.', ' ', '"'] },
      documentSymbolProvider: true,
      definitionProvider: true,
      documentFormattingProvider: true,
      documentRangeFormattingProvider: true,
      // A document's diagnostics depend on the files before it: the client asks again for the
      // other open documents when one changes (and gets `unchanged` where nothing moved).
      ...(pullDiagnostics ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: false } } : {}),
    },
    serverInfo: { name: 'crdb-studio', version: serverVersion },
  };
});

connection.onInitialized(() => {
  workspace.filesWatched = watchFiles;
  if (watchFiles)
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*.sql' }, { globPattern: '**/.crdb-studio.json' }],
    });
  publishConfigProblems();
});

/** Problems in .crdb-studio.json show in the Problems panel, on the file itself. */
let configUriShown: string | undefined;
function publishConfigProblems(): void {
  if (configUriShown && configUriShown !== workspace.configUri) void connection.sendDiagnostics({ uri: configUriShown, diagnostics: [] });
  configUriShown = workspace.configUri;
  if (!configUriShown) return;
  void connection.sendDiagnostics({
    uri: configUriShown,
    diagnostics: workspace.configProblems.map((problem) => ({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
      severity: DiagnosticSeverity.Error,
      source: 'crdb-studio',
      message: `${problem} — this setting is ignored`,
    })),
  });
}

connection.onDidChangeWatchedFiles((params) => {
  for (const change of params.changes) workspace.fileChanged(change.uri, change.type === FileChangeType.Deleted);
  publishConfigProblems();
  revalidateAll();
});

/** The current target's catalog, as the extension last sent it: completion and hover merge it with the model. */
const liveCatalog = new LiveCatalog();
connection.onNotification(catalogChangedMethod, (params: unknown) => {
  liveCatalog.set(isCatalogSnapshot(params) ? params : undefined);
});

connection.onNotification(settingsChangedMethod, (params: unknown) => {
  workspace.setSettings(readSettings(params));
  revalidateAll();
});

connection.onRequest(serverStatusMethod, (): ServerStatus => ({
  serverVersion,
  cockroachVersion: workspace.config.cockroachVersion,
  ruleCount: allRules.length,
  openDocuments: documents.all().length,
}));

connection.onCodeAction((params) => {
  const document = documents.get(params.textDocument.uri);
  const state = current(params.textDocument.uri);
  if (!document || !state) return [];
  const uri = document.uri;
  return codeActions(document, state.findings, state.diagnostics, params.range, {
    carry: (edits) => {
      // Replaying the workspace only for a fix that retypes a column (few do).
      const file = workspace.file(uri);
      return file && retypesAColumn(file, edits) ? carryTypeChanges(workspace.filesAround(uri), uri, edits) : new Map();
    },
    document: (other) => workspace.documentFor(other),
  });
});

connection.onHover((params) => {
  const document = documents.get(params.textDocument.uri);
  const file = document && workspace.file(document.uri);
  if (!document || !file) return null;
  const offset = document.offsetAt(params.position);
  return hover(
    document,
    file.statements,
    current(document.uri)?.findings ?? [],
    () => workspace.modelAt(document.uri),
    offset,
    liveCatalog,
  );
});

connection.onCompletion((params) => {
  const document = documents.get(params.textDocument.uri);
  const file = document && workspace.file(document.uri);
  if (!document || !file) return [];
  const offset = document.offsetAt(params.position);
  // In a lesson, the prose around the SQL blocks is not SQL.
  if (!workspace.isSqlAt(document.uri, offset)) return [];
  return completion(file.statements, workspace.modelAt(document.uri, offset), offset, liveCatalog);
});

connection.onDocumentSymbol((params) => {
  const document = documents.get(params.textDocument.uri);
  const file = document && workspace.file(document.uri);
  return document && file ? documentSymbols(document, file.statements) : [];
});

connection.onDefinition((params) => {
  const document = documents.get(params.textDocument.uri);
  const file = document && workspace.file(document.uri);
  if (!document || !file) return null;
  const { token } = tokenContext(file.statements, document.offsetAt(params.position));
  if (!token || (token.kind !== 'ident' && token.kind !== 'qident')) return null;
  const model = workspace.modelAt(document.uri);
  const table = model.findTable(token.value);
  const target = table && workspace.documentFor(table.location.uri);
  if (!table || !target) return null;
  return { uri: table.location.uri, range: { start: target.positionAt(table.location.start), end: target.positionAt(table.location.end) } };
});

connection.onDocumentFormatting((params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return [];
  return formattingEdits({ document, options: params.options, keywordCase: formatKeywordCase });
});

connection.onDocumentRangeFormatting((params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return [];
  return formattingEdits({ document, options: params.options, keywordCase: formatKeywordCase, range: params.range });
});

// TextDocuments fires onDidOpen and then onDidChangeContent for an opened document: the one
// just opened is linted at once, the rest (which may build on it) after the usual pause.
let justOpened: string | undefined;
documents.onDidOpen((event) => {
  workspace.open(event.document);
  justOpened = event.document.uri;
});
documents.onDidChangeContent((event) => {
  workspace.change(event.document);
  for (const document of documents.all()) schedule(document.uri, document.uri === justOpened ? 0 : DEBOUNCE_MS);
  justOpened = undefined;
  // A pulling client is told to ask again once typing pauses, for this document and the others
  // that may build on it.
  if (pullDiagnostics) {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void connection.languages.diagnostics.refresh(), DEBOUNCE_MS);
  }
});
documents.onDidClose((event) => {
  clearTimeout(timers.get(event.document.uri));
  stale.delete(event.document.uri);
  workspace.close(event.document.uri);
  published.delete(event.document.uri);
  void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
});
documents.listen(connection);
connection.listen();
