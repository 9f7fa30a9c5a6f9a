// Custom messages between the extension (client) and the language server, written once and
// imported by both sides. Standard LSP messages need no entry here. Plain method names and
// types (no library import), because client and server link different protocol library builds.

/** Options the client passes in `initialize` and again on every configuration change. */
export interface ServerSettings {
  /** Target CockroachDB version, normalised to `vMAJOR.MINOR`. */
  cockroachVersion: string;
  /** Set when the user chose the version in the editor; otherwise .crdb-studio.json may. */
  cockroachVersionExplicit?: boolean;
  /** Per-rule severity or "off", from the editor settings (crdbStudio.rules). */
  rules?: Record<string, string>;
  /** How the formatter writes keywords (crdbStudio.format.keywordCase); upper when absent. */
  formatKeywordCase?: 'upper' | 'lower' | 'preserve';
}

export interface ServerStatus {
  serverVersion: string;
  cockroachVersion: string;
  ruleCount: number;
  openDocuments: number;
}

/** client → server request, no params, answers ServerStatus: what the server runs with. */
export const serverStatusMethod = 'crdbStudio/serverStatus';

/** client → server notification, params ServerSettings: the settings changed. */
export const settingsChangedMethod = 'crdbStudio/settingsChanged';

export const DEFAULT_COCKROACH_VERSION = 'v25.2';

/** Accepts `25.2`, `v25.2`, `v25.2.1`; returns `v25.2`, or undefined for anything else. */
export function normaliseCockroachVersion(input: unknown): string | undefined {
  if (typeof input !== 'string') return undefined;
  const match = /^\s*v?(\d{1,3})\.(\d{1,2})(?:\.\d+)?\s*$/.exec(input);
  return match ? `v${match[1]}.${match[2]}` : undefined;
}
