// Which failures leave a hole in the topology picture and which end the reading: a statement the
// server refused (a SQLSTATE) is one missing part; a lost connection (no SQLSTATE, or class 08)
// means nothing more can be read.

/** The SQLSTATE an error carries, if it carries one. */
export function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** True when the server answered with an error for this statement only. */
export function isStatementError(error: unknown): boolean {
  const code = codeOf(error);
  // 57P01–57P03: the server is shutting down or not accepting connections.
  return code !== undefined && !code.startsWith('08') && !code.startsWith('57P');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Why a statement gave nothing, in a few words for a sentence in `missing`. `needs` names the
 * privilege a permission error asks for, e.g. 'needs the admin role'.
 */
export function reasonOf(error: unknown, needs?: string): string {
  const code = codeOf(error) ?? '';
  const message = messageOf(error);
  if (code === '42501') return needs === undefined ? 'permission denied' : `permission denied — ${needs}`;
  if (code === '0A000') {
    return /not supported by the simulated cluster/i.test(message) ? 'not supported by the simulated cluster' : `not supported: ${message}`;
  }
  // An unknown table, column, function or syntax: an older (or newer) CockroachDB than this reader.
  if (code === '42P01' || code === '42703' || code === '42883' || code === '42601' || code === '42704') {
    return `not available on this CockroachDB version: ${message}`;
  }
  return `${message} (SQLSTATE ${code})`;
}

/** True when no statement of this kind will work on this cluster, so trying the next table is pointless. */
export function isSystemic(error: unknown): boolean {
  const code = codeOf(error);
  return code === '0A000' || code === '42601' || code === '42883';
}
