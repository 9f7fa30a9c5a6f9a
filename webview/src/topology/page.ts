// The page around the picture: the bar (target, read time, Refresh, filters), the bands for
// errors, unavailable ranges and what could not be read, the legend, the side column (placement,
// details, controls), a table of the nodes for screen readers, and the live region.
import type {
  NodeRangesPage,
  TopologyControl,
  TopologyGroup,
  TopologyHead,
  TopologyNode,
  TopologyRange,
  TopologyToHost,
  TopologyView,
  UnavailableRange,
} from '../../../protocol/src/topology';
import { Controls } from './controls';
import { Details, Tooltip } from './details';
import { element, linkButton, select, setOptions, vscodeButton } from './dom';
import { Picture, shape, svgElement } from './draw';
import {
  changeAnnouncement,
  count,
  countsFor,
  diffShown,
  filterOptions,
  formatNumber,
  groupsFor,
  linksFor,
  modelAnnouncement,
  rangesFor,
  sameFilter,
  type Shown,
  livenessIcon,
  livenessText,
  markKinds,
  regionNotes,
  regionViews,
  summarizeNodes,
  targetName,
  type Filter,
  type MarkKind,
  type NodeSummary,
} from './model';
import { rangeSelection } from '../../../protocol/src/topologyView';
import { PlacementPanel } from './placement';
import { StoryView } from './story';

export interface PageHost {
  post(message: TopologyToHost): void;
  /** The user chose another database, table, index, partition or range. */
  filterChanged(filter: Filter): void;
  /** What is open or focused changed (remembered while the view is hidden). */
  remembered(patch: { focusedNode?: number; details?: { kind: 'node' | 'range'; id: number; from?: number } | undefined }): void;
}

/** Unavailable ranges named in the band; the rest are counted. */
const NAMED_UNAVAILABLE = 5;

/** `movr.rides@rides_pkey` for a group. */
function groupOwner(g: TopologyGroup | undefined): string {
  if (g === undefined || g.table === undefined) return g?.database ?? 'system';
  const table = g.database === undefined ? g.table : `${g.database}.${g.table}`;
  return g.index === undefined ? table : `${table}@${g.index}`;
}

const markLabel: Record<MarkKind, string> = {
  unavailable: 'unavailable range',
  lease: 'leaseholder',
  voter: 'voter',
  'non-voter': 'non-voter',
  learner: 'learner',
};

function legend(): HTMLElement {
  const list = element('ul', 'legend');
  list.setAttribute('aria-label', 'Legend');
  for (const kind of markKinds) {
    const item = element('li');
    const icon = svgElement('svg', { width: 12, height: 12, viewBox: '0 0 12 12', 'aria-hidden': 'true' }, 'legend-mark');
    const path = svgElement('path', { d: shape(kind, 1, 1, 10) }, `mark mark-${kind}`);
    if (kind === 'non-voter') path.setAttribute('fill-rule', 'evenodd');
    icon.append(path);
    item.append(icon, element('span', undefined, markLabel[kind]));
    list.append(item);
  }
  for (const state of ['live', 'suspect', 'dead', 'decommissioning', 'decommissioned'] as const)
    list.append(element('li', `legend-liveness liveness-${state}`, `${livenessIcon[state]} ${livenessText[state]}`));
  return list;
}

export class TopologyPage {
  private readonly target = element('strong', 'target', 'Topology');
  private readonly readAt = element('span', 'muted read-at');
  private readonly database: HTMLSelectElement;
  private readonly table: HTMLSelectElement;
  private readonly index: HTMLSelectElement;
  private readonly partition: HTMLSelectElement;
  /** A single range selected: its name and a button back to its group. */
  private readonly rangeLabel = element('span', 'range-selection');
  private readonly notCockroach = element('p', 'band not-cockroach');
  private readonly errorBand = element('div', 'band error-band');
  private readonly unavailableBand = element('div', 'band unavailable-band');
  private readonly missingBand = element('div', 'band missing-band');
  private readonly underReplicatedBand = element('div', 'band under-replicated-band');
  private readonly empty = element('p', 'empty', 'Reading the cluster’s topology…');
  private readonly picture: Picture;
  private readonly tooltip = new Tooltip();
  private readonly placement: PlacementPanel;
  private readonly details: Details;
  readonly controls: Controls;
  private readonly nodesTable = element('tbody');
  private readonly live = element('div', 'visually-hidden');
  /** Survival goals and what-if, where a row lives, and the timeline (topology story). */
  private readonly story: StoryView;
  private readonly root: HTMLElement;

