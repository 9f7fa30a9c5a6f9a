// The one place that reads crdb-studio settings. A host test checks that these keys are exactly
// the manifest's `contributes.configuration` keys and that each one is read here.
import * as vscode from 'vscode';
import { DEFAULT_COCKROACH_VERSION, normaliseCockroachVersion, type ServerSettings } from '../../server/src/protocol';

export const SECTION = 'crdbStudio';

/** Keys read by this module. */
export const READ_SETTINGS = ['cockroachVersion', 'rules'] as const;

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
  return {
    cockroachVersion: cockroachVersion ?? DEFAULT_COCKROACH_VERSION,
    cockroachVersionExplicit: explicit && cockroachVersion !== undefined,
    rules,
  };
}

export function affectsServerSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return READ_SETTINGS.some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
}
