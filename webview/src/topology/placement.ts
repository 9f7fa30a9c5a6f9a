// Where a database's data lives: its survival goal in words, its tables' localities and home
// regions, and for a REGIONAL BY ROW table each region partition's rows, voters and leaseholders.
import type { TopologyTable, TopologyView } from '../../../protocol/src/topology';
import { element, facts } from './dom';
import {
  count,
  formatNumber,
  isMultiRegion,
  localityLabel,
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
      element('td', 'numeric', p.rows === undefined ? '—' : formatNumber(p.rows)),
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

  constructor() {
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
    const selected = tables.find((t) => t.name === filter.table);
    if (selected) {
      const placement = tablePlacement(view, selected);
      if (selected.locality === 'regional-by-row') parts.push(partitionTable(selected, placement.partitions));
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
}
