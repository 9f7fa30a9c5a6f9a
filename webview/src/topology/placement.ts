// Where a database's data lives: its survival goal in words, its tables' localities and home
// regions, and for a REGIONAL BY ROW table each region partition's rows, voters and leaseholders.
import type { TopologyTable, TopologyView } from '../../../protocol/src/topology';
import { element, facts, vscodeButton } from './dom';
import {
  count,
  formatNumber,
  isMultiRegion,
  localityLabel,
  rowsSourceText,
  survivalText,
  tablePlacement,
  whereText,
  type Filter,
  type PartitionPlacement,
} from './model';

function headerRow(labels: readonly string[]): HTMLTableSectionElement {
  const thead = element('thead');
  const row = element('tr');
  for (const label of labels) {
    const th = element('th', undefined, label);
    th.scope = 'col';
    row.append(th);
  }
  thead.append(row);
  return thead;
}

function partitionTable(table: TopologyTable, partitions: readonly PartitionPlacement[]): HTMLTableElement {
  const t = element('table', 'partition-table');
  t.append(element('caption', undefined, `Partitions of ${table.name} (REGIONAL BY ROW)`));
  t.append(headerRow(['Region', 'Rows', 'Ranges', 'Voters', 'Leaseholders']));
  const body = element('tbody');
  for (const p of partitions) {
    const row = element('tr', 'partition-row');
    row.dataset['region'] = p.region;
    const regionCell = element('th', undefined, p.region);
    regionCell.scope = 'row';
    const leases = element('td', undefined, whereText(p.leaseholders));
    // Reads from a region are local only while its partition's leaseholders are there.
    if (p.ranges > 0 && !p.leasesAtHome) leases.append(element('span', 'away', ` ⚠ not all in ${p.region}`));
    const voters = element('td', undefined, whereText(p.voters));
    if (p.ranges > 0 && !p.votersAtHome) voters.append(element('span', 'away-note', ` (spread beyond ${p.region})`));
    row.append(
      regionCell,
      element('td', 'numeric', p.rows === undefined ? '—' : `${table.rowsFrom?.how === 'estimated' ? '≈ ' : ''}${formatNumber(p.rows)}`),
      element('td', 'numeric', formatNumber(p.ranges)),
      voters,
      leases,
    );
    body.append(row);
  }
  t.append(body);
  return t;
}

export class PlacementPanel {
  readonly element = element('section', 'placement');
  private readonly heading = element('h2', undefined, 'Placement');
  private readonly body = element('div');
  /** What became of the last count asked for, shown under the partitions until the table changes. */
  private countStatus: { table: string; text: string } | undefined;
  private shownTable: string | undefined;

  /** `countRows`: the user asked for an exact count (a full scan of the table, so never on its own). */
  constructor(private readonly countRows: (database: string, table: string) => void) {
    this.heading.id = 'topology-placement-heading';
    this.element.setAttribute('aria-labelledby', this.heading.id);
    this.element.append(this.heading, this.body);
  }

  update(view: TopologyView, filter: Filter): void {
    const model = view.head;
    const db = model.databases.find((d) => d.name === filter.database);
    if (!db) {
      this.heading.textContent = 'Databases';
      const list = element('ul', 'database-list');
      for (const d of model.databases) list.append(element('li', 'survival', survivalText(d)));
      if (model.databases.length === 0) list.append(element('li', 'muted', 'No databases read.'));
      this.body.replaceChildren(list, element('p', 'muted', 'Choose a database to see where its tables live.'));
      return;
    }
    this.heading.textContent = `Placement of ${db.name}`;
    const parts: Node[] = [element('p', 'survival', survivalText(db))];
    if (isMultiRegion(db)) {
      const pairs: [string, string][] = [['Primary region', db.primaryRegion ?? '?']];
      if (db.secondaryRegion !== undefined) pairs.push(['Secondary region', db.secondaryRegion]);
      pairs.push(['Regions', db.regions.join(', ')]);
      parts.push(facts(pairs));
    }
    const tables = model.tables.filter((t) => t.database === db.name);
    if (tables.length === 0) parts.push(element('p', 'muted no-tables', `No tables in ${db.name} yet.`));
    const selected = tables.find((t) => t.name === filter.table);
    if (selected) {
      const placement = tablePlacement(view, selected);
      if (selected.locality === 'regional-by-row') parts.push(partitionTable(selected, placement.partitions), this.rowsNote(selected));
      else {
        const pairs: [string, string][] = [['Locality', localityLabel(selected)]];
        if (placement.homeRegion !== undefined) pairs.push(['Home region', placement.homeRegion]);
        pairs.push(
          ['Ranges', formatNumber(placement.placement.ranges)],
          ['Voters', whereText(placement.placement.voters)],
          ['Non-voters', whereText(placement.placement.nonVoters)],
          ['Leaseholders', whereText(placement.placement.leaseholders)],
        );
        parts.push(element('h3', undefined, selected.name), facts(pairs));
      }
    }
    const others = tables.filter((t) => t !== selected);
    if (others.length > 0) {
      parts.push(element('h3', undefined, selected ? 'Alongside' : `Tables (${formatNumber(tables.length)})`));
      const t = element('table', 'table-list');
      t.append(headerRow(['Table', 'Locality', 'Home region', 'Leaseholders']));
      const body = element('tbody');
      for (const table of others) {
        const p = tablePlacement(view, table);
        const row = element('tr', 'table-row');
        row.dataset['table'] = table.name;
        const name = element('th', undefined, table.name);
        name.scope = 'row';
        const home =
          table.locality === 'regional-by-row'
            ? `per row (${count(p.partitions.length, 'partition')})`
            : (p.homeRegion ?? (table.locality === undefined ? '—' : '?'));
        row.append(
          name,
          element('td', undefined, localityLabel(table)),
          element('td', undefined, home),
          element('td', undefined, whereText(p.placement.leaseholders)),
        );
        body.append(row);
      }
      t.append(body);
      parts.push(t);
    }
    this.body.replaceChildren(...parts);
  }

  /** Where the row figures come from, and a button to count them exactly now. */
  private rowsNote(table: TopologyTable): HTMLElement {
    const key = `${table.database}.${table.name}`;
    if (this.shownTable !== key) this.countStatus = undefined;
    this.shownTable = key;
    const note = element('div', 'rows-note');
    note.append(
      element(
        'p',
        'muted rows-source',
        rowsSourceText(table.rowsFrom) ??
          'Rows per region not estimated (no table statistics, or the partitions’ ranges could not be sized); count them to see.',
      ),
    );
    const label = table.rowsFrom?.how === 'counted' ? 'Count rows again' : 'Count rows now';
    note.append(
      vscodeButton(
        label,
        () => {
          this.countStatus = { table: key, text: `Counting the rows of ${key} (a full scan of the table)…` };
          this.countRows(table.database, table.name);
          status.textContent = this.countStatus.text;
        },
        { secondary: true, ariaLabel: `${label}: SELECT count(*) per region of ${key}, a full scan` },
      ),
    );
    const status = element('span', 'muted rows-count-status', this.countStatus?.table === key ? this.countStatus.text : '');
    status.setAttribute('role', 'status');
    note.append(status);
    return note;
  }

  /** The host's answer to a count: the figures themselves come with the next reading. */
  counted(ok: boolean, message: string | undefined): void {
    if (this.shownTable === undefined) return;
    this.countStatus = { table: this.shownTable, text: ok ? '' : `Not counted: ${message ?? 'unknown error'}` };
    const status = this.body.querySelector('.rows-count-status');
    if (status) status.textContent = this.countStatus.text;
  }
}
