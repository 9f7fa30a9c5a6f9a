// Which server the topology reads: CockroachDB, or a plain PostgreSQL that has no ranges or
// regions (its `version()` names PostgreSQL and not CockroachDB).
import type { Reader } from './reader';

/**
 * The sentence the view shows instead of a picture when the server is not CockroachDB, or
 * undefined when it is (or when `version()` says nothing either way: then reading goes on and
 * each statement that fails says why).
 */
export function notCockroachSentence(version: string | null | undefined): string | undefined {
  const text = (version ?? '').trim();
  if (text === '' || /cockroachdb/i.test(text)) return undefined;
  const postgres = /^PostgreSQL\s+(\d+(?:\.\d+)?)/i.exec(text);
  if (postgres) return `This server is PostgreSQL ${postgres[1] ?? ''}, not CockroachDB: it has no ranges or regions to show.`;
  const first = text.split(/[\s,]/)[0] ?? text;
  return `This server is ${first}, not CockroachDB: it has no ranges or regions to show.`;
}

/** Reads `version()`; a server that refuses it is taken for CockroachDB and read as usual. */
export async function readServerSentence(reader: Reader): Promise<string | undefined> {
  const result = await reader.read('SELECT version() AS version');
  if (!result.ok) return undefined;
  return notCockroachSentence(result.rows[0]?.version);
}

/** The node serving this connection (the gateway), when the server says. */
export async function readGatewayNode(reader: Reader): Promise<number | undefined> {
  const result = await reader.read('SELECT crdb_internal.node_id() AS node_id');
  if (!result.ok) return undefined;
  const id = Number(result.rows[0]?.node_id);
  return Number.isInteger(id) && id > 0 ? id : undefined;
}
