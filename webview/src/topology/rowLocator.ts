// Where does my row live: a REGIONAL BY ROW table's partitions coloured by home region with their
// rows, and a box for a region and a primary-key value that asks SHOW RANGE … FOR ROW. The answer
// names the range, its leaseholder and replicas (marked on the picture) and what a read, a
// follower read and a write from each region would pay.
import type { RowLocation, RowTable } from '../../../protocol/src/topologyStory';
import { element, select, setOptions } from './dom';

export interface RowLocatorHost {
  locate(request: { database: string; table: string; region?: string; key: string }): void;
  /** Marks the answer's replicas and leaseholder on the picture (undefined: clear). */
  mark(location: RowLocation | undefined): void;
}

/** A stable colour per region, by its place in the cluster's list (six, then repeated). */
export function regionColor(regions: readonly string[], region: string): number {
  const i = regions.indexOf(region);
  return (i < 0 ? 0 : i) % 6;
}

function ms(value: number | undefined): string {
  return value === undefined ? '?' : `${Math.round(value)} ms`;
}

export class RowLocator {
  readonly element = element('section', 'story-rows');
  private readonly table: HTMLSelectElement;
  private readonly region: HTMLSelectElement;
  private readonly key = element('input', 'row-key');
  private readonly partitions = element('ul', 'row-partitions');
  private readonly answer = element('div', 'row-answer');
  private tables: RowTable[] = [];
  private regions: string[] = [];
  private pending = false;

