// Localities as CockroachDB writes them: a node's `region=…,az=…` tiers and a table's LOCALITY
// clause (what SHOW TABLES and SHOW CREATE TABLE print).
import { quoteIdent } from './names';

/** A node's place: its region and availability zone ('' when it has none). */
export interface NodeLocality {
  region: string;
  zone: string;
}

/** A table's locality, without source positions (the AST's `Locality` carries those). */
export type TableLocalitySpec =
  { kind: 'regional-by-table'; region?: string } | { kind: 'regional-by-row'; as?: string } | { kind: 'global' };

/** `region=us-east1,az=b`, as `cockroach demo` and crdb_internal print a node's locality. */
export function nodeLocalityText(locality: NodeLocality): string {
  return `region=${locality.region},az=${locality.zone}`;
}

/** A locality string, `region=us-east1,az=b` or `cloud=gce,region=us-east1,zone=us-east1-b`. */
export function parseNodeLocality(text: string | null | undefined): NodeLocality {
  const tiers = new Map<string, string>();
  for (const tier of (text ?? '').split(',')) {
    const eq = tier.indexOf('=');
    if (eq > 0) tiers.set(tier.slice(0, eq).trim(), tier.slice(eq + 1).trim());
  }
  return { region: tiers.get('region') ?? '', zone: tiers.get('az') ?? tiers.get('zone') ?? '' };
}

/** The LOCALITY clause's text: `GLOBAL`, `REGIONAL BY ROW [AS col]`, `REGIONAL BY TABLE IN PRIMARY REGION | IN "region"`. */
export function tableLocalityText(locality: TableLocalitySpec): string {
  if (locality.kind === 'global') return 'GLOBAL';
  if (locality.kind === 'regional-by-row')
    return locality.as === undefined ? 'REGIONAL BY ROW' : `REGIONAL BY ROW AS ${quoteIdent(locality.as)}`;
  return locality.region === undefined ? 'REGIONAL BY TABLE IN PRIMARY REGION' : `REGIONAL BY TABLE IN ${quoteIdent(locality.region)}`;
}