  private model: TopologyHead | undefined;
  private filter: Filter = {};
  /** What was selected before a range was picked: Clear range goes back to it. */
  private beforeRange: Filter | undefined;
  /** The last picture and its filter, for what changed on the next. */
  private shown: { filter: Filter; shown: Shown } | undefined;
  private nodes = new Map<number, TopologyNode>();
  private ranges = new Map<number, TopologyRange>();
  private summaries = new Map<number, NodeSummary>();
  /** Drawn as per-node density: the page holds no ranges, a node's come from the host a page at a time. */
  private density = false;
  /** The last page of a node's ranges from the host (density view), so one can be opened. */
  private pagedRanges = new Map<number, TopologyRange>();
  private renders = 0;
  /** Off under prefers-reduced-motion: no flying marks (CSS drops the transitions too). */
  private motion: boolean;

  constructor(
    root: HTMLElement,
    private readonly host: PageHost,
  ) {
    this.root = root;
    const motion = window.matchMedia('(prefers-reduced-motion: reduce)');
    this.motion = !motion.matches;
    motion.addEventListener('change', () => {
      this.motion = !motion.matches;
    });

    const database = select('Database', (value) => {
      host.filterChanged(value ? { database: value } : {});
    });
    const table = select('Table', (value) => {
      host.filterChanged(value ? { database: this.filter.database, table: value } : { database: this.filter.database });
    });
    const index = select('Index', (value) => {
      const { index: _index, rangeId: _range, ...rest } = this.filter;
      host.filterChanged(value ? { ...rest, index: value } : rest);
    });
    const partition = select('Partition', (value) => {
      const { partition: _partition, rangeId: _range, ...rest } = this.filter;
      host.filterChanged(value ? { ...rest, partition: value } : rest);
    });
    this.database = database.select;
    this.table = table.select;
    this.index = index.select;
    this.partition = partition.select;
    const filters = element('div', 'filters');
    filters.setAttribute('role', 'group');
    filters.setAttribute('aria-label', 'Show ranges of');
    this.rangeLabel.hidden = true;
    filters.append(database.wrapper, table.wrapper, index.wrapper, partition.wrapper, this.rangeLabel);

    const bar = element('header', 'topology-bar');
    const title = element('div', 'title');
    title.append(this.target, this.readAt);
    bar.append(
      title,
      filters,
      vscodeButton(
        'Refresh',
        () => {
          host.post({ type: 'refresh' });
        },
        { secondary: true },
      ),
    );

    this.errorBand.setAttribute('role', 'alert');
    this.errorBand.hidden = true;
    this.unavailableBand.hidden = true;
    this.missingBand.hidden = true;
    this.underReplicatedBand.hidden = true;
    this.notCockroach.hidden = true;
    this.notCockroach.setAttribute('role', 'status');

    this.picture = new Picture({
      openNode: (id) => {
        this.openNode(id, true);
      },
      pickRange: (id) => {
        this.openRange(id, undefined, true);
      },
      hoverRange: (id, x, y) => {
        const range = id === undefined ? undefined : this.ranges.get(id);
        if (range) this.tooltip.show(range, this.nodes, x, y);
        else this.tooltip.hide();
      },
      focusNode: (id) => {
        host.remembered({ focusedNode: id });
      },
    });
    this.details = new Details({
      openNode: (id) => {
        this.openNode(id, true);
      },
      pickRange: (id, from) => {
        this.openRange(id, from, true);
      },
      askNodeRanges: (nodeId, offset) => {
        host.post({ type: 'node-ranges', nodeId, offset });
      },
      close: () => {
        const shown = this.details.shown;
        this.details.clear();
        host.remembered({ details: undefined });
        const back = shown?.kind === 'node' ? shown.id : shown?.from;
        if (back === undefined || !this.picture.focusNode(back)) this.focusPicture();
      },
    });
    this.placement = new PlacementPanel((database, table) => {
      host.post({ type: 'count-rows', database, table });
    });
    this.controls = new Controls((control: TopologyControl) => {
      host.post({ type: 'control', control });
    });

    const figure = element('div', 'picture-wrap');
    figure.append(legend(), this.empty, this.picture.element, this.tooltip.element);
    const side = element('aside', 'side');
    side.append(this.placement.element, this.details.element, this.controls.element);
    const main = element('main', 'topology-main');
    main.append(figure, side);

    const tableSection = element('section', 'visually-hidden');
    const nodesTable = element('table');
    nodesTable.append(element('caption', undefined, 'Nodes of the cluster, with their replica and lease counts'));
    const head = element('tr');
    for (const h of ['Node', 'Region', 'Zone', 'Liveness', 'Replicas', 'Voters', 'Non-voters', 'Leases', 'Unavailable']) {
      const th = element('th', undefined, h);
      th.scope = 'col';
      head.append(th);
    }
    const thead = element('thead');
    thead.append(head);
    nodesTable.append(thead, this.nodesTable);
    nodesTable.className = 'nodes-table';
    tableSection.append(nodesTable);

    this.live.setAttribute('role', 'status');
    this.live.setAttribute('aria-live', 'polite');
    root.classList.add('topology');
    document.body.classList.add('topology-body');
    this.picture.element.classList.add('waiting');
    // The story's messages go the same way; the host tells them apart (isTopologyStoryToHost).
    this.story = new StoryView(this.picture.element, (message) => {
      host.post(message as unknown as TopologyToHost);
    });
    root.append(
      bar,
      this.notCockroach,
      this.errorBand,
      this.unavailableBand,
      this.underReplicatedBand,
      this.missingBand,
      main,
      this.story.element,
      tableSection,
      this.live,
    );
  }

