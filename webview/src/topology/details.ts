// A node's or a range's details beside the picture, and the range tooltip shown on hover.
import type { NodeRangesPage, TopologyNode, TopologyRange } from '../../../protocol/src/topology';
import { NODE_RANGES_PAGE } from '../../../protocol/src/topologyView';
import { element, facts, linkButton } from './dom';
import {
  count,
  formatBytes,
  formatNumber,
  livenessIcon,
  livenessText,
  markKind,
  markKinds,
  nodeName,
  raftLeaderOf,
  rangeOwner,
  type MarkKind,
  type NodeSummary,
} from './model';

/** A node's ranges are listed a page at a time: a node may hold thousands. */
const PAGE = 50;

export interface DetailsHost {
  openNode(nodeId: number): void;
  /** `fromNode`: the range was picked from that node's list (its details offer the way back). */
  pickRange(rangeId: number, fromNode?: number): void;
  /** The density view holds no ranges: ask the host for a page of the node's (the answer comes to showNodeRanges). */
  askNodeRanges(nodeId: number, offset: number): void;
  close(): void;
}

const kindText: Record<MarkKind, string> = {
  unavailable: 'unavailable',
  lease: 'leaseholder',
  voter: 'voter',
  'non-voter': 'non-voter',
  learner: 'learner',
};

function nodeRef(nodes: ReadonlyMap<number, TopologyNode>, id: number | undefined): string {
  if (id === undefined) return 'none';
  const node = nodes.get(id);
  if (!node) return `${nodeName(id)} (not listed)`;
  const state = node.liveness === 'live' ? '' : `, ${livenessText[node.liveness]}`;
  return `${nodeName(id)} (${node.locality || node.region}${state})`;
}

function replicaLine(range: TopologyRange, replica: TopologyRange['replicas'][number], nodes: ReadonlyMap<number, TopologyNode>): string {
  const roles: string[] = [replica.type];
  if (range.leaseholder === replica.nodeId) roles.push('leaseholder');
  const leader = raftLeaderOf(range);
  if (leader === replica.nodeId && range.raftLeader !== undefined && range.raftLeader !== range.leaseholder) roles.push('Raft leader');
  return `${nodeRef(nodes, replica.nodeId)}: ${roles.join(', ')}`;
}

/** The short form, for the tooltip. */
export function rangeSummaryLines(range: TopologyRange, nodes: ReadonlyMap<number, TopologyNode>): string[] {
  const lines = [`r${range.rangeId} · ${rangeOwner(range)}${range.partition ? ` · partition ${range.partition}` : ''}`];
  lines.push(`[${range.startKey}, ${range.endKey})`);
  if (!range.available) lines.push('⚠ unavailable: no reachable leaseholder');
  lines.push(`leaseholder ${nodeRef(nodes, range.leaseholder)}`);
  for (const replica of range.replicas) lines.push(replicaLine(range, replica, nodes));
  if (range.sizeBytes !== undefined) lines.push(formatBytes(range.sizeBytes));
  return lines;
}

export class Tooltip {
  readonly element = element('div', 'tooltip');

  constructor() {
    this.element.hidden = true;
    this.element.setAttribute('aria-hidden', 'true');
  }

  show(range: TopologyRange, nodes: ReadonlyMap<number, TopologyNode>, clientX: number, clientY: number): void {
    this.element.replaceChildren(
      ...rangeSummaryLines(range, nodes).map((line, i) => element('div', i === 0 ? 'tooltip-title' : undefined, line)),
    );
    this.element.hidden = false;
    // Placed beside the pointer, flipped at the window's edges (CSSOM styles are allowed by the CSP).
    const { width, height } = this.element.getBoundingClientRect();
    const x = clientX + 14 + width > window.innerWidth ? clientX - 14 - width : clientX + 14;
    const y = clientY + 14 + height > window.innerHeight ? Math.max(0, clientY - 14 - height) : clientY + 14;
    this.element.style.left = `${Math.max(0, x)}px`;
    this.element.style.top = `${y}px`;
  }

  hide(): void {
    this.element.hidden = true;
  }
}

export class Details {
  readonly element = element('section', 'details');
  private readonly heading = element('h2', 'details-heading', 'Details');
  private readonly body = element('div', 'details-body');
  /** What is shown, so a new model can refresh it; `offset`: the page of a node's ranges asked for in the density view. */
  shown: { kind: 'node'; id: number; offset?: number } | { kind: 'range'; id: number; from?: number } | undefined;
  /** Where the host's page of a node's ranges goes (density view only). */
  private paged: HTMLElement | undefined;

