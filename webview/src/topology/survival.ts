// Survivability before and after: each database's goal in words with the failures counted against
// it now, and "what if": point at a region, zone or node to see which ranges would lose quorum and
// which tables would become unavailable if it failed (the host computes it from the placement).
import type { FailureDomain, StoryFrame, SurvivalReport, WhatIfResult } from '../../../protocol/src/topologyStory';
import { element } from './dom';

export interface SurvivalHost {
  ask(domain: FailureDomain): void;
  /** Nodes to mark on the picture as the ones that would fail (none: clear). */
  mark(nodes: readonly number[]): void;
}

function domainKey(d: FailureDomain): string {
  return d.kind === 'node' ? `node:${d.nodeId}` : d.kind === 'zone' ? `zone:${d.region}/${d.zone}` : `region:${d.region}`;
}

function domainLabel(d: FailureDomain): string {
  return d.kind === 'node' ? `n${d.nodeId}` : d.kind === 'zone' ? `${d.region}/${d.zone}` : d.region;
}

export class SurvivalPanel {
  readonly element = element('section', 'story-survival');
  private readonly reports = element('div', 'survival-reports');
  private readonly domains = element('div', 'what-if-domains');
  private readonly result = element('div', 'what-if-result');
  /** The domain clicked (kept while the pointer wanders), and the one pointed at. */
  private pinned: FailureDomain | undefined;
  private pointed: FailureDomain | undefined;
  private domainsKey = '';
  /** Whether pointing at the picture asks too. */
  readonly onMap = element('input');

  constructor(private readonly host: SurvivalHost) {
    const heading = element('h2', 'story-heading', 'Survival goals');
    heading.id = 'story-survival-heading';
    this.element.setAttribute('aria-labelledby', heading.id);
    const whatIf = element('h3', undefined, 'What if … failed?');
    const hint = element('p', 'muted', 'Point at (or focus) a region, zone or node; click to keep it.');
    const onMap = element('label', 'what-if-on-map');
    this.onMap.type = 'checkbox';
    onMap.append(this.onMap, ' on the map too: pointing at a region, zone or node there asks the same');
    this.result.setAttribute('role', 'status');
    this.result.setAttribute('aria-live', 'polite');
    this.element.append(heading, this.reports, whatIf, hint, onMap, this.domains, this.result);
  }

  update(survival: readonly SurvivalReport[], latest: StoryFrame | undefined): void {
    this.reports.replaceChildren(
      ...survival.map((r) => {
        const item = element('article', 'survival-report');
        item.dataset['database'] = r.database;
        const lost = r.rangesWithoutQuorum > 0;
        item.append(element('h3', undefined, r.database), element('p', 'survival-goal', r.goal));
        item.append(element('p', `survival-verdict${r.failures.length > 0 ? ' has-failures' : ''}`, r.verdict));
        if (lost) {
          const tables = r.tablesWithoutQuorum.length > 0 ? `: ${r.tablesWithoutQuorum.join(', ')}` : '';
          item.append(
            element('p', 'survival-lost', `⚠ ${r.rangesWithoutQuorum} of ${r.ranges} ranges without a live majority of voters${tables}`),
          );
        }
        return item;
      }),
    );
    if (survival.length === 0) this.reports.append(element('p', 'muted', 'No databases with tables.'));
    this.renderDomains(latest);
    // The answer shown was for the last reading: ask again.
    const current = this.pointed ?? this.pinned;
    if (current) this.host.ask(current);
  }

