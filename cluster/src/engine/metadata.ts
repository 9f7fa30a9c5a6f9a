// What the simulator knows beyond the engine's own tables, kept inside the engine when the cluster
// has a store: the catalog (regions, localities, zones, settings, descriptor IDs) and the topology
// (nodes and their membership). Ranges are not kept: they are laid out again from these. Written
// in the same engine transaction as the DDL it describes, a kill at any moment finds the two
// agreeing; the in-memory cluster never writes it.
import type { PGlite } from '@electric-sql/pglite';
import { quoteLiteral } from '../../../sql/src/names';
import type { NodeLocality } from '../../../sql/src/locality';
import type { Membership } from '../model/state';
import type { SavedCatalog } from '../sql/catalog';

export interface SavedNode {
  locality: NodeLocality;
  membership: Membership;
}

export interface SavedCluster {
  /** METADATA_FORMAT when written: bumped when the shape changes, so an older store is refused rather than misread. */
  format: number;
  seed: number;
  nodes: SavedNode[];
  catalog: SavedCatalog;
}

export const METADATA_FORMAT = 1;

const TABLE = 'crdb_internal.studio_metadata';

export const CREATE_METADATA_TABLE = `CREATE TABLE IF NOT EXISTS ${TABLE} (id int4 PRIMARY KEY, state text NOT NULL)`;

/** The statement that records `state` (serialized). */
export function writeMetadataSql(state: string): string {
  return `INSERT INTO ${TABLE} (id, state) VALUES (1, ${quoteLiteral(state)}) ON CONFLICT (id) DO UPDATE SET state = excluded.state`;
}

/** What a store holds, or undefined for a store never written (a first start). */
export async function readMetadata(engine: PGlite): Promise<SavedCluster | undefined> {
  const result = await engine.query<{ state: string }>(`SELECT state FROM ${TABLE} WHERE id = 1`);
  const text = result.rows[0]?.state;
  if (text === undefined) return undefined;
  const saved = JSON.parse(text) as SavedCluster;
  if (saved.format !== METADATA_FORMAT)
    throw new Error(`the store was written in format ${String(saved.format)}, this version reads ${METADATA_FORMAT}`);
  return saved;
}