  constructor(private readonly host: DetailsHost) {
    this.element.setAttribute('aria-labelledby', 'topology-details-heading');
    this.heading.id = 'topology-details-heading';
    this.heading.tabIndex = -1;
    this.element.append(this.heading, this.body);
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        host.close();
      }
    });
    this.clear();
  }

  clear(): void {
    this.shown = undefined;
    this.heading.textContent = 'Details';
    this.body.replaceChildren(element('p', 'muted', 'Choose a node (Enter, or click) or a replica mark to see its details.'));
  }

  focus(): void {
    this.heading.focus();
  }

  showNode(
    node: TopologyNode,
    summary: NodeSummary,
    ranges: ReadonlyMap<number, TopologyRange>,
    controls: readonly HTMLElement[] | undefined,
    density = false,
  ): void {
    const offset = density && this.shown?.kind === 'node' && this.shown.id === node.id ? (this.shown.offset ?? 0) : 0;
    this.shown = density ? { kind: 'node', id: node.id, offset } : { kind: 'node', id: node.id };
    this.paged = undefined;
    const c = summary.counts;
    this.heading.textContent = `Node ${node.id}`;
    const state = element('span', `liveness liveness-${node.liveness}`, `${livenessIcon[node.liveness]} ${livenessText[node.liveness]}`);
    const pairs: [string, string | Node][] = [
      ['Liveness', state],
      ['Locality', node.locality || '(none)'],
      ['Address', node.address],
      [
        'Replicas',
        `${formatNumber(c.replicas)} (${count(c.voters, 'voter')}, ${count(c.nonVoters, 'non-voter')}, ${count(c.learners, 'learner')})`,
      ],
      ['Leases', formatNumber(c.leases)],
    ];
    if (c.leaderWithoutLease > 0) pairs.push(['Raft leader, lease elsewhere', formatNumber(c.leaderWithoutLease)]);
    if (c.unavailable > 0) pairs.push(['Unavailable', count(c.unavailable, 'range')]);
    if (c.sizeBytes > 0) pairs.push(['Size of its replicas', formatBytes(c.sizeBytes)]);
    const parts: Node[] = [facts(pairs)];
    if (controls && controls.length > 0) {
      const bar = element('div', 'node-controls');
      bar.setAttribute('role', 'group');
      bar.setAttribute('aria-label', `Controls for node ${node.id}`);
      bar.append(...controls);
      parts.push(bar);
    } else if (controls && node.liveness === 'decommissioned') {
      parts.push(element('p', 'muted', 'A decommissioned node cannot rejoin the cluster.'));
    }
    parts.push(element('h3', undefined, `Ranges with a replica on ${nodeName(node.id)}`));
    if (density) {
      // Kept while the host answers, so a refresh does not flash an empty list.
      const previous = this.body.querySelector<HTMLElement>('.node-range-pages');
      this.paged = previous?.dataset['nodeId'] === String(node.id) ? previous : element('div', 'node-range-pages');
      this.paged.dataset['nodeId'] = String(node.id);
      if (!previous || previous !== this.paged) this.paged.append(element('p', 'muted', 'Asking the host for this node’s ranges…'));
      parts.push(this.paged);
      this.host.askNodeRanges(node.id, offset);
    } else parts.push(this.rangeList(node.id, summary, ranges));
    this.body.replaceChildren(...parts);
  }

  /** A page of the open node's ranges, from the host (density view): listed as the normal view lists them, with paging. */
  showNodeRanges(page: NodeRangesPage): void {
    const paged = this.paged;
    if (!paged || this.shown?.kind !== 'node' || this.shown.id !== page.nodeId) return;
    this.shown.offset = page.offset;
    const list = element('ul', 'range-list');
    list.append(
      ...page.ranges.map((range) => {
        const replica = range.replicas.find((r) => r.nodeId === page.nodeId);
        const kind = replica ? markKind(range, replica) : 'voter';
        const item = element('li', `range-item kind-${kind}`);
        item.dataset['rangeId'] = String(range.rangeId);
        item.append(
          linkButton(
            `r${range.rangeId} · ${rangeOwner(range)}${range.partition ? ` (${range.partition})` : ''} · ${kindText[kind]}`,
            () => {
              this.host.pickRange(range.rangeId, page.nodeId);
            },
          ),
        );
        return item;
      }),
    );
    const nav = element('div', 'range-more');
    if (page.total === 0) nav.append(element('span', 'muted', 'None in the selection.'));
    else {
      const last = page.offset + page.ranges.length;
      nav.append(
        element(
          'span',
          'muted range-page-position',
          `${formatNumber(page.offset + 1)}–${formatNumber(last)} of ${formatNumber(page.total)}`,
        ),
      );
      if (page.offset > 0)
        nav.append(
          ' · ',
          linkButton('Previous page', () => {
            this.host.askNodeRanges(page.nodeId, Math.max(0, page.offset - NODE_RANGES_PAGE));
          }),
        );
      if (last < page.total)
        nav.append(
          ' · ',
          linkButton('Next page', () => {
            this.host.askNodeRanges(page.nodeId, last);
          }),
        );
    }
    paged.replaceChildren(list, nav);
  }

  private rangeList(nodeId: number, summary: NodeSummary, ranges: ReadonlyMap<number, TopologyRange>): HTMLElement {
    const entries = markKinds.flatMap((kind) => summary.marks[kind].map((rangeId) => ({ rangeId, kind })));
    const wrapper = element('div');
    if (entries.length === 0) {
      wrapper.append(element('p', 'muted', 'None.'));
      return wrapper;
    }
    const list = element('ul', 'range-list');
    const more = element('div', 'range-more');
    let shown = 0;
    const page = (): void => {
      const next = entries.slice(shown, shown + PAGE);
      shown += next.length;
      list.append(
        ...next.map(({ rangeId, kind }) => {
          const range = ranges.get(rangeId);
          const item = element('li', `range-item kind-${kind}`);
          item.dataset['rangeId'] = String(rangeId);
          const label = `r${rangeId} · ${range ? rangeOwner(range) : ''}${range?.partition ? ` (${range.partition})` : ''} · ${kindText[kind]}`;
          item.append(
            linkButton(label, () => {
              this.host.pickRange(rangeId, nodeId);
            }),
          );
          return item;
        }),
      );
      more.replaceChildren();
      if (shown < entries.length)
        more.append(
          element('span', 'muted', `${formatNumber(shown)} of ${formatNumber(entries.length)} · `),
          linkButton(`Show ${Math.min(PAGE, entries.length - shown)} more`, page),
        );
    };
    page();
    wrapper.append(list, more);
    return wrapper;
  }

  showRange(range: TopologyRange, nodes: ReadonlyMap<number, TopologyNode>, from?: number): void {
    this.shown = from === undefined ? { kind: 'range', id: range.rangeId } : { kind: 'range', id: range.rangeId, from };
    this.heading.textContent = `Range r${range.rangeId}`;
    const parts: Node[] = [];
    if (from !== undefined)
      parts.push(
        linkButton(`← Node ${from}`, () => {
          this.host.openNode(from);
        }),
      );
    // Voters on dead or cut-off nodes: the range keeps quorum while they are a minority (under-replicated).
    const lost = range.replicas.filter((r) => {
      const node = nodes.get(r.nodeId);
      return r.type === 'voter' && (node?.liveness === 'dead' || node?.partitioned === true);
    });
    const status = !range.available
      ? element('span', 'unavailable-text', '⚠ unavailable: no reachable leaseholder (lost quorum, or failover under way)')
      : lost.length > 0
        ? element(
            'span',
            'under-replicated-text',
            `available, under-replicated: ${lost.length === 1 ? 'its voter' : 'voters'} on ${lost.map((r) => nodeName(r.nodeId)).join(', ')} ${lost.length === 1 ? 'is' : 'are'} down; a majority of voters is up`,
          )
        : element('span', undefined, 'available');
    const pairs: [string, string | Node][] = [['Data', rangeOwner(range)]];
    if (range.partition !== undefined) pairs.push(['Partition', range.partition]);
    pairs.push(
      ['Start key', element('code', undefined, range.startKey)],
      ['End key', element('code', undefined, range.endKey)],
      ['Status', status],
    );
    pairs.push(['Leaseholder', nodeRef(nodes, range.leaseholder)]);
    if (range.raftLeader !== undefined && range.raftLeader !== range.leaseholder)
      pairs.push(['Raft leader', nodeRef(nodes, range.raftLeader)]);
    if (range.sizeBytes !== undefined) pairs.push(['Size', formatBytes(range.sizeBytes)]);
    parts.push(facts(pairs));

    const table = element('table', 'replica-table');
    const caption = element('caption', undefined, `Replicas (${formatNumber(range.replicas.length)})`);
    const head = element('tr');
    for (const h of ['Node', 'Locality', 'Type', 'Role']) {
      const th = element('th', undefined, h);
      th.scope = 'col';
      head.append(th);
    }
    const body = element('tbody');
    for (const replica of range.replicas) {
      const node = nodes.get(replica.nodeId);
      const roles: string[] = [];
      if (range.leaseholder === replica.nodeId) roles.push('leaseholder');
      if (range.raftLeader !== undefined && range.raftLeader === replica.nodeId && range.raftLeader !== range.leaseholder)
        roles.push('Raft leader');
      if (node && node.liveness !== 'live') roles.push(`node ${livenessText[node.liveness]}`);
      const row = element('tr');
      const nodeCell = element('td');
      nodeCell.append(
        linkButton(nodeName(replica.nodeId), () => {
          this.host.openNode(replica.nodeId);
        }),
      );
      row.append(
        nodeCell,
        element('td', undefined, node?.locality ?? '?'),
        element('td', undefined, replica.type),
        element('td', undefined, roles.join(', ')),
      );
      body.append(row);
    }
    const thead = element('thead');
    thead.append(head);
    table.append(caption, thead, body);
    parts.push(table);
    this.body.replaceChildren(...parts);
  }
}