  private renderDomains(frame: StoryFrame | undefined): void {
    const nodes = (frame?.nodes ?? []).filter((n) => n.liveness !== 'decommissioned');
    const regions = [...new Set(nodes.map((n) => n.region).filter((r) => r !== ''))];
    const zones = [...new Set(nodes.filter((n) => n.zone !== '').map((n) => `${n.region}\u0000${n.zone}`))];
    const domains: FailureDomain[][] = [
      regions.map((region) => ({ kind: 'region', region })),
      zones.map((k) => {
        const [region = '', zone = ''] = k.split('\u0000');
        return { kind: 'zone', region, zone };
      }),
      nodes.map((n) => ({ kind: 'node', nodeId: n.id })),
    ];
    const key = JSON.stringify(domains);
    if (key === this.domainsKey) return;
    this.domainsKey = key;
    const labels = ['Regions', 'Zones', 'Nodes'];
    this.domains.replaceChildren(
      ...domains.map((list, i) => {
        const row = element('div', 'what-if-row');
        row.setAttribute('role', 'group');
        row.setAttribute('aria-label', labels[i] ?? '');
        row.append(element('span', 'what-if-kind', labels[i] ?? ''));
        for (const d of list) row.append(this.domainButton(d));
        return row;
      }),
    );
  }

  private domainButton(d: FailureDomain): HTMLButtonElement {
    const b = element('button', 'what-if-domain', domainLabel(d));
    b.type = 'button';
    b.dataset['domain'] = domainKey(d);
    b.setAttribute('aria-pressed', 'false');
    b.setAttribute('aria-label', `What if ${domainLabel(d)} failed`);
    const point = (): void => {
      this.pointed = d;
      this.host.ask(d);
    };
    const leave = (): void => {
      this.pointed = undefined;
      if (this.pinned) this.host.ask(this.pinned);
      else this.clear();
    };
    b.addEventListener('mouseenter', point);
    b.addEventListener('focus', point);
    b.addEventListener('mouseleave', leave);
    b.addEventListener('blur', leave);
    b.addEventListener('click', () => {
      this.pinned = this.pinned && domainKey(this.pinned) === domainKey(d) ? undefined : d;
      for (const other of this.domains.querySelectorAll<HTMLButtonElement>('.what-if-domain'))
        other.setAttribute('aria-pressed', String(this.pinned !== undefined && other.dataset['domain'] === domainKey(this.pinned)));
      if (this.pinned) this.host.ask(this.pinned);
      else this.clear();
    });
    return b;
  }

  /** The pointer is over a region, zone or node of the picture (undefined: it left them). */
  pointAt(domain: FailureDomain | undefined): void {
    if (!this.onMap.checked) return;
    if (domain && this.pointed && domainKey(domain) === domainKey(this.pointed)) return;
    this.pointed = domain;
    const current = domain ?? this.pinned;
    if (current) this.host.ask(current);
    else this.clear();
  }

  private clear(): void {
    this.result.replaceChildren();
    this.host.mark([]);
  }

  /** An answer from the host; ignored when the user has moved on to another domain. */
  show(result: WhatIfResult): void {
    const current = this.pointed ?? this.pinned;
    if (!current || domainKey(current) !== domainKey(result.domain)) return;
    const parts: Node[] = [element('p', `what-if-summary${result.rangesLosingQuorum > 0 ? ' loses' : ' keeps'}`, result.summary)];
    const named = result.tables.filter((t) => t.table !== '');
    if (named.length > 0 || result.tables.some((t) => t.table === '')) {
      const list = element('ul', 'what-if-tables');
      list.setAttribute('aria-label', 'Tables that would become unavailable');
      for (const t of result.tables)
        list.append(
          element(
            'li',
            undefined,
            `${t.table === '' ? 'system ranges' : `${t.database}.${t.table}`}: ${t.ranges} range${t.ranges === 1 ? '' : 's'}`,
          ),
        );
      parts.push(list);
    }
    if (result.alreadyUnavailable > 0)
      parts.push(element('p', 'muted', `${result.alreadyUnavailable} range(s) already have no live majority and are not counted.`));
    parts.push(element('p', 'muted', 'Right after the failure, before CockroachDB re-replicates (after 5 minutes by default).'));
    this.result.replaceChildren(...parts);
    this.host.mark(result.failingNodes);
  }
}