  /**
   * Draws a version of the view under a filter; `isUpdate` when it is a newer reading of what is
   * shown, so changes animate and the live region says what changed. Returns how many ranges show.
   */
  render(view: TopologyView, filter: Filter, isUpdate: boolean): number {
    const head = view.head;
    this.model = head;
    this.filter = filter;
    this.errorBand.hidden = true;
    this.empty.hidden = true;
    this.picture.element.classList.remove('waiting');
    this.target.textContent = targetName(head);
    this.readAt.textContent = `read at ${new Date(head.readAt).toLocaleTimeString()}`;
    this.renderFilters(view, filter);
    this.story.follow(filter.database, filter.table);

    // Not CockroachDB: one sentence instead of an empty map.
    const foreign = head.notCockroachDb;
    this.notCockroach.hidden = foreign === undefined;
    this.notCockroach.textContent = foreign ?? '';
    this.root.classList.toggle('is-not-cockroach', foreign !== undefined);

    const ranges = rangesFor(view, filter);
    const groups = groupsFor(view, filter);
    const total = groups.reduce((n, g) => n + g.ranges, 0);
    const unavailable = groups.reduce((n, g) => n + g.unavailable, 0);
    this.nodes = new Map(head.nodes.map((n) => [n.id, n]));
    this.ranges = new Map();
    for (const r of ranges ?? []) this.ranges.set(r.rangeId, r);
    this.summaries = ranges ? summarizeNodes(head.nodes, ranges) : countsFor(view, filter);
    if (this.density !== (ranges === undefined) || (this.shown !== undefined && !sameFilter(this.shown.filter, filter))) {
      // A range picked from a node's page becomes the selection: keep it open until the host sends it.
      const picked = filter.rangeId === undefined ? undefined : this.pagedRanges.get(filter.rangeId);
      this.pagedRanges = picked ? new Map([[picked.rangeId, picked]]) : new Map<number, TopologyRange>();
    }
    this.density = ranges === undefined;
    const shown: Shown = { head, summaries: this.summaries, unavailable, ...(ranges ? { ranges } : {}) };
    const previous = this.shown;
    const diff = isUpdate && previous && sameFilter(previous.filter, filter) ? diffShown(previous.shown, shown) : undefined;
    this.shown = { filter, shown };

    const regions = regionViews(head);
    // Lines from leaseholders to followers once something narrower than a database is selected.
    const narrow = filter.table !== undefined || filter.rangeId !== undefined;
    const links = narrow ? linksFor(view, filter, ranges) : [];
    const input = {
      head,
      regions,
      summaries: this.summaries,
      regionNotes: regionNotes(head, filter),
      motion: this.motion,
      density: ranges === undefined,
      links,
      selecting: narrow,
    };
    this.picture.render(diff ? { ...input, diff } : input);

    this.renderUnavailable(view, filter, unavailable);
    this.renderUnderReplicated(groups.reduce((n, g) => n + g.underReplicated, 0));
    this.renderMissing(head.missing);
    this.renderNodesTable(head.nodes);
    this.placement.update(view, filter);
    this.controls.update(head);
    this.refreshDetails();
    this.announce(diff ? changeAnnouncement(diff) : isUpdate ? '' : modelAnnouncement(head, total, unavailable));
    // The marker tests and the benchmark wait for: the picture for this version is in the DOM.
    this.root.dataset['renders'] = String(++this.renders);
    return total;
  }

