// The ycsb workload, like `cockroach workload init|run ycsb` (pkg/workload/ycsb): the Yahoo! Cloud
// Serving Benchmark over one table, ycsb.usertable, keyed `user<n>` where n is the FNV-1 64-bit
// hash of the row's index (so consecutive rows scatter over the key space), with ten 100-letter
// text fields. A run mixes reads, single-field updates, inserts of new rows, short scans and
// read-modify-writes in the proportions the --workload letter names (A–F, or CUSTOM with the
// --*-freq flags); the keys it reads follow a zipfian distribution (the latest rows for D).
import type { SqlClient } from './bank';
import { seededRandom } from './movr';

export const FIELD_COUNT = 10;
const FIELD_LENGTH = 100;
const INIT_BATCH_ROWS = 200;

export type YcsbOp = 'read' | 'update' | 'insert' | 'scan' | 'readModifyWrite' | 'delete';

/** The share of each operation a workload letter runs (workload's Validate hook). */
export type YcsbMix = Record<YcsbOp, number>;

const NO_OPS: YcsbMix = { read: 0, update: 0, insert: 0, scan: 0, readModifyWrite: 0, delete: 0 };

export const YCSB_MIXES: Readonly<Record<string, YcsbMix>> = {
  A: { ...NO_OPS, read: 0.5, update: 0.5 },
  B: { ...NO_OPS, read: 0.95, update: 0.05 },
  C: { ...NO_OPS, read: 1 },
  D: { ...NO_OPS, read: 0.95, insert: 0.05 },
  E: { ...NO_OPS, scan: 0.95, insert: 0.05 },
  F: { ...NO_OPS, read: 0.5, readModifyWrite: 0.5 },
};

/** Workloads whose rows are best kept one column family per field (workload's preferColumnFamilies). */
const FAMILIES_BY_DEFAULT = new Set(['A', 'B', 'F', 'CUSTOM']);

export interface YcsbConfig {
  /** A–F or CUSTOM (upper-cased). */
  workload: string;
  mix: YcsbMix;
  distribution: 'zipfian' | 'uniform' | 'latest';
  families: boolean;
  json: boolean;
  insertHash: boolean;
  zeroPadding: number;
  insertStart: number;
  insertCount: number;
  recordCount: number;
  minScanLength: number;
  maxScanLength: number;
  splits: number;
  seed: number;
}

export interface YcsbFlags {
  workload?: string;
  requestDistribution?: string;
  families?: boolean;
  json?: boolean;
  insertHash?: boolean;
  zeroPadding?: number;
  insertStart?: number;
  insertCount?: number;
  recordCount?: number;
  minScanLength?: number;
  maxScanLength?: number;
  splits?: number;
  seed?: number;
  /** --read-freq, --update-freq…, only with --workload=CUSTOM. */
  freqs?: Partial<YcsbMix>;
}

/** The flags checked and defaulted as workload does; a string is workload's error. */
export function ycsbConfig(flags: YcsbFlags = {}): YcsbConfig | string {
  const workload = (flags.workload ?? 'B').toUpperCase();
  const freqs = { ...NO_OPS, ...flags.freqs };
  const sum = Object.values(freqs).reduce((a, b) => a + b, 0);
  let mix: YcsbMix;
  if (workload === 'CUSTOM') {
    if (Math.abs(sum - 1) > 1e-6) return 'Custom workload frequencies do not sum to 1.0';
    mix = freqs;
  } else {
    if (sum !== 0) return 'Custom workload frequencies set with non-custom workload';
    const known = YCSB_MIXES[workload];
    if (known === undefined) return `Unknown workload: "${workload}"`;
    mix = known;
  }
  const distribution = (flags.requestDistribution ?? (workload === 'D' ? 'latest' : 'zipfian')).toLowerCase();
  if (distribution !== 'zipfian' && distribution !== 'uniform' && distribution !== 'latest')
    return `Unknown request distribution: ${flags.requestDistribution ?? ''}`;
  const insertStart = flags.insertStart ?? 0;
  const insertCount = flags.insertCount ?? 10_000;
  const recordCount = flags.recordCount || insertStart + insertCount;
  if (insertStart + insertCount > recordCount)
    return `insertStart + insertCount (${insertStart + insertCount}) must be <= recordCount (${recordCount})`;
  return {
    workload,
    mix,
    distribution,
    families: flags.families ?? FAMILIES_BY_DEFAULT.has(workload),
    json: flags.json ?? false,
    insertHash: flags.insertHash ?? true,
    zeroPadding: flags.zeroPadding ?? 1,
    insertStart,
    insertCount,
    recordCount,
    minScanLength: flags.minScanLength ?? 1,
    maxScanLength: flags.maxScanLength ?? 1000,
    splits: flags.splits ?? 0,
    seed: flags.seed ?? 1,
  };
}

const FNV_OFFSET = 14695981039346656037n;
const FNV_PRIME = 1099511628211n;
const MASK64 = (1n << 64n) - 1n;
/** binary.MaxVarintLen64: the key is hashed as a zero-padded buffer of this many bytes. */
const VARINT_BUFFER = 10;