  constructor(private readonly host: RowLocatorHost) {
    const heading = element('h2', 'story-heading', 'Where does my row live?');
    heading.id = 'story-rows-heading';
    this.element.setAttribute('aria-labelledby', heading.id);
    const table = select('REGIONAL BY ROW table', () => {
      this.renderPartitions();
      this.clearAnswer();
    });
    const region = select('Region (crdb_region)', () => undefined);
    this.table = table.select;
    this.region = region.select;
    this.key.type = 'text';
    this.key.placeholder = 'primary key, e.g. 42';
    this.key.setAttribute('aria-label', 'Primary-key value (comma-separate the columns of a composite key)');
    this.key.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        this.submit();
      }
    });
    const button = element('button', 'row-locate', 'Show range');
    button.type = 'button';
    button.addEventListener('click', () => {
      this.submit();
    });
    const form = element('div', 'row-form');
    form.setAttribute('role', 'group');
    form.setAttribute('aria-label', 'Find the range of a row');
    const keyField = element('label', 'field');
    keyField.append(element('span', 'field-label', 'Key'), this.key);
    form.append(table.wrapper, region.wrapper, keyField, button);
    this.answer.setAttribute('role', 'status');
    this.answer.setAttribute('aria-live', 'polite');
    this.partitions.setAttribute('aria-label', 'Partitions by home region, with their rows');
    this.element.append(heading, this.partitions, form, this.answer);
    this.element.hidden = true;
  }

  update(tables: RowTable[], regions: string[]): void {
    this.tables = tables;
    this.regions = regions;
    this.element.hidden = tables.length === 0;
    const keys = tables.map((t) => ({ value: `${t.database}.${t.table}`, label: `${t.database}.${t.table}` }));
    setOptions(this.table, keys, keys.some((k) => k.value === this.table.value) ? this.table.value : (keys[0]?.value ?? ''));
    this.renderPartitions();
  }

  /** Shows the table the picture is filtered to, when it is one of these. */
  follow(database: string | undefined, table: string | undefined): void {
    if (database === undefined || table === undefined) return;
    const value = `${database}.${table}`;
    if (this.tables.some((t) => `${t.database}.${t.table}` === value) && this.table.value !== value) {
      this.table.value = value;
      this.renderPartitions();
      this.clearAnswer();
    }
  }

  private chosen(): RowTable | undefined {
    return this.tables.find((t) => `${t.database}.${t.table}` === this.table.value);
  }

  private renderPartitions(): void {
    const t = this.chosen();
    const partitions = t?.partitions ?? [];
    this.partitions.replaceChildren(
      ...partitions.map((p) => {
        const item = element('li', `row-partition region-color-${regionColor(this.regions, p.region)}`);
        item.dataset['region'] = p.region;
        item.append(
          element('span', 'region-swatch'),
          element('span', undefined, p.region),
          element(
            'span',
            'muted',
            p.rows === undefined
              ? ' · rows not known (choose the table above the picture: its rows are estimated, or counted on request)'
              : ` · ${t?.rowsFrom?.how === 'estimated' ? '≈ ' : ''}${p.rows.toLocaleString('en-US')} row${p.rows === 1 ? '' : 's'}${
                  t?.rowsFrom?.how === 'estimated' ? ' (estimate)' : ''
                }`,
          ),
        );
        return item;
      }),
    );
    setOptions(
      this.region,
      [{ value: '', label: 'any (one range per partition)' }, ...partitions.map((p) => ({ value: p.region, label: p.region }))],
      partitions.some((p) => p.region === this.region.value) ? this.region.value : '',
    );
  }

  private submit(): void {
    const t = this.chosen();
    if (!t) return;
    if (this.key.value.trim() === '' && this.region.value === '') {
      this.showError('Type a primary-key value, or choose a region.');
      return;
    }
    this.pending = true;
    this.answer.replaceChildren(element('p', 'muted', 'Asking SHOW RANGE … FOR ROW…'));
    this.host.locate({
      database: t.database,
      table: t.table,
      key: this.key.value,
      ...(this.region.value === '' ? {} : { region: this.region.value }),
    });
  }

  private clearAnswer(): void {
    this.answer.replaceChildren();
    this.host.mark(undefined);
  }

  showError(message: string): void {
    this.pending = false;
    this.answer.replaceChildren(element('p', 'row-error', message));
    this.host.mark(undefined);
  }

  show(locations: readonly RowLocation[]): void {
    if (!this.pending) return;
    this.pending = false;
    const parts: Node[] = [];
    if (locations.length > 1)
      parts.push(
        element(
          'p',
          'muted',
          'No region chosen: the key has a place in every region’s partition (SHOW RANGE … FOR ROW does not check that the row exists); the row itself is in one of them.',
        ),
      );
    for (const l of locations) parts.push(this.locationView(l));
    this.answer.replaceChildren(...parts);
    // One answer is marked on the picture; several would mark every region.
    this.host.mark(locations.length === 1 ? locations[0] : undefined);
  }

  private locationView(l: RowLocation): HTMLElement {
    const box = element('article', `row-location region-color-${regionColor(this.regions, l.region ?? '')}`);
    box.dataset['rangeId'] = String(l.rangeId);
    box.append(element('code', 'row-statement', l.statement));
    const lh = l.leaseholder === undefined ? 'none' : `n${l.leaseholder}${l.leaseholderLocality ? ` (${l.leaseholderLocality})` : ''}`;
    box.append(
      element('p', 'row-range', `Range r${l.rangeId}${l.region ? ` · partition ${l.region}` : ''} · leaseholder ${lh}`),
      element(
        'p',
        'muted',
        `voters ${l.voters.map((n) => `n${n}`).join(', ') || 'none'}${l.nonVoters.length > 0 ? ` · non-voters ${l.nonVoters.map((n) => `n${n}`).join(', ')}` : ''}`,
      ),
    );
    if (l.latencySource === 'unknown') {
      box.append(element('p', 'muted', 'Latency unknown: the round trips between regions could not be read.'));
      return box;
    }
    const table = element('table', 'row-latency');
    table.append(
      element(
        'caption',
        undefined,
        `What one row costs from each region (${l.latencySource === 'simulated' ? 'the simulated cluster’s latencies' : 'measured round trips'})`,
      ),
    );
    const head = element('tr');
    for (const h of ['From', 'Read', 'Follower read', 'Write']) {
      const th = element('th', undefined, h);
      th.scope = 'col';
      head.append(th);
    }
    const thead = element('thead');
    thead.append(head);
    const body = element('tbody');
    for (const r of l.latencies) {
      const row = element('tr');
      row.dataset['region'] = r.region;
      const th = element('th', undefined, r.region);
      th.scope = 'row';
      row.append(
        th,
        element('td', undefined, ms(r.readMs)),
        element('td', undefined, ms(r.followerReadMs)),
        element('td', undefined, ms(r.writeMs)),
      );
      body.append(row);
    }
    table.append(thead, body);
    box.append(
      table,
      element(
        'p',
        'muted',
        'Read: gateway → leaseholder. Follower read (AS OF SYSTEM TIME follower_read_timestamp()): the nearest replica. Write: gateway → leaseholder, then the leaseholder’s round trip to a majority of voters.',
      ),
    );
    return box;
  }
}
