// The topology view's story beside the picture: what happened (timeline and event log), survival
// goals and what-if, and where a REGIONAL BY ROW row lives. It takes the host's story messages
// itself (the picture's own messages are the page's) and marks nodes on the picture by their
// `data-node-id`, again after every redraw.
import type { FailureDomain, RowLocation, TopologyStoryToHost, TopologyStoryToWebview } from '../../../protocol/src/topologyStory';
import { element } from './dom';
import { RowLocator } from './rowLocator';
import { SurvivalPanel } from './survival';
import { Timeline } from './timeline';

function isArray(value: unknown): value is unknown[] {
  return Array.isArray(value);
}

/** The story's messages, checked enough that a malformed one is dropped, not half-drawn. */
export function parseStoryMessage(data: unknown): TopologyStoryToWebview | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const m = data as Record<string, unknown>;
  switch (m.type) {
    case 'story':
      return isArray(m.frames) && isArray(m.survival) && isArray(m.rowTables) ? (m as TopologyStoryToWebview) : undefined;
    case 'what-if': {
      const r = m.result as Record<string, unknown> | undefined;
      return typeof r === 'object' && typeof r.summary === 'string' && isArray(r.tables) && isArray(r.failingNodes)
        ? (m as TopologyStoryToWebview)
        : undefined;
    }
    case 'row-location':
      return isArray(m.locations) ? (m as TopologyStoryToWebview) : undefined;
    case 'row-location-error':
      return typeof m.message === 'string' ? (m as TopologyStoryToWebview) : undefined;
    default:
      return undefined;
  }
}

/** The region, zone or node of the picture under the pointer. */
function domainAt(target: EventTarget | null): FailureDomain | undefined {
  if (!(target instanceof Element)) return undefined;
  const node = target.closest<SVGElement | HTMLElement>('[data-node-id]');
  if (node) return { kind: 'node', nodeId: Number(node.dataset['nodeId']) };
  const region = target.closest<SVGElement | HTMLElement>('[data-region]')?.dataset['region'];
  if (region === undefined) return undefined;
  const zone = target.closest<SVGElement | HTMLElement>('[data-zone]')?.dataset['zone'];
  return zone === undefined || zone === '' ? { kind: 'region', region } : { kind: 'zone', region, zone };
}

export class StoryView {
  readonly element = element('div', 'story');
  private readonly timeline: Timeline;
  private readonly survival: SurvivalPanel;
  private readonly rows: RowLocator;
  private failing: readonly number[] = [];
  private row: RowLocation | undefined;
  private marking = false;

  constructor(
    private readonly picture: Element,
    post: (message: TopologyStoryToHost) => void,
  ) {
    const motion = window.matchMedia('(prefers-reduced-motion: reduce)');
    this.timeline = new Timeline(() => !motion.matches);
    this.survival = new SurvivalPanel({
      ask: (domain: FailureDomain) => {
        post({ type: 'what-if', domain });
      },
      mark: (nodes) => {
        this.failing = nodes;
        this.markSoon();
      },
    });
    this.rows = new RowLocator({
      locate: (request) => {
        post({ type: 'locate-row', ...request });
      },
      mark: (location) => {
        this.row = location;
        this.markSoon();
      },
    });
    this.element.append(this.survival.element, this.rows.element, this.timeline.element);
    picture.addEventListener('mouseover', (event) => {
      this.survival.pointAt(domainAt(event.target));
    });
    picture.addEventListener('mouseleave', () => {
      this.survival.pointAt(undefined);
    });
    window.addEventListener('message', (event: MessageEvent<unknown>) => {
      const message = parseStoryMessage(event.data);
      if (message) this.onMessage(message);
      // Any message may have redrawn the picture: put the marks back.
      else this.markSoon();
    });
  }

  /** The picture's filter changed: the row box follows a REGIONAL BY ROW table chosen there. */
  follow(database: string | undefined, table: string | undefined): void {
    this.rows.follow(database, table);
  }

  private onMessage(message: TopologyStoryToWebview): void {
    switch (message.type) {
      case 'story': {
        const latest = message.frames[message.frames.length - 1];
        const regions = [...new Set((latest?.nodes ?? []).map((n) => n.region).filter((r) => r !== ''))];
        this.timeline.update(message.frames);
        this.survival.update(message.survival, latest);
        this.rows.update(message.rowTables, regions);
        return;
      }
      case 'what-if':
        this.survival.show(message.result);
        return;
      case 'row-location':
        this.rows.show(message.locations);
        return;
      case 'row-location-error':
        this.rows.showError(message.message);
        return;
    }
  }

  private markSoon(): void {
    if (this.marking) return;
    this.marking = true;
    requestAnimationFrame(() => {
      this.marking = false;
      this.mark();
    });
  }

  /** Classes on the picture's nodes: would fail (what-if), holds the row's replica, leases it. */
  private mark(): void {
    const replicas = new Set(this.row?.replicas ?? []);
    for (const g of this.picture.querySelectorAll<SVGElement | HTMLElement>('[data-node-id]')) {
      const id = Number(g.dataset['nodeId']);
      g.classList.toggle('what-if-failing', this.failing.includes(id));
      g.classList.toggle('row-replica', replicas.has(id));
      g.classList.toggle('row-leaseholder', this.row?.leaseholder === id);
    }
  }
}