/** FNV-1 (64-bit) of the row index written as an unsigned varint into a 10-byte buffer. */
export function hashKey(index: bigint): bigint {
  const buffer = new Array<number>(VARINT_BUFFER).fill(0);
  let rest = index;
  for (let i = 0; i < VARINT_BUFFER; i++) {
    if (rest < 0x80n) {
      buffer[i] = Number(rest);
      break;
    }
    buffer[i] = Number((rest & 0x7fn) | 0x80n);
    rest >>= 7n;
  }
  let hash = FNV_OFFSET;
  for (const byte of buffer) hash = ((hash * FNV_PRIME) & MASK64) ^ BigInt(byte);
  return hash;
}

/** `user<hash>`, or `user<index>` zero-padded when --insert-hash=false. */
export function keyName(index: number, config: Pick<YcsbConfig, 'insertHash' | 'zeroPadding'>): string {
  if (config.insertHash) return `user${hashKey(BigInt(index)).toString()}`;
  return `user${String(index).padStart(config.zeroPadding, '0')}`;
}

/** The split points of --splits: evenly spaced hashes over the 64-bit space. */
export function splitKeys(splits: number): string[] {
  const step = MASK64 / BigInt(splits + 1);
  return Array.from({ length: splits }, (_, i) => `user${(step * BigInt(i + 1)).toString()}`);
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

function randomLetters(next: () => number, length = FIELD_LENGTH): string {
  let text = '';
  for (let i = 0; i < length; i++) text += LETTERS[Math.floor(next() * LETTERS.length)] ?? 'a';
  return text;
}

/** The usertable's columns: relational (one family per column, or one family), or one JSONB field. */
export function usertableSchema(config: Pick<YcsbConfig, 'json' | 'families'>): string {
  if (config.json) return '(ycsb_key VARCHAR(255) PRIMARY KEY NOT NULL, FIELD JSONB)';
  const fields = Array.from({ length: FIELD_COUNT }, (_, i) => `FIELD${i} TEXT NOT NULL`);
  const families = config.families ? ['FAMILY (ycsb_key)', ...Array.from({ length: FIELD_COUNT }, (_, i) => `FAMILY (FIELD${i})`)] : [];
  return `(${['ycsb_key VARCHAR(255) PRIMARY KEY NOT NULL', ...fields, ...families].join(', ')})`;
}

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** What init did: the rows loaded, and a note when the cluster could not split the table. */
export interface YcsbInit {
  rows: number;
  note?: string;
}

/** Creates ycsb.usertable with --insert-count rows (and its --splits). */
export async function initYcsb(client: SqlClient, config: YcsbConfig, options: { drop?: boolean } = {}): Promise<YcsbInit> {
  if (options.drop) await client.query('DROP DATABASE IF EXISTS ycsb CASCADE');
  await client.query('CREATE DATABASE IF NOT EXISTS ycsb');
  await client.query(`CREATE TABLE ycsb.usertable ${usertableSchema(config)}`);
  for (let begin = 0; begin < config.insertCount; begin += INIT_BATCH_ROWS) {
    const end = Math.min(config.insertCount, begin + INIT_BATCH_ROWS);
    const next = seededRandom(config.seed * 7919 + begin);
    const rows: string[] = [];
    for (let row = begin; row < end; row++) {
      const key = quote(keyName(config.insertStart + row, config));
      rows.push(
        config.json ? `(${key}, '{}')` : `(${key}, ${Array.from({ length: FIELD_COUNT }, () => quote(randomLetters(next))).join(', ')})`,
      );
    }
    await client.query(`INSERT INTO ycsb.usertable VALUES ${rows.join(', ')}`);
  }
  if (config.splits > 0) {
    const points = splitKeys(config.splits).map((k) => `(${quote(k)})`);
    try {
      await client.query(`ALTER TABLE ycsb.usertable SPLIT AT VALUES ${points.join(', ')}`);
    } catch (error) {
      // Splits only place range boundaries: a cluster that cannot make them still has the data.
      const message = error instanceof Error ? error.message : String(error);
      if (!message.includes('not supported')) throw error;
      return { rows: config.insertCount, note: `(--splits=${config.splits} not applied: ${message})` };
    }
  }
  return { rows: config.insertCount };
}

/**
 * Draws row indexes from a zipfian distribution (Gray et al., as YCSB does, θ = 0.99): index 0 is
 * the hottest. workload draws from a very large range and takes it modulo the row count; here
 * the range is the row count itself, which keeps the same skew without summing 10¹⁰ terms.
 */
export class ZipfGenerator {
  private readonly theta = 0.99;
  private items = 0;
  private zetaN = 0;
  private readonly zeta2: number;

  constructor(
    private readonly next: () => number,
    items: number,
  ) {
    this.zeta2 = 1 + 0.5 ** this.theta;
    this.grow(items);
  }

  /** The row count grew (inserts acknowledged): extend ζ(n) incrementally. */
  grow(items: number): void {
    for (let i = this.items + 1; i <= items; i++) this.zetaN += 1 / i ** this.theta;
    this.items = Math.max(this.items, items);
  }

  draw(): number {
    const n = this.items;
    if (n <= 1) return 0;
    const alpha = 1 / (1 - this.theta);
    const eta = (1 - (2 / n) ** (1 - this.theta)) / (1 - this.zeta2 / this.zetaN);
    const u = this.next();
    const uz = u * this.zetaN;
    if (uz < 1) return 0;
    if (uz < 1 + 0.5 ** this.theta) return 1;
    return Math.min(n - 1, Math.floor(n * (eta * u - eta + 1) ** alpha));
  }
}

/** What a run keeps between operations: the next row to insert and the rows acknowledged. */
export class YcsbRun {
  private nextInsert: number;
  private rowCount: number;
  private readonly zipf: ZipfGenerator;
  private readonly next: () => number;
  readonly counts: Record<YcsbOp, number> = { ...NO_OPS };

  constructor(readonly config: YcsbConfig) {
    this.nextInsert = config.recordCount;
    this.rowCount = config.recordCount;
    this.next = seededRandom(config.seed * 104_729 + 17);
    this.zipf = new ZipfGenerator(this.next, config.recordCount);
  }

  /** The operation the mix draws (workload's chooseOp order: update, insert, rmw, delete, scan, else read). */
  chooseOp(): YcsbOp {
    let p = this.next();
    const { mix } = this.config;
    for (const op of ['update', 'insert', 'readModifyWrite', 'delete', 'scan'] as const) {
      if (p <= mix[op] && mix[op] > 0) return op;
      p -= mix[op];
    }
    return 'read';
  }

  private readKey(): string {
    const n = this.rowCount;
    let index: number;
    if (this.config.distribution === 'uniform') index = Math.floor(this.next() * n);
    else if (this.config.distribution === 'latest') index = n - 1 - (this.zipf.draw() % n);
    else index = this.zipf.draw() % n;
    return keyName(index, this.config);
  }

  private field(): number {
    return Math.floor(this.next() * FIELD_COUNT);
  }

  /** Runs one operation of the mix; returns its name (the histogram workload records it under). */
  async step(client: SqlClient): Promise<YcsbOp> {
    const op = this.chooseOp();
    this.counts[op]++;
    const { json } = this.config;
    switch (op) {
      case 'read':
        await client.query(`SELECT * FROM ycsb.usertable WHERE ycsb_key = ${quote(this.readKey())}`);
        break;
      case 'scan': {
        const { minScanLength: min, maxScanLength: max } = this.config;
        const length = min + Math.floor(this.next() * (max - min + 1));
        await client.query(`SELECT * FROM ycsb.usertable WHERE ycsb_key >= ${quote(this.readKey())} LIMIT ${length}`);
        break;
      }
      case 'delete':
        await client.query(`DELETE FROM ycsb.usertable WHERE ycsb_key = ${quote(this.readKey())}`);
        break;
      case 'update':
        await this.update(client, this.readKey(), this.field(), json);
        break;
      case 'readModifyWrite': {
        const key = this.readKey();
        const field = this.field();
        await client.query(
          json
            ? `SELECT field->>'field${field}' FROM ycsb.usertable WHERE ycsb_key = ${quote(key)}`
            : `SELECT field${field} FROM ycsb.usertable WHERE ycsb_key = ${quote(key)}`,
        );
        await this.update(client, key, field, json);
        break;
      }
      case 'insert': {
        const index = this.nextInsert++;
        const values = Array.from({ length: FIELD_COUNT }, () => randomLetters(this.next));
        const key = quote(keyName(index, this.config));
        const retryIndex = (error: unknown): never => {
          // A unique violation means the row is there already: move on. Anything else retries the key.
          if ((error as { code?: string }).code !== '23505') this.nextInsert = Math.min(this.nextInsert, index);
          throw error;
        };
        await client
          .query(
            json
              ? `INSERT INTO ycsb.usertable VALUES (${key}, ${quote(JSON.stringify(Object.fromEntries(values.map((v, i) => [`field${i}`, v]))))})`
              : `INSERT INTO ycsb.usertable VALUES (${key}, ${values.map(quote).join(', ')})`,
          )
          .catch(retryIndex);
        this.rowCount = Math.max(this.rowCount, index + 1);
        this.zipf.grow(this.rowCount);
        break;
      }
    }
    return op;
  }

  private async update(client: SqlClient, key: string, field: number, json: boolean): Promise<void> {
    const value = randomLetters(this.next);
    await client.query(
      json
        ? `UPDATE ycsb.usertable SET field = field || ${quote(JSON.stringify({ [`field${field}`]: value }))} WHERE ycsb_key = ${quote(key)}`
        : `UPDATE ycsb.usertable SET field${field} = ${quote(value)} WHERE ycsb_key = ${quote(key)}`,
    );
  }
}