  showError(message: string): void {
    this.errorBand.replaceChildren(
      element('strong', undefined, 'Could not read the topology: '),
      element('span', 'error-message', message),
      element(
        'span',
        'muted',
        this.model ? ` Showing what was read at ${new Date(this.model.readAt).toLocaleTimeString()}.` : ' Nothing to show yet.',
      ),
    );
    this.errorBand.hidden = false;
    if (!this.model) this.empty.textContent = 'No topology yet.';
  }

  announce(text: string): void {
    if (!text) return;
    // Re-setting the same text would not be announced again.
    this.live.textContent = this.live.textContent === text ? `${text}\u00a0` : text;
  }

  /** Re-opens what was open before the view was hidden. */
  restore(focusedNode: number | undefined, details: { kind: 'node' | 'range'; id: number; from?: number } | undefined): void {
    if (focusedNode !== undefined) this.picture.setActive(focusedNode);
    if (details?.kind === 'node') this.openNode(details.id, false);
    else if (details?.kind === 'range') this.openRange(details.id, details.from, false);
  }

  focusPicture(): void {
    const id = this.picture.activeNode;
    if (id !== undefined) this.picture.focusNode(id);
  }

  private openNode(id: number, focus: boolean): void {
    const node = this.nodes.get(id);
    const summary = this.summaries.get(id);
    if (!node || !summary) return;
    this.details.showNode(node, summary, this.ranges, this.controls.nodeButtons(node), this.density);
    this.host.remembered({ details: { kind: 'node', id } });
    if (focus) this.details.focus();
  }

  /** The host's page of a node's ranges (density view): shown when it is for the open node and the current selection. */
  nodeRanges(page: NodeRangesPage): void {
    if (!this.density || !sameFilter(page.selection, this.filter)) return;
    this.pagedRanges = new Map(page.ranges.map((r) => [r.rangeId, r]));
    const hadFocus = this.details.element.contains(document.activeElement);
    this.details.showNodeRanges(page);
    if (hadFocus && !this.details.element.contains(document.activeElement)) this.details.focus();
  }

  /** The host counted (or failed to count) a table's rows: the figures come with the next reading. */
  rowsCounted(ok: boolean, message: string | undefined): void {
    this.placement.counted(ok, message);
    this.announce(ok ? 'Rows counted.' : `Rows not counted: ${message ?? 'unknown error'}`);
  }

  private openRange(id: number, from: number | undefined, focus: boolean): void {
    const range = this.ranges.get(id) ?? this.pagedRanges.get(id);
    if (!range) return;
    this.tooltip.hide();
    this.details.showRange(range, this.nodes, from);
    this.host.remembered({ details: from === undefined ? { kind: 'range', id } : { kind: 'range', id, from } });
    // A range the user picks becomes the selection: its replicas light up on the map like a partition's.
    if (focus && this.filter.rangeId !== id) {
      if (this.filter.rangeId === undefined) this.beforeRange = this.filter;
      this.host.filterChanged(rangeSelection(id, range));
    }
    if (focus) this.details.focus();
  }

  /** A new model or filter: what the details show is shown again from it, or closed if gone. */
  private refreshDetails(): void {
    const shown = this.details.shown;
    if (!shown) return;
    const hadFocus = this.details.element.contains(document.activeElement);
    if (shown.kind === 'node' && this.nodes.has(shown.id)) this.openNode(shown.id, false);
    else if (shown.kind === 'range' && (this.ranges.has(shown.id) || this.pagedRanges.has(shown.id)))
      this.openRange(shown.id, shown.from, false);
    else {
      this.details.clear();
      this.host.remembered({ details: undefined });
    }
    // Rebuilding the details drops the focus from a button in them; keep it in the panel.
    if (hadFocus && !this.details.element.contains(document.activeElement)) this.details.focus();
  }

  /** Controls were turned on or off: the open node's buttons follow. */
  controlsChanged(): void {
    this.refreshDetails();
  }

