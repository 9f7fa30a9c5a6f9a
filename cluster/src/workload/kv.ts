// The kv workload, like `cockroach workload init|run kv` (pkg/workload/kv): one table of int8
// keys and byte values, written with UPSERT at random keys and read with point lookups, in the
// proportion --read-percent sets (0 by default: writes only).
import type { SqlClient } from './bank';
import { seededRandom } from './movr';

export const KV_SCHEMA = '(k INT8 NOT NULL PRIMARY KEY, v BYTES NOT NULL)';

export async function initKv(client: SqlClient, options: { drop?: boolean } = {}): Promise<void> {
  await client.query('CREATE DATABASE IF NOT EXISTS kv');
  if (options.drop) await client.query('DROP TABLE IF EXISTS kv.kv');
  await client.query(`CREATE TABLE IF NOT EXISTS kv.kv ${KV_SCHEMA}`);
}

export interface KvOptions {
  readPercent?: number;
  /** Value size in bytes (--min-block-bytes/--max-block-bytes; 1 by default). */
  blockBytes?: number;
  seed?: number;
}

/** One kv operation: 'read' or 'write', chosen by --read-percent. */
export function kvOperation(index: number, options: KvOptions = {}): { kind: 'read' | 'write'; run: (client: SqlClient) => Promise<void> } {
  const next = seededRandom((options.seed ?? 1) * 100_003 + index);
  const key = Math.floor((next() - 0.5) * 2 ** 52);
  if (next() * 100 < (options.readPercent ?? 0))
    return {
      kind: 'read',
      run: async (client) => {
        await client.query(`SELECT k, v FROM kv.kv WHERE k IN (${key})`);
      },
    };
  const bytes = Array.from({ length: Math.max(1, options.blockBytes ?? 1) }, () =>
    Math.floor(next() * 256)
      .toString(16)
      .padStart(2, '0'),
  ).join('');
  return {
    kind: 'write',
    run: async (client) => {
      await client.query(`UPSERT INTO kv.kv (k, v) VALUES (${key}, '\\x${bytes}')`);
    },
  };
}
