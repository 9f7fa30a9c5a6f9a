// crdb-studio language server over stdio or node IPC. Platform-free: any LSP client works.
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lint, rules } from './lint/engine';
import {
  DEFAULT_COCKROACH_VERSION,
  normaliseCockroachVersion,
  serverStatusMethod,
  settingsChangedMethod,
  type ServerSettings,
  type ServerStatus,
} from './protocol';

declare const SERVER_VERSION: string | undefined;
const serverVersion = typeof SERVER_VERSION === 'string' ? SERVER_VERSION : 'dev';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let settings: ServerSettings = { cockroachVersion: DEFAULT_COCKROACH_VERSION };

function applySettings(raw: unknown): void {
  const candidate = (raw ?? {}) as Partial<Record<keyof ServerSettings, unknown>>;
  const version = normaliseCockroachVersion(candidate.cockroachVersion);
  if (candidate.cockroachVersion !== undefined && version === undefined) {
    connection.console.warn(`Ignoring cockroachVersion ${JSON.stringify(candidate.cockroachVersion)}: expected e.g. v25.2`);
  }
  settings = { cockroachVersion: version ?? DEFAULT_COCKROACH_VERSION };
}

function validate(document: TextDocument): void {
  const diagnostics = lint({ text: document.getText(), cockroachVersion: settings.cockroachVersion });
  void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
}

connection.onInitialize((params): InitializeResult => {
  applySettings(params.initializationOptions);
  return {
    capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
    serverInfo: { name: 'crdb-studio', version: serverVersion },
  };
});

connection.onNotification(settingsChangedMethod, (params: unknown) => {
  applySettings(params);
  documents.all().forEach(validate);
});

connection.onRequest(serverStatusMethod, (): ServerStatus => ({
  serverVersion,
  cockroachVersion: settings.cockroachVersion,
  ruleCount: rules.length,
  openDocuments: documents.all().length,
}));

documents.onDidChangeContent((change) => {
  validate(change.document);
});
documents.onDidClose((event) => void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] }));
documents.listen(connection);
connection.listen();