  private renderFilters(view: TopologyView, filter: Filter): void {
    const options = filterOptions(view, filter);
    const list = (all: string, values: readonly string[]): { value: string; label: string }[] => [
      { value: '', label: all },
      ...values.map((v) => ({ value: v, label: v })),
    ];
    setOptions(this.database, list('All databases', options.databases), filter.database ?? '');
    setOptions(this.table, list('All tables', options.tables), filter.table ?? '');
    setOptions(this.index, list('All indexes', options.indexes), filter.index ?? '');
    setOptions(this.partition, list('All partitions', options.partitions), filter.partition ?? '');
    this.table.disabled = filter.database === undefined;
    this.index.disabled = filter.table === undefined;
    this.partition.disabled = options.partitions.length === 0;
    (this.partition.parentElement as HTMLElement).hidden = filter.table === undefined || options.partitions.length === 0;
    this.renderRangeLabel(filter);
  }

  /** The selection's label names a selected range, with the way back to the selection it was picked in. */
  private renderRangeLabel(filter: Filter): void {
    const id = filter.rangeId;
    this.rangeLabel.hidden = id === undefined;
    if (id === undefined) {
      this.rangeLabel.replaceChildren();
      return;
    }
    // Back to what was selected before the pick; after a reload, to the range's group.
    const { rangeId: _range, ...group } = filter;
    const back = this.beforeRange ?? group;
    this.rangeLabel.replaceChildren(
      element('span', 'range-selection-name', `Range r${id}`),
      vscodeButton(
        'Clear range',
        () => {
          this.beforeRange = undefined;
          this.host.filterChanged(back);
        },
        { secondary: true },
      ),
    );
  }

  private renderUnavailable(view: TopologyView, filter: Filter, total: number): void {
    this.unavailableBand.hidden = total === 0;
    if (total === 0) {
      this.unavailableBand.replaceChildren();
      return;
    }
    const groups = new Map(view.groups.map((g) => [g.key, g]));
    const owner = (u: UnavailableRange): string => groupOwner(groups.get(u.group));
    const listed = view.unavailable.filter((u) => {
      const g = groups.get(u.group);
      return g !== undefined && groupsFor({ ...view, groups: [g] }, filter).length === 1;
    });
    const named = listed.slice(0, NAMED_UNAVAILABLE).flatMap((u, i) => [
      i === 0 ? '' : ', ',
      linkButton(`r${u.rangeId} (${owner(u)})`, () => {
        this.openRange(u.rangeId, undefined, true);
      }),
    ]);
    const rest = total - named.length / 2;
    this.unavailableBand.replaceChildren(
      element('strong', 'unavailable-count', `⚠ ${count(total, 'range')} unavailable`),
      element('span', undefined, ' — no reachable leaseholder: '),
      ...named,
      rest > 0 ? ` and ${formatNumber(rest)} more` : '',
    );
  }

  /** Available ranges that lost a voter: CockroachDB's under-replicated, told apart from unavailable. */
  private renderUnderReplicated(total: number): void {
    this.underReplicatedBand.hidden = total === 0;
    this.underReplicatedBand.replaceChildren(
      element('strong', 'under-replicated-count', `${count(total, 'range')} under-replicated`),
      element(
        'span',
        undefined,
        ' — a voter is on a dead or cut-off node. Still available: a majority of voters is up, but one more lost voter would take it. CockroachDB replaces the voter once the node has been dead for server.time_until_store_dead (5 minutes by default).',
      ),
    );
  }

  private renderMissing(missing: readonly string[]): void {
    this.missingBand.hidden = missing.length === 0;
    const list = element('ul', 'missing-list');
    for (const m of missing) list.append(element('li', undefined, m));
    this.missingBand.replaceChildren(element('strong', undefined, 'Not shown:'), list);
  }

  private renderNodesTable(nodes: readonly TopologyNode[]): void {
    this.nodesTable.replaceChildren(
      ...[...nodes]
        .sort((a, b) => a.id - b.id)
        .map((n) => {
          const c = this.summaries.get(n.id)?.counts;
          const row = element('tr');
          const name = element('th', undefined, `Node ${n.id}`);
          name.scope = 'row';
          row.append(
            name,
            ...[
              n.region,
              n.zone,
              livenessText[n.liveness],
              formatNumber(c?.replicas ?? 0),
              formatNumber(c?.voters ?? 0),
              formatNumber(c?.nonVoters ?? 0),
              formatNumber(c?.leases ?? 0),
              formatNumber(c?.unavailable ?? 0),
            ].map((text) => element('td', undefined, text)),
          );
          return row;
        }),
    );
  }
}
