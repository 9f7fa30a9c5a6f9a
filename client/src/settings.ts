// The one place that reads crdb-studio settings. A host test checks that these keys are exactly
// the manifest's `contributes.configuration` keys and that each one is read here.
import * as vscode from 'vscode';
import { DEFAULT_COCKROACH_VERSION, normaliseCockroachVersion, type ServerSettings } from '../../protocol/src/languageServer';

export const SECTION = 'crdbStudio';

/** Keys read by this module. */
export const READ_SETTINGS = [
  'cockroachVersion',
  'rules',
  'connections',
  'run.pageSize',
  'run.statementTimeout',
  'run.retryImplicitTransactions',
  'run.confirmDestructive',
  'simulatedCluster.storeDirectory',
  'format.keywordCase',
  'walkthrough.openOnFirstRun',
] as const;

/**
 * Keys read by a library on our behalf: vscode-languageclient reads `<client id>.trace.server`,
 * so the client id must stay equal to SECTION.
 */
export const LIBRARY_SETTINGS = ['trace.server'] as const;

export function readServerSettings(scope?: vscode.ConfigurationScope): ServerSettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const cockroachVersion = normaliseCockroachVersion(config.get<string>('cockroachVersion'));
  // Whether the user chose a version; if not, a .crdb-studio.json may.
  const inspected = config.inspect<string>('cockroachVersion');
  const explicit = [inspected?.globalValue, inspected?.workspaceValue, inspected?.workspaceFolderValue].some(
    (value) => value !== undefined,
  );
  const rules = config.get<Record<string, string>>('rules') ?? {};
  const keywordCase = config.get<string>('format.keywordCase');
  return {
    cockroachVersion: cockroachVersion ?? DEFAULT_COCKROACH_VERSION,
    cockroachVersionExplicit: explicit && cockroachVersion !== undefined,
    rules,
    formatKeywordCase: keywordCase === 'lower' || keywordCase === 'preserve' ? keywordCase : 'upper',
  };
}

/**
 * Whether the walkthrough may open by itself on the first start. VS Code's own setting is
 * machine-scoped, which a remote extension host (code-server) does not see in the user's
 * settings: crdb-studio's setting says the same where that one cannot.
 */
export function walkthroughOpensOnFirstRun(): boolean {
  return (
    vscode.workspace.getConfiguration(SECTION).get<boolean>('walkthrough.openOnFirstRun', true) &&
    vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true)
  );
}

export function affectsServerSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return READ_SETTINGS.some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
}

export interface RunSettings {
  /** Rows per page of a result (more load on demand). */
  pageSize: number;
  /** Seconds; 0: no timeout. */
  statementTimeoutSeconds: number;
  retryImplicitTransactions: boolean;
  confirmDestructive: boolean;
}

export function readRunSettings(): RunSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const pageSize = config.get<number>('run.pageSize') ?? 500;
  const timeout = config.get<number>('run.statementTimeout') ?? 0;
  return {
    pageSize: Number.isInteger(pageSize) && pageSize > 0 ? Math.min(pageSize, 10_000) : 500,
    statementTimeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : 0,
    retryImplicitTransactions: config.get<boolean>('run.retryImplicitTransactions') ?? true,
    confirmDestructive: config.get<boolean>('run.confirmDestructive') ?? true,
  };
}

/**
 * Connection profiles. In a restricted (untrusted) workspace only the user's own settings are
 * read: a workspace must not point the editor at a server before the user trusts it.
 */
export function readConnectionProfiles(): unknown[] {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown[]>('connections');
  const value = vscode.workspace.isTrusted
    ? vscode.workspace.getConfiguration(SECTION).get<unknown[]>('connections')
    : inspected?.globalValue;
  return Array.isArray(value) ? value : [];
}
