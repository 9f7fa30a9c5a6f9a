// `cockroach node status` from SQL: the same columns, computed from crdb_internal tables, so
// it works over any SQL connection (the simulated cluster's, or a real cluster's).

export type QueryRows = (sql: string) => Promise<Record<string, string | null>[]>;

export interface NodeStatusOptions {
  ranges?: boolean;
  decommission?: boolean;
  all?: boolean;
}

export interface Table {
  columns: string[];
  rows: string[][];
  /**
   * Per column, as CockroachDB's table printer takes it: l(eft), r(ight) or c(enter); headers are
   * then centred. Without it every column is left-aligned.
   */
  align?: string;
}

const GOSSIP = `SELECT g.node_id::text AS id, g.address, g.sql_address, g.build_tag AS build, g.started_at::text AS started_at,
  now()::timestamp::text AS updated_at, g.locality, g.is_live::text AS is_live, coalesce(l.decommissioning, false)::text AS decommissioning,
  coalesce(l.membership, 'active') AS membership, coalesce(l.draining, false)::text AS draining
  FROM crdb_internal.gossip_nodes g LEFT JOIN crdb_internal.gossip_liveness l ON l.node_id = g.node_id ORDER BY g.node_id`;

const RANGES = `SELECT range_id::text AS range_id, lease_holder::text AS lease_holder, array_to_string(replicas, ',') AS replicas,
  array_to_string(voting_replicas, ',') AS voters FROM crdb_internal.ranges`;

export async function nodeStatus(query: QueryRows, options: NodeStatusOptions = {}): Promise<Table> {
  let nodes = await query(GOSSIP);
  const withRanges = options.ranges === true || options.all === true;
  const withDecommission = options.decommission === true || options.all === true;
  const ranges = withRanges || withDecommission ? await query(RANGES) : [];
  // Without --decommission (or --all), nodes that left the cluster are not listed: only members and nodes still live.
  if (!withDecommission) nodes = nodes.filter((n) => n.membership === 'active' || n.membership === null || n.is_live === 'true');
  const live = new Set(nodes.filter((n) => n.is_live === 'true').map((n) => n.id));
  const columns = ['id', 'address', 'sql_address', 'build', 'started_at', 'updated_at', 'locality', 'is_available', 'is_live'];
  if (withRanges) columns.push('replicas_leaders', 'replicas_leaseholders', 'ranges', 'ranges_unavailable', 'ranges_underreplicated');
  if (withDecommission) columns.push('gossiped_replicas', 'is_decommissioning', 'membership', 'is_draining');
  const rows = nodes.map((node) => {
    const id = node.id ?? '';
    const row = [
      id,
      node.address ?? '',
      node.sql_address ?? '',
      node.build ?? '',
      node.started_at ?? '',
      node.updated_at ?? '',
      node.locality ?? '',
      node.is_live ?? 'false',
      node.is_live ?? 'false',
    ];
    const replicas = ranges.filter((r) => (r.replicas ?? '').split(',').includes(id));
    if (withRanges) {
      const leases = ranges.filter((r) => r.lease_holder === id).length;
      const unavailable = ranges
        .filter((r) => r.lease_holder === id || (r.voters ?? '').split(',')[0] === id)
        .filter((r) => {
          const voters = (r.voters ?? '').split(',').filter((v) => v !== '');
          return voters.filter((v) => live.has(v)).length * 2 <= voters.length;
        }).length;
      const under = replicas.filter((r) => (r.replicas ?? '').split(',').some((v) => !live.has(v))).length;
      // The leaseholder leads Raft in a steady cluster: leaders and leaseholders coincide.
      row.push(String(leases), String(leases), String(replicas.length), String(unavailable), String(under));
    }
    if (withDecommission)
      row.push(String(replicas.length), node.decommissioning ?? 'false', node.membership ?? 'active', node.draining ?? 'false');
    return row;
  });
  // cli/node.go getStatusNodeAlignment: id right, the rest of the base columns left, counts right.
  const align = `r${'l'.repeat(8)}${withRanges ? 'rrrrr' : ''}${withDecommission ? 'rccc' : ''}`;
  return { columns, rows, align };
}

/** Renders a table the way `cockroach` prints one (table format). */
export function formatTable(table: Table): string {
  // A value spanning lines (SHOW CREATE's statement) prints as `cockroach sql` prints it: its
  // first line in the row, each later line in a row of its own under it, the other cells empty.
  const printed = table.rows.flatMap((row) => {
    const cellLines = row.map((cell) => cell.split('\n'));
    const height = Math.max(1, ...cellLines.map((l) => l.length));
    return Array.from({ length: height }, (_, k) => cellLines.map((l) => l[k] ?? ''));
  });
  const widths = table.columns.map((c, i) => Math.max(c.length, ...printed.map((r) => (r[i] ?? '').length)));
  const align = table.align;
  const pad = (text: string, i: number, how: string): string => {
    const width = widths[i] ?? 0;
    if (how === 'r') return text.padStart(width);
    if (how === 'c') {
      const left = Math.floor((width - text.length) / 2);
      return (' '.repeat(left) + text).padEnd(width);
    }
    return text.padEnd(width);
  };
  const line = (cells: readonly string[], header: boolean): string =>
    ` ${cells.map((c, i) => pad(c, i, align === undefined ? 'l' : header ? 'c' : (align[i] ?? 'l'))).join(' | ')}`.trimEnd();
  const out = [line(table.columns, true), `-${widths.map((w) => '-'.repeat(w)).join('-+-')}-`, ...printed.map((r) => line(r, false))];
  out.push(`(${table.rows.length} row${table.rows.length === 1 ? '' : 's'})`);
  return `${out.join('\n')}\n`;
}
