/// <reference lib="dom" />
// The topology view's browser bundle (dist/webview/topology.js) in headless Chromium, under the
// CSP the extension gives its webviews, with a stand-in for VS Code's webview API that records
// what the view posts. Fed a `cockroach demo --global`-like cluster, then the same after node 2
// died. `node esbuild.mjs` builds the bundle.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type {
  TopologyControl,
  TopologyModel,
  TopologyNode,
  TopologyRange,
  TopologySelection,
  TopologyToHost,
  TopologyToWebview,
  TopologyView,
} from '../../protocol/src/topology';
import { buildView, diffViews, nodeRangesPage, resolveSelection } from '../../protocol/src/topologyView';
import { PATIENCE_MS } from '../support/patience';
import { afterMessages, installVsCodeApi, ORIGIN, serveWebview, setTheme, type RecordingWindow } from '../support/webviewPage';
import { openBrowser, screenshot, type BrowserSession } from '../support/browser';
import { repoRoot } from '../support/tools';

/** Plays the part of `webview.cspSource`: the only origin styles may come from. */
const BUNDLE = path.join(repoRoot, 'dist', 'webview', 'topology.js');

type TestWindow = RecordingWindow<TopologyToHost>;

// ---- The cluster: `cockroach demo --global`-like, 9 nodes in 3 regions ----

const REGIONS: Record<string, string[]> = { 'us-east1': ['b', 'c', 'd'], 'us-west1': ['a', 'b', 'c'], 'europe-west1': ['b', 'c', 'd'] };
const regionNames = Object.keys(REGIONS);

function demoNodes(): TopologyNode[] {
  return regionNames.flatMap((region, r) =>
    (REGIONS[region] ?? []).map((zone, z) => {
      const id = r * 3 + z + 1;
      return { id, region, zone, locality: `region=${region},az=${zone}`, address: `127.0.0.1:${26256 + id}`, liveness: 'live' as const };
    }),
  );
}

/** Node ids of a region: us-east1 → [1, 2, 3]. */
function inRegion(region: string): number[] {
  const r = regionNames.indexOf(region);
  return [r * 3 + 1, r * 3 + 2, r * 3 + 3];
}

function key(table: string, n: number): string {
  return `/Table/${table}/${n}`;
}

function demoModel(): TopologyModel {
  const ranges: TopologyRange[] = [];
  let id = 1;
  const add = (r: Omit<TopologyRange, 'rangeId' | 'available' | 'startKey' | 'endKey'> & { startKey?: string }): void => {
    const rangeId = id++;
    ranges.push({
      rangeId,
      startKey: r.startKey ?? `/r${rangeId}`,
      endKey: `/r${rangeId + 1}`,
      available: true,
      sizeBytes: 1024 * rangeId,
      ...r,
    });
  };
  // System ranges: a voter in each region.
  for (let i = 0; i < 6; i++) {
    const voters = regionNames.map((region) => inRegion(region)[i % 3] ?? 1);
    add({ replicas: voters.map((nodeId) => ({ nodeId, type: 'voter' })), leaseholder: voters[i % 3] });
  }
  // movr: REGIONAL BY ROW rides (zone survival: voters in the partition's region, a non-voter elsewhere).
  for (const region of regionNames) {
    const voters = inRegion(region);
    const others = regionNames.filter((r) => r !== region).map((r) => inRegion(r)[0] ?? 1);
    for (const [index, n] of [
      ['rides_pkey', 3],
      ['rides_city_idx', 1],
    ] as const)
      for (let i = 0; i < n; i++)
        add({
          database: 'movr',
          table: 'rides',
          index,
          partition: region,
          startKey: `${key('rides', index === 'rides_pkey' ? 1 : 2)}/"${region}"/${i}`,
          replicas: [
            ...voters.map((nodeId) => ({ nodeId, type: 'voter' as const })),
            ...others.map((nodeId) => ({ nodeId, type: 'non-voter' as const })),
          ],
          leaseholder: voters[i % 3],
        });
  }
  // GLOBAL promo_codes and the REGIONAL BY TABLE tables: voters in the home region, non-voters elsewhere.
  const homed = (table: string, index: string, home: string, n: number): void => {
    const voters = inRegion(home);
    const others = regionNames.filter((r) => r !== home).map((r) => inRegion(r)[1] ?? 1);
    for (let i = 0; i < n; i++)
      add({
        database: 'movr',
        table,
        index,
        startKey: `${key(table, 1)}/${i}`,
        replicas: [
          ...voters.map((nodeId) => ({ nodeId, type: 'voter' as const })),
          ...others.map((nodeId) => ({ nodeId, type: 'non-voter' as const })),
        ],
        leaseholder: voters[(i + 1) % 3],
      });
  };
  homed('promo_codes', 'promo_codes_pkey', 'us-east1', 2);
  homed('users', 'users_pkey', 'us-west1', 2);
  homed('vehicles', 'vehicles_pkey', 'us-east1', 2);
  // bank: not multi-region, three voters spread over the regions.
  for (let i = 0; i < 4; i++) {
    const voters = [2, 5, 8];
    add({
      database: 'bank',
      table: 'accounts',
      index: 'accounts_pkey',
      startKey: `${key('accounts', 1)}/${i}`,
      replicas: voters.map((nodeId) => ({ nodeId, type: 'voter' })),
      leaseholder: voters[i % 3],
    });
  }
  return {
    readAt: Date.UTC(2025, 0, 2, 10, 42, 5),
    target: 'simulated',
    simulated: true,
    regions: regionNames.map((name) => ({ name, zones: REGIONS[name] ?? [] })),
    nodes: demoNodes(),
    databases: [
      { name: 'bank', regions: [] },
      { name: 'movr', primaryRegion: 'us-east1', regions: [...regionNames], survivalGoal: 'zone' },
      // Created, nothing in it yet.
      { name: 'scratch', regions: [] },
    ],
    tables: [
      { database: 'bank', name: 'accounts' },
      {
        database: 'movr',
        name: 'rides',
        locality: 'regional-by-row',
        localityText: 'REGIONAL BY ROW',
        partitions: [
          { region: 'us-east1', rows: 1200 },
          { region: 'us-west1', rows: 800 },
          { region: 'europe-west1', rows: 450 },
        ],
      },
      { database: 'movr', name: 'promo_codes', locality: 'global', localityText: 'GLOBAL' },
      {
        database: 'movr',
        name: 'users',
        locality: 'regional-by-table',
        localityText: 'REGIONAL BY TABLE IN "us-west1"',
        homeRegion: 'us-west1',
      },
      { database: 'movr', name: 'vehicles', locality: 'regional-by-table', localityText: 'REGIONAL BY TABLE IN PRIMARY REGION' },
    ],
    ranges,
    missing: ['crdb_internal.kv_store_status: permission denied (needs the admin role)'],
  };
}

/** Node 2 died: its leases moved to other voters, except one range whose failover is still under way. */
function afterFailure(before: TopologyModel): { model: TopologyModel; moved: number; unavailable: number; lost: number } {
  let moved = 0;
  let unavailable = -1;
  let lost = 0;
  const ranges = before.ranges.map((r) => {
    if (r.leaseholder !== 2) return r;
    lost++;
    if (unavailable < 0) {
      unavailable = r.rangeId;
      return { ...r, leaseholder: undefined, available: false };
    }
    moved++;
    const to = r.replicas.find((x) => x.type === 'voter' && x.nodeId !== 2)?.nodeId;
    return { ...r, leaseholder: to };
  });
  return {
    model: {
      ...before,
      readAt: before.readAt + 12_000,
      nodes: before.nodes.map((n) => (n.id === 2 ? { ...n, liveness: 'dead' as const } : n)),
      ranges,
    },
    moved,
    unavailable,
    lost,
  };
}

/** The benchmark's shape: 9 nodes and `count` ranges of one REGIONAL BY ROW table. */
function largeModel(count: number): TopologyModel {
  const base = demoModel();
  const ranges: TopologyRange[] = [];
  for (let i = 0; i < count; i++) {
    const region = regionNames[i % 3] ?? 'us-east1';
    const voters = inRegion(region);
    ranges.push({
      rangeId: 100 + i,
      database: 'movr',
      table: 'rides',
      index: 'rides_pkey',
      partition: region,
      startKey: `/Table/rides/1/"${region}"/${i}`,
      endKey: `/Table/rides/1/"${region}"/${i + 1}`,
      replicas: voters.map((nodeId) => ({ nodeId, type: 'voter' as const })),
      leaseholder: voters[i % 3],
      available: true,
    });
  }
  return { ...base, ranges, missing: [] };
}

// ---- Helpers ----

/** Plays the host's part: the first view whole, then diffs from the last one sent. */
const host = {
  sent: undefined as TopologyView | undefined,
  version: 0,
  message(model: TopologyModel, selection: TopologySelection = {}): TopologyToWebview {
    const view = buildView(model, selection, ++this.version);
    const previous = this.sent;
    this.sent = view;
    return previous && previous.head.target === view.head.target
      ? { type: 'diff', diff: diffViews(previous, view) }
      : { type: 'snapshot', view };
  },
  /** The page was reloaded: it holds no view. */
  reset(): void {
    this.sent = undefined;
  },
};

async function send(page: Page, message: TopologyToWebview): Promise<void> {
  await page.evaluate((m) => {
    window.postMessage(m, '*');
  }, message);
}

/** Posts a model and waits until it is drawn (the view counts its renders on #app). */
async function sendModel(page: Page, model: TopologyModel): Promise<void> {
  const before = Number((await page.getAttribute('#app', 'data-renders')) ?? '0');
  await send(page, host.message(model));
  await page.waitForFunction((n) => Number(document.getElementById('app')?.dataset['renders'] ?? '0') > n, before);
}

async function posted(page: Page): Promise<TopologyToHost[]> {
  return page.evaluate(() => (window as unknown as TestWindow).posted);
}

async function waitForPosted(page: Page, type: TopologyToHost['type'], after: number): Promise<TopologyToHost> {
  const handle = await page.waitForFunction(
    ({ want, skip }) => (window as unknown as TestWindow).posted.slice(skip).find((m) => m.type === want),
    { want: type, skip: after },
  );
  return (await handle.jsonValue()) as TopologyToHost;
}

async function clickForControl(page: Page, click: () => Promise<void>): Promise<TopologyControl> {
  const before = (await posted(page)).length;
  await click();
  const message = await waitForPosted(page, 'control', before);
  assert.equal(message.type, 'control');
  return (message as { control: TopologyControl }).control;
}

const node = (id: number): string => `.node[data-node-id="${id}"]`;

/**
 * Picks the first range of the open node's list; returns the focus the page posted, after playing the
 * host's answer (the range resolved to its group in `model`) and waiting for it to be drawn.
 */
async function pickFirstRange(page: Page, model: TopologyModel): Promise<TopologySelection & { rangeId: number }> {
  const item = page.locator('.details .range-item').first();
  const id = Number(await item.getAttribute('data-range-id'));
  const before = (await posted(page)).length;
  await item.locator('button').click();
  const { type: _type, ...focus } = await waitForPosted(page, 'focus', before);
  assert.equal((focus as TopologySelection).rangeId, id, 'the picked range is the selection');
  const resolved = resolveSelection(model, focus as TopologySelection);
  await sendModelWith(page, model, resolved);
  return { ...resolved, rangeId: id };
}

async function sendModelWith(page: Page, model: TopologyModel, selection: TopologySelection): Promise<void> {
  const before = Number((await page.getAttribute('#app', 'data-renders')) ?? '0');
  await send(page, host.message(model, selection));
  await page.waitForFunction((n) => Number(document.getElementById('app')?.dataset['renders'] ?? '0') > n, before);
}

/** The one range's replicas light up on their nodes, its leaseholder apart, lines to its followers only. */
async function assertRangeLit(page: Page, range: TopologyRange): Promise<void> {
  const holders = new Set(range.replicas.map((x) => x.nodeId));
  assert.equal(await page.locator('.range-selection-name').textContent(), `Range r${range.rangeId}`);
  for (let id = 1; id <= 9; id++) {
    const classes = (await page.locator(node(id)).getAttribute('class')) ?? '';
    assert.equal(classes.includes('holds'), holders.has(id), `n${id} holds a replica of r${range.rangeId}: ${classes}`);
    assert.equal(classes.includes('dim'), !holders.has(id), `n${id} steps back: ${classes}`);
    assert.equal(classes.includes('holds-lease'), range.leaseholder === id, `n${id} leaseholder: ${classes}`);
    assert.equal(await page.locator(`${node(id)} .density`).isVisible(), false, `n${id} draws marks, not density`);
    const circles = (await page.locator(`${node(id)} .mark-lease`).getAttribute('d')) ?? '';
    assert.equal(circles.includes('a'), range.leaseholder === id, `n${id} lease mark`);
  }
  const links = await page
    .locator('.replica-link')
    .evaluateAll((els) => els.map((e) => [Number((e as SVGElement).dataset['from']), Number((e as SVGElement).dataset['to'])]));
  const followers = [...holders].filter((id) => id !== range.leaseholder).sort();
  assert.deepEqual(
    links.map(([from]) => from),
    followers.map(() => range.leaseholder),
  );
  assert.deepEqual(links.map(([, to]) => to).sort(), followers);
}

async function leaseCount(page: Page, id: number): Promise<string> {
  return (await page.locator(`${node(id)} .lease-count`).textContent()) ?? '';
}

describe('topology view in Chromium, under the webview CSP', function () {
  this.timeout(3 * PATIENCE_MS);
  let session: BrowserSession | undefined;
  let page: Page;
  const initial = demoModel();
  const failure = afterFailure(initial);

  before(async () => {
    assert.ok(existsSync(BUNDLE), `${BUNDLE} exists (node esbuild.mjs builds it)`);
    session = await openBrowser();
    page = session.page;
    await serveWebview(session.context, 'topology', ['topology.css'], 'Topology');
    await page.addInitScript(installVsCodeApi);
    await page.goto(`${ORIGIN}/index.html`);
    await page.waitForFunction(() => (window as unknown as TestWindow).posted.some((m) => m.type === 'ready'));
    await setTheme(page, 'dark');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(page, `topology-failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  after(async () => {
    await session?.close();
  });

  it('draws regions, zones and nodes with liveness, replica and lease counts', async () => {
    assert.deepEqual((await posted(page))[0], { type: 'ready' });
    assert.equal(await page.locator('.empty').isVisible(), true, 'says it is reading before the first model');
    await sendModel(page, initial);
    assert.deepEqual(
      await page.locator('.region').evaluateAll((els) => els.map((e) => (e as SVGElement).dataset['region'])),
      ['us-west1', 'us-east1', 'europe-west1'],
      'west to east, as on a map',
    );
    assert.equal(await page.locator('.zone').count(), 9);
    assert.deepEqual(await page.locator('.region[data-region="us-west1"] .zone-label').allTextContents(), ['zone a', 'zone b', 'zone c']);
    assert.equal(await page.locator('.node').count(), 9);
    assert.equal(await page.locator('.node[data-liveness="live"]').count(), 9);
    assert.equal(await page.locator(`${node(1)} .node-state`).textContent(), '✓ live');
    assert.equal(await page.locator('.target').textContent(), 'Simulated cluster');

    // Counts agree with the model: every range has one lease, and marks of each kind are drawn.
    let leases = 0;
    for (let id = 1; id <= 9; id++) leases += Number(/^(\d+)/.exec(await leaseCount(page, id))?.[1] ?? 'NaN');
    assert.equal(leases, initial.ranges.length, 'the lease counts add up to one per range');
    const n1Replicas = initial.ranges.filter((r) => r.replicas.some((x) => x.nodeId === 1)).length;
    assert.equal(await page.locator(`${node(1)} .replica-count`).textContent(), `${n1Replicas} replicas`);
    assert.match((await page.locator(`${node(1)} .type-count`).textContent()) ?? '', /\d+ voters · \d+ non-voters/);
    for (const kind of ['lease', 'voter', 'non-voter'])
      assert.notEqual(await page.locator(`${node(1)} .mark-${kind}`).getAttribute('d'), '', `${kind} marks are drawn`);
    assert.equal(await page.locator(`${node(1)} .mark-unavailable`).getAttribute('d'), '');
    assert.equal(await page.locator('.unavailable-band').isHidden(), true);
    assert.equal(
      await page.locator('#app > .visually-hidden[role="status"]').textContent(),
      `Simulated cluster: 9 nodes in 3 regions, ${initial.ranges.length} ranges`,
    );

    // What could not be read is said plainly.
    assert.equal(await page.locator('.missing-band').isVisible(), true);
    assert.match((await page.locator('.missing-band').textContent()) ?? '', /Not shown:.*kv_store_status: permission denied/);

    // The text alternative: a table of the nodes with their counts.
    const rows = page.locator('.nodes-table tbody tr');
    assert.equal(await rows.count(), 9);
    assert.match((await rows.nth(0).textContent()) ?? '', /^Node 1us-east1blive/);
    assert.equal(await page.locator(node(1)).getAttribute('role'), 'button');
    assert.match(
      (await page.locator(node(1)).getAttribute('aria-label')) ?? '',
      /^Node 1, us-east1, zone b, live, \d+ replicas, \d+ leases/,
    );
  });

  it('filters by database, table and index, and shows the survival goal and RBR placement', async () => {
    await page.locator('.filters select').nth(0).selectOption('movr');
    let message = await waitForPosted(page, 'focus', 0);
    assert.deepEqual(message, { type: 'focus', database: 'movr' });
    assert.equal(await page.locator('.placement .survival').textContent(), 'movr survives the loss of one zone.');
    const allMovr = initial.ranges.filter((r) => r.database === 'movr');
    let replicas = 0;
    for (let id = 1; id <= 9; id++)
      replicas += Number(/^(\d+)/.exec((await page.locator(`${node(id)} .replica-count`).textContent()) ?? '')?.[1]);
    assert.equal(
      replicas,
      allMovr.reduce((n, r) => n + r.replicas.length, 0),
      'only movr’s replicas are counted',
    );
    // Tables alongside, with their home regions.
    const promo = page.locator('.table-row[data-table="promo_codes"] td');
    assert.deepEqual((await promo.allTextContents()).slice(0, 2), ['GLOBAL', 'us-east1']);
    const users = page.locator('.table-row[data-table="users"] td');
    assert.deepEqual((await users.allTextContents()).slice(0, 2), ['REGIONAL BY TABLE IN "us-west1"', 'us-west1']);
    const vehicles = page.locator('.table-row[data-table="vehicles"] td');
    assert.deepEqual((await vehicles.allTextContents()).slice(0, 2), ['REGIONAL BY TABLE IN PRIMARY REGION', 'us-east1']);
    assert.match((await page.locator('.region[data-region="us-east1"] .region-note').textContent()) ?? '', /primary region/);

    let posts = (await posted(page)).length;
    await page.locator('.filters select').nth(1).selectOption('rides');
    message = await waitForPosted(page, 'focus', posts);
    assert.deepEqual(message, { type: 'focus', database: 'movr', table: 'rides' });
    const partitions = page.locator('.partition-row');
    assert.deepEqual(await partitions.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset['region'])), regionNames);
    const east = await partitions.nth(0).locator('th, td').allTextContents();
    assert.deepEqual(east.slice(0, 3), ['us-east1', '1,200', '4']);
    assert.equal(east[3], 'us-east1 (n1, n2, n3)', 'voters of the us-east1 partition live in us-east1');
    assert.equal(east[4], 'us-east1 (n1, n2, n3)', 'and so do its leaseholders');
    assert.deepEqual((await partitions.nth(2).locator('th, td').allTextContents()).slice(0, 5), [
      'europe-west1',
      '450',
      '4',
      'europe-west1 (n7, n8, n9)',
      'europe-west1 (n7, n8, n9)',
    ]);
    assert.match((await page.locator('.region[data-region="us-west1"] .region-note').textContent()) ?? '', /rides: 800 rows here/);
    await screenshot(page, 'topology-rbr-dark');

    // An index narrows further; its options come from the model.
    assert.deepEqual(await page.locator('.filters select').nth(2).locator('option').allTextContents(), [
      'All indexes',
      'rides_city_idx',
      'rides_pkey',
    ]);
    await page.locator('.filters select').nth(2).selectOption('rides_city_idx');
    await page.waitForFunction(() => document.querySelector('.node[data-node-id="1"] .replica-count')?.textContent === '3 replicas');

    // A database that is not multi-region says so.
    posts = (await posted(page)).length;
    await page.locator('.filters select').nth(0).selectOption('bank');
    assert.deepEqual(await waitForPosted(page, 'focus', posts), { type: 'focus', database: 'bank' });
    assert.equal(await page.locator('.placement .survival').textContent(), 'bank is not a multi-region database.');
    assert.equal(await page.locator('.placement .no-tables').count(), 0, 'bank has a table');
    // A database without tables says so rather than showing nothing.
    posts = (await posted(page)).length;
    await page.locator('.filters select').nth(0).selectOption('scratch');
    await waitForPosted(page, 'focus', posts);
    assert.equal(await page.locator('.placement .no-tables').textContent(), 'No tables in scratch yet.');
    await page.locator('.filters select').nth(0).selectOption('');
    await page.waitForFunction(() => document.querySelectorAll('.database-list li').length === 3);
    assert.deepEqual(await page.locator('.database-list li').allTextContents(), [
      'bank is not a multi-region database.',
      'movr survives the loss of one zone.',
      'scratch is not a multi-region database.',
    ]);
    await setTheme(page, 'light');
    await screenshot(page, 'topology-before-light');
    await setTheme(page, 'dark');
    await screenshot(page, 'topology-before-dark');
  });

  it('after node 2 dies: marks it dead, moves its leases visibly, and flags the unavailable range', async () => {
    const leasesOn2 = initial.ranges.filter((r) => r.leaseholder === 2).length;
    assert.ok(failure.moved >= 3, `fixture moves several leases (${failure.moved})`);
    // Post and look in the same task as the drawing, so the flying marks are still there.
    const ghosts = await page.evaluate(async (message) => {
      const app = document.getElementById('app');
      const drawn = Number(app?.dataset['renders'] ?? '0');
      window.postMessage(message, '*');
      while (Number(app?.dataset['renders'] ?? '0') === drawn) await new Promise((resolve) => setTimeout(resolve, 0));
      return document.querySelectorAll('.ghost').length;
    }, host.message(failure.model));
    assert.ok(ghosts > 0 && ghosts <= failure.moved, `moved leases fly to their new node (${ghosts} marks)`);

    assert.equal(await page.locator(node(2)).getAttribute('data-liveness'), 'dead');
    assert.equal(await page.locator(`${node(2)} .node-state`).textContent(), '✕ dead');
    assert.equal(await page.locator('.node[data-liveness="live"]').count(), 8);
    assert.equal(await leaseCount(page, 2), '0 leases');
    assert.equal(await page.locator(`${node(2)} .lease-delta`).textContent(), ` (−${leasesOn2})`);
    let gained = 0;
    for (const id of [1, 3, 4, 5, 6, 7, 8, 9]) {
      const delta = (await page.locator(`${node(id)} .lease-delta`).textContent()) ?? '';
      if (delta) gained += Number(/\+(\d+)/.exec(delta)?.[1] ?? 'NaN');
    }
    assert.equal(gained, failure.moved, 'the other nodes gained the moved leases');
    const opacity = await page.locator(node(2)).evaluate((el) => getComputedStyle(el).opacity);
    assert.ok(Number(opacity) < 1, 'a dead node fades');

    assert.equal(await page.locator('.unavailable-band').isVisible(), true);
    assert.match(
      (await page.locator('.unavailable-band').textContent()) ?? '',
      new RegExp(`⚠ 1 range unavailable.*r${failure.unavailable}\\b`),
    );
    const holders = initial.ranges.find((r) => r.rangeId === failure.unavailable)?.replicas.map((x) => x.nodeId) ?? [];
    for (const id of holders) assert.notEqual(await page.locator(`${node(id)} .mark-unavailable`).getAttribute('d'), '', `n${id} shows it`);
    assert.match((await page.locator(`${node(holders[0] ?? 1)} .unavailable-count`).textContent()) ?? '', /⚠ 1 unavailable/);
    // The ranges that kept a majority while losing n2's voter are under-replicated, not unavailable.
    const under = failure.model.ranges.filter((r) => r.available && r.replicas.some((x) => x.nodeId === 2 && x.type === 'voter')).length;
    assert.ok(under > 0, 'the fixture has ranges that lost a voter and kept quorum');
    assert.equal(await page.locator('.under-replicated-count').textContent(), `${under.toLocaleString('en-US')} ranges under-replicated`);
    assert.match((await page.locator('.under-replicated-band').textContent()) ?? '', /Still available: a majority of voters is up/);

    const live = page.locator('#app > .visually-hidden[role="status"]');
    assert.equal(await live.textContent(), `node 2 is dead; ${failure.moved} leases moved; 1 range unavailable`);
    assert.match((await page.locator('.nodes-table tbody tr').nth(1).textContent()) ?? '', /Node 2us-east1cdead/);

    // Flying marks are removed when their flight is over.
    await page.locator('.ghost').first().waitFor({ state: 'detached' });
    assert.equal(await page.locator('.ghost').count(), 0, 'flying marks are removed');
    await screenshot(page, 'topology-after-dark');
    await setTheme(page, 'light');
    await screenshot(page, 'topology-after-light');
    await setTheme(page, 'dark');
  });

  it('shows a range on hover and its details on click', async () => {
    const marks = page.locator(`${node(1)} .mark-hit`);
    const box = await marks.boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + 3, box.y + 3);
    const tooltip = page.locator('.tooltip');
    await tooltip.waitFor();
    const lines = await tooltip.locator('div').allTextContents();
    assert.match(lines[0] ?? '', /^r\d+ · /);
    assert.match(lines.join('\n'), /leaseholder n1 \(region=us-east1,az=b\)|leaseholder none/);
    await screenshot(page, 'topology-tooltip-dark');
    await page.mouse.click(box.x + 3, box.y + 3);
    const heading = page.locator('.details-heading');
    assert.match((await heading.textContent()) ?? '', /^Range r\d+$/);
    const facts = await page.locator('.details .facts').textContent();
    assert.match(facts ?? '', /Start key.*End key.*Status.*Leaseholder/s);
    assert.ok((await page.locator('.replica-table tbody tr').count()) >= 3, 'replicas with their localities and types');
    assert.match((await page.locator('.replica-table tbody tr').first().textContent()) ?? '', /^n\d+region=[\w-]+,az=\w(voter|non-voter)/);
    await page.mouse.move(0, 0);
    await tooltip.waitFor({ state: 'hidden' });

    // The unavailable range, from the band.
    await page.locator('.unavailable-band .link').first().click();
    assert.equal(await heading.textContent(), `Range r${failure.unavailable}`);
    assert.match((await page.locator('.details .facts').textContent()) ?? '', /unavailable: no reachable leaseholder.*Leaseholdernone/s);
    assert.match((await page.locator('.replica-table').textContent()) ?? '', /node dead/);
    // Picking a range made it the selection, named in the filter bar; it clears like the others.
    assert.equal(await page.locator('.range-selection-name').textContent(), `Range r${failure.unavailable}`);
    await page.locator('.range-selection vscode-button', { hasText: 'Clear range' }).click();
    await page.locator('.range-selection').waitFor({ state: 'hidden' });
  });

  it('is usable from the keyboard: arrows move between nodes, Enter opens a node, Escape returns', async () => {
    await page.locator('.filters select').nth(0).focus();
    let onNode = false;
    for (let i = 0; i < 20 && !onNode; i++) {
      await page.keyboard.press('Tab');
      onNode = await page.evaluate(() => document.activeElement?.classList.contains('node') ?? false);
    }
    assert.ok(onNode, 'Tab reaches the picture');
    const focused = (): Promise<string | undefined> =>
      page.evaluate(() => (document.activeElement as SVGElement | null)?.dataset['nodeId']);
    assert.equal(await page.locator('.node[tabindex="0"]').count(), 1, 'one tab stop for all nodes');
    // Reading order on the map: us-west1 (n4–n6), us-east1 (n1–n3), europe-west1 (n7–n9).
    await page.keyboard.press('Home');
    assert.equal(await focused(), '4');
    await page.keyboard.press('ArrowRight');
    assert.equal(await focused(), '5');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), '6', 'down goes to the zone below in the same region');
    await page.keyboard.press('ArrowRight');
    assert.equal(await focused(), '1', 'right goes on to the next region east');
    await page.keyboard.press('End');
    assert.equal(await focused(), '9');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focused(), '8');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), '5');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('.details-heading').textContent(), 'Node 5');
    assert.equal(
      await page.evaluate(() => document.activeElement?.classList.contains('details-heading')),
      true,
      'focus moves to the details',
    );
    assert.match((await page.locator('.details .facts').textContent()) ?? '', /Liveness.*live.*Localityregion=us-west1,az=b/s);
    const items = page.locator('.range-list .range-item');
    assert.ok((await items.count()) > 0);
    // A range from the node's list, and back.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    assert.match((await page.locator('.details-heading').textContent()) ?? '', /^Range r\d+$/);
    await page.locator('.details .link', { hasText: '← Node 5' }).click();
    assert.equal(await page.locator('.details-heading').textContent(), 'Node 5');
    await page.keyboard.press('Escape');
    assert.equal(await focused(), '5', 'Escape returns to the node');
    assert.equal(await page.locator('.details-heading').textContent(), 'Details');
    await page.locator('.range-selection vscode-button', { hasText: 'Clear range' }).click();
    await page.locator('.range-selection').waitFor({ state: 'hidden' });
  });

  it('offers the simulated cluster’s controls only when enabled, and posts typed control messages', async () => {
    assert.equal(await page.locator('.controls').isHidden(), true);
    await page.locator(`${node(1)} .node-name`).click();
    assert.equal(await page.locator('.node-controls').count(), 0, 'no node controls before the host enables them');
    await send(page, { type: 'controls', enabled: true });
    await page.locator('.controls').waitFor();
    await page.locator('.node-controls').waitFor();
    assert.deepEqual(await page.locator('.node-controls vscode-button').allTextContents(), ['Kill', 'Decommission']);
    assert.deepEqual(await clickForControl(page, () => page.locator('.node-controls vscode-button', { hasText: 'Kill' }).click()), {
      action: 'kill',
      nodeId: 1,
    });
    assert.deepEqual(await clickForControl(page, () => page.locator('.node-controls vscode-button', { hasText: 'Decommission' }).click()), {
      action: 'decommission',
      nodeId: 1,
    });
    // The dead node offers Restart; keyboard-only, from the picture.
    await page.locator(node(1)).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    assert.deepEqual(await page.locator('.node-controls vscode-button').allTextContents(), ['Restart', 'Decommission']);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Restart', 'the controls are reachable with Tab');
    assert.deepEqual(await clickForControl(page, () => page.keyboard.press('Enter')), { action: 'restart', nodeId: 2 });

    const west = page.locator('.region-controls li[data-region="us-west1"]');
    assert.deepEqual(await clickForControl(page, () => west.locator('vscode-button', { hasText: 'Partition' }).click()), {
      action: 'partition',
      region: 'us-west1',
    });
    assert.deepEqual(await clickForControl(page, () => west.locator('vscode-button', { hasText: 'Heal' }).click()), {
      action: 'heal',
      region: 'us-west1',
    });
    await page.locator('.add-node select').nth(0).selectOption('europe-west1');
    assert.deepEqual(await page.locator('.add-node select').nth(1).locator('option').allTextContents(), ['b', 'c', 'd']);
    await page.locator('.add-node select').nth(1).selectOption('c');
    assert.deepEqual(await clickForControl(page, () => page.locator('.add-node vscode-button', { hasText: 'Add node' }).click()), {
      action: 'add',
      region: 'europe-west1',
      zone: 'c',
    });
    assert.equal(await page.locator('.control-result').textContent(), 'Add a node in europe-west1, zone c…');
    await send(page, { type: 'control-result', ok: true, message: 'Node 10 joined in europe-west1, zone c.' });
    await page.locator('.control-result', { hasText: '✓ Node 10 joined' }).waitFor();
    assert.equal(await page.locator('#app > .visually-hidden[role="status"]').textContent(), '✓ Node 10 joined in europe-west1, zone c.');
    await send(page, { type: 'control-result', ok: false, message: 'node 2 is already dead' });
    await page.locator('.control-result.failed', { hasText: '✕ node 2 is already dead' }).waitFor();
    await screenshot(page, 'topology-controls-dark');

    await send(page, { type: 'controls', enabled: false });
    await page.locator('.controls').waitFor({ state: 'hidden' });
    await page.locator('.node-controls').waitFor({ state: 'detached' });
  });

  it('keeps the last picture when reading fails, and says why', async () => {
    await send(page, { type: 'error', message: 'connection refused' });
    const band = page.locator('.error-band');
    await band.waitFor();
    assert.match((await band.textContent()) ?? '', /Could not read the topology: connection refused.*Showing what was read at/);
    assert.equal(await page.locator('.node').count(), 9, 'the picture stays');
    assert.equal(await page.locator(node(2)).getAttribute('data-liveness'), 'dead');
    await sendModel(page, failure.model);
    assert.equal(await band.isHidden(), true, 'a new model clears the error');
    const refreshed = (await posted(page)).length;
    await page.locator('.topology-bar vscode-button', { hasText: 'Refresh' }).click();
    assert.deepEqual(await waitForPosted(page, 'refresh', refreshed), { type: 'refresh' });
  });

  it('respects prefers-reduced-motion: no flying marks, no transitions', async () => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await sendModel(page, initial);
    // Marks an earlier test set flying finish their flight first (slowly on a loaded machine):
    // what counts is that this change makes none.
    await page.waitForFunction(() => document.querySelectorAll('.ghost').length === 0, undefined, { timeout: PATIENCE_MS });
    const ghosts = await page.evaluate(async (message) => {
      const app = document.getElementById('app');
      const drawn = Number(app?.dataset['renders'] ?? '0');
      window.postMessage(message, '*');
      while (Number(app?.dataset['renders'] ?? '0') === drawn) await new Promise((resolve) => setTimeout(resolve, 0));
      return document.querySelectorAll('.ghost').length;
    }, host.message(failure.model));
    assert.equal(ghosts, 0);
    assert.equal(await page.locator(node(2)).evaluate((el) => getComputedStyle(el).transitionDuration), '0s');
    assert.equal(await page.locator(node(2)).getAttribute('data-liveness'), 'dead', 'the change is still shown');
    await page.emulateMedia({ reducedMotion: 'no-preference' });
  });

  it('comes back with the same filter and details after being hidden and shown', async () => {
    await page.locator('.filters select').nth(0).selectOption('movr');
    await page.locator('.filters select').nth(1).selectOption('rides');
    await page.locator(`${node(4)} .node-name`).click();
    assert.equal(await page.locator('.details-heading').textContent(), 'Node 4');
    await page.reload();
    host.reset();
    await page.waitForFunction(() => (window as unknown as TestWindow).posted.some((m) => m.type === 'ready'));
    await setTheme(page, 'dark');
    assert.deepEqual(
      await posted(page),
      [{ type: 'ready' }, { type: 'focus', database: 'movr', table: 'rides' }],
      'asks for the remembered table',
    );
    await sendModel(page, failure.model);
    assert.equal(await page.locator('.filters select').nth(0).inputValue(), 'movr');
    assert.equal(await page.locator('.filters select').nth(1).inputValue(), 'rides');
    assert.equal(await page.locator('.partition-row').count(), 3);
    assert.equal(await page.locator('.details-heading').textContent(), 'Node 4');
    await page.locator('.filters select').nth(0).selectOption('');
  });

  it('draws 9 nodes × 4,000 ranges as marks, and 5,000 as per-node density, with a few hundred elements', async () => {
    const marked = largeModel(4_000);
    // How long this takes is bench/topology.mjs's to measure.
    await sendModel(page, marked);
    const m1 = marked.ranges.filter((r) => r.replicas.some((x) => x.nodeId === 1)).length;
    assert.equal(await page.locator(`${node(1)} .replica-count`).textContent(), `${m1.toLocaleString('en-US')} replicas`);
    assert.equal(await page.locator(`${node(1)} .marks-more`).textContent(), '', 'every replica has a mark');
    assert.equal(await page.locator(`${node(1)} .density`).isVisible(), false);

    const large = largeModel(5_000);
    await sendModel(page, large);
    const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
    assert.ok(elements < 1_500, `${elements} DOM elements for 15,000 replicas`);
    const n1 = large.ranges.filter((r) => r.replicas.some((x) => x.nodeId === 1)).length;
    const leases1 = large.ranges.filter((r) => r.leaseholder === 1).length;
    assert.equal(await page.locator(`${node(1)} .replica-count`).textContent(), `${n1.toLocaleString('en-US')} replicas`);
    assert.equal(await page.locator(`${node(1)} .density`).isVisible(), true, 'density bars instead of marks');
    assert.equal(await page.locator(`${node(1)} .mark-voter`).getAttribute('d'), '');
    assert.deepEqual(await page.locator(`${node(1)} .density-count`).allTextContents(), [
      `${leases1.toLocaleString('en-US')} leases`,
      `${n1.toLocaleString('en-US')} voters`,
      '0 non-voters',
      '0 unavailable',
    ]);
    await screenshot(page, 'topology-large-dark');
  });

  it('is a map: latency on arcs, the gateway marked, a partitioned region labelled partitioned (not dead)', async () => {
    await page.locator('.filters select').nth(0).selectOption('');
    const withLatency = (m: TopologyModel): TopologyModel => ({
      ...m,
      gatewayNodeId: 1,
      latency: {
        source: 'simulated',
        links: [
          { from: 'us-east1', to: 'us-west1', rttMs: 66 },
          { from: 'europe-west1', to: 'us-east1', rttMs: 64 },
          { from: 'europe-west1', to: 'us-west1', rttMs: 146 },
        ],
      },
    });
    await sendModel(page, withLatency(initial));
    assert.deepEqual((await page.locator('.arc-label').allTextContents()).sort(), ['146 ms RTT', '64 ms RTT', '66 ms RTT']);
    assert.match((await page.locator('.region[data-region="us-east1"] .region-status').textContent()) ?? '', /◆ gateway n1/);
    assert.match((await page.locator(`${node(1)} .node-name`).textContent()) ?? '', /gateway/);
    await screenshot(page, 'topology-map-before');
    await sendModel(page, withLatency(failure.model));
    await page.waitForFunction(() => document.querySelectorAll('.ghost').length === 0, undefined, { timeout: PATIENCE_MS });
    await screenshot(page, 'topology-map-after-kill');

    const partitioned: TopologyModel = {
      ...withLatency(initial),
      partitionedRegions: ['europe-west1'],
      nodes: initial.nodes.map((n) => (n.region === 'europe-west1' ? { ...n, liveness: 'dead' as const, partitioned: true } : n)),
    };
    await sendModel(page, partitioned);
    assert.match(
      (await page.locator('.region[data-region="europe-west1"] .region-status').textContent()) ?? '',
      /⌁ partitioned: cut off from the other regions/,
    );
    for (const id of [7, 8, 9]) {
      assert.equal(await page.locator(`${node(id)} .node-state`).textContent(), '⌁ partitioned');
      assert.equal(await page.locator(node(id)).getAttribute('data-state'), 'partitioned');
    }
    assert.equal(await page.locator(`${node(1)} .node-state`).textContent(), '✓ live');
    assert.deepEqual((await page.locator('.arc-cut .arc-label').allTextContents()).sort(), ['✕ partitioned', '✕ partitioned']);
    assert.deepEqual(await page.locator('.arc:not(.arc-cut) .arc-label').allTextContents(), ['66 ms RTT']);
    await screenshot(page, 'topology-map-partitioned');
    await sendModel(page, withLatency(initial));
  });

  it('selecting a partition lights up its replicas’ nodes, marks its leaseholders apart and links them to their followers', async () => {
    await page.locator('.filters select').nth(0).selectOption('movr');
    await page.locator('.filters select').nth(1).selectOption('rides');
    const partition = page.locator('.filters select').nth(3);
    assert.equal(await partition.isVisible(), true, 'a REGIONAL BY ROW table offers its partitions');
    const before = (await posted(page)).length;
    await partition.selectOption('us-west1');
    assert.deepEqual(await waitForPosted(page, 'focus', before), {
      type: 'focus',
      database: 'movr',
      table: 'rides',
      partition: 'us-west1',
    });
    const own = initial.ranges.filter((r) => r.table === 'rides' && r.partition === 'us-west1');
    assert.ok(own.length > 0);
    const holders = new Set(own.flatMap((r) => r.replicas.map((x) => x.nodeId)));
    const leaseholders = new Set(own.flatMap((r) => (r.leaseholder === undefined ? [] : [r.leaseholder])));
    for (let id = 1; id <= 9; id++) {
      const classes = (await page.locator(node(id)).getAttribute('class')) ?? '';
      assert.equal(classes.includes('holds'), holders.has(id), `n${id} holds a replica: ${classes}`);
      assert.equal(classes.includes('dim'), !holders.has(id), `n${id} steps back: ${classes}`);
      assert.equal(classes.includes('holds-lease'), leaseholders.has(id), `n${id} leaseholder: ${classes}`);
      const badge = (await page.locator(`${node(id)} .node-badge`).textContent()) ?? '';
      assert.equal(badge.includes('● leaseholder'), leaseholders.has(id), `n${id} badge: ${badge}`);
      // Leaseholders are circles (a shape, not only a colour); others hold squares.
      const circles = (await page.locator(`${node(id)} .mark-lease`).getAttribute('d')) ?? '';
      assert.equal(circles.includes('a'), leaseholders.has(id), `n${id} lease marks`);
    }
    const links = await page
      .locator('.replica-link')
      .evaluateAll((els) => els.map((e) => [Number((e as SVGElement).dataset['from']), Number((e as SVGElement).dataset['to'])]));
    assert.ok(links.length > 0, 'lines from leaseholders to followers');
    for (const [from, to] of links) {
      assert.ok(leaseholders.has(from ?? 0) && holders.has(to ?? 0), `${from} → ${to}`);
    }
    await screenshot(page, 'topology-map-partition-selected');
    await page.locator('.filters select').nth(0).selectOption('');
    assert.equal(await page.locator('.node.dim').count(), 0, 'no selection: nothing dimmed');
  });

  it('in the density view a node lists the selection’s ranges a page at a time, asked of the host, marked as in the normal view', async () => {
    await page.locator('.filters select').nth(0).selectOption('movr');
    await page.locator('.filters select').nth(1).selectOption('rides');
    const selection = { database: 'movr', table: 'rides' };
    const large = largeModel(6_000);
    await sendModel(page, large);
    assert.equal(await page.locator(`${node(1)} .density`).isVisible(), true, 'drawn as density: the page holds no ranges');
    let before = (await posted(page)).length;
    await page.locator(`${node(1)} .node-name`).click();
    assert.deepEqual(await waitForPosted(page, 'node-ranges', before), { type: 'node-ranges', nodeId: 1, offset: 0 });
    await send(page, { type: 'node-ranges', page: nodeRangesPage(large, selection, 1, 0) });
    const items = page.locator('.details .node-range-pages .range-item');
    await page.waitForFunction(() => document.querySelectorAll('.details .node-range-pages .range-item').length === 100);
    const n1 = large.ranges.filter((r) => r.replicas.some((x) => x.nodeId === 1));
    const n1Leases = n1.filter((r) => r.leaseholder === 1);
    assert.equal(await page.locator('.details .range-page-position').textContent(), `1–100 of ${n1.length.toLocaleString('en-US')}`);
    // Its leaseholder ranges first, as its lease marks come first in the normal view, with the same classes.
    assert.equal(await items.first().getAttribute('class'), 'range-item kind-lease');
    assert.match(
      (await items.first().textContent()) ?? '',
      new RegExp(`^r${n1Leases[0]?.rangeId} · movr\\.rides@rides_pkey \\(us-east1\\) · leaseholder$`),
    );
    assert.equal(await page.locator('.details .node-range-pages .range-item.kind-voter').count(), Math.max(0, 100 - n1Leases.length));
    await screenshot(page, 'topology-density-node-ranges');

    before = (await posted(page)).length;
    await page.locator('.details .range-more button', { hasText: 'Next page' }).click();
    assert.deepEqual(await waitForPosted(page, 'node-ranges', before), { type: 'node-ranges', nodeId: 1, offset: 100 });
    await send(page, { type: 'node-ranges', page: nodeRangesPage(large, selection, 1, 100) });
    await page.locator('.details .range-page-position', { hasText: '101–200' }).waitFor();
    assert.equal(await page.locator('.details .range-more button', { hasText: 'Previous page' }).count(), 1);
    // A page for another selection (the user moved on meanwhile) is not shown.
    await send(page, { type: 'node-ranges', page: nodeRangesPage(large, { database: 'bank' }, 1, 0) });
    assert.match((await page.locator('.details .range-page-position').textContent()) ?? '', /^101–200 of /);

    // A range from the page opens with its replicas, and the way back to the node.
    const picked = (await items.first().getAttribute('data-range-id')) ?? '';
    await items.first().locator('button').click();
    await page.locator('.details-heading', { hasText: `Range r${picked}` }).waitFor();
    assert.equal(await page.locator('.details .replica-table tbody tr').count(), 3);
    assert.equal(await page.locator('.details button', { hasText: '← Node 1' }).count(), 1);
    await page.keyboard.press('Escape');
  });

  it('a range picked from a node’s list becomes the selection: its replicas lit, leaseholder apart, lines to followers; Clear range goes back', async () => {
    await sendModelWith(page, initial, {});
    await page.locator('.filters select').nth(0).selectOption('movr');
    await page.locator('.filters select').nth(1).selectOption('rides');
    await page.locator('.filters select').nth(3).selectOption('us-west1');
    const group = { database: 'movr', table: 'rides', partition: 'us-west1' };
    await sendModelWith(page, initial, group);
    const west = initial.ranges.find((r) => r.table === 'rides' && r.partition === 'us-west1' && r.leaseholder !== undefined);
    assert.ok(west?.leaseholder !== undefined);
    await page.locator(`${node(west.leaseholder)} .node-name`).click();
    await page.locator('.details .range-item').first().waitFor();
    const picked = await pickFirstRange(page, initial);
    const range = initial.ranges.find((r) => r.rangeId === picked.rangeId);
    assert.ok(range);
    assert.deepEqual(picked, { ...group, index: range.index, rangeId: range.rangeId });
    await page.locator('.details-heading', { hasText: `Range r${range.rangeId}` }).waitFor();
    await assertRangeLit(page, range);
    await screenshot(page, 'topology-range-selected');

    // Cleared like the other selections: back to the partition it was picked in.
    const before = (await posted(page)).length;
    await page.locator('.range-selection vscode-button', { hasText: 'Clear range' }).click();
    const { type: _type, ...back } = await waitForPosted(page, 'focus', before);
    assert.equal((back as TopologySelection).rangeId, undefined);
    await sendModelWith(page, initial, back as TopologySelection);
    assert.equal(await page.locator('.range-selection').isVisible(), false);
    assert.ok((await page.locator('.node.holds').count()) >= range.replicas.length);
    await page.locator('.filters select').nth(0).selectOption('');
    await sendModelWith(page, initial, {});
    assert.equal(await page.locator('.node.dim').count(), 0);
  });

  it('in the density view a range picked from a node’s page becomes the selection, drawn as marks with its leaseholder and links', async () => {
    await page.locator('.filters select').nth(0).selectOption('movr');
    await page.locator('.filters select').nth(1).selectOption('rides');
    const selection = { database: 'movr', table: 'rides' };
    const large = largeModel(6_000);
    await sendModelWith(page, large, selection);
    assert.equal(await page.locator(`${node(1)} .density`).isVisible(), true, 'drawn as density');
    const before = (await posted(page)).length;
    await page.locator(`${node(1)} .node-name`).click();
    await waitForPosted(page, 'node-ranges', before);
    await send(page, { type: 'node-ranges', page: nodeRangesPage(large, selection, 1, 0) });
    await page.locator('.details .node-range-pages .range-item').first().waitFor();
    const picked = await pickFirstRange(page, large);
    const range = large.ranges.find((r) => r.rangeId === picked.rangeId);
    assert.ok(range);
    await page.locator('.details-heading', { hasText: `Range r${range.rangeId}` }).waitFor();
    await assertRangeLit(page, range);
    await screenshot(page, 'topology-density-range-selected');
    await page.locator('.filters select').nth(0).selectOption('');
    await sendModelWith(page, initial, {});
  });

  it('says whether a partition’s rows are estimated or counted, and counts them only when asked', async () => {
    const estimated = demoModel();
    estimated.tables = estimated.tables.map((t) =>
      t.name === 'rides' ? { ...t, rowsFrom: { how: 'estimated' as const, at: Date.UTC(2026, 0, 1, 12) } } : t,
    );
    await sendModel(page, estimated);
    await page.locator('.filters select').nth(0).selectOption('movr');
    await page.locator('.filters select').nth(1).selectOption('rides');
    await page.locator('.partition-row').first().waitFor();
    assert.deepEqual((await page.locator('.partition-row').first().locator('th, td').allTextContents()).slice(0, 2), [
      'us-east1',
      '≈ 1,200',
    ]);
    assert.match(
      (await page.locator('.rows-source').textContent()) ?? '',
      /^Rows estimated \(≈\) from the table statistics collected at .+; not a count\.$/,
    );
    assert.match((await page.locator('.region[data-region="us-west1"] .region-note').textContent()) ?? '', /rides: ≈ 800 rows here/);
    const before = (await posted(page)).length;
    await page.locator('.rows-note vscode-button', { hasText: 'Count rows now' }).click();
    assert.deepEqual(await waitForPosted(page, 'count-rows', before), { type: 'count-rows', database: 'movr', table: 'rides' });
    assert.match((await page.locator('.rows-count-status').textContent()) ?? '', /full scan/);
    await send(page, { type: 'rows-counted', database: 'movr', table: 'rides', ok: false, message: 'permission denied' });
    await page.locator('.rows-count-status', { hasText: 'Not counted: permission denied' }).waitFor();
    // The host's next reading carries the count.
    const counted = demoModel();
    counted.tables = counted.tables.map((t) =>
      t.name === 'rides'
        ? {
            ...t,
            partitions: [
              { region: 'us-east1', rows: 1201 },
              { region: 'us-west1', rows: 800 },
              { region: 'europe-west1', rows: 450 },
            ],
            rowsFrom: { how: 'counted' as const, at: Date.UTC(2026, 0, 1, 12, 5) },
          }
        : t,
    );
    await sendModel(page, counted);
    assert.deepEqual((await page.locator('.partition-row').first().locator('th, td').allTextContents()).slice(0, 2), ['us-east1', '1,201']);
    assert.match((await page.locator('.rows-source').textContent()) ?? '', /^Rows counted at /);
    assert.equal(await page.locator('.rows-note vscode-button', { hasText: 'Count rows again' }).count(), 1);
    await page.locator('.filters select').nth(0).selectOption('');
  });

  it('on a server that is not CockroachDB says so in one sentence instead of an empty map', async () => {
    const pg: TopologyModel = {
      readAt: Date.now(),
      target: 'local postgres',
      simulated: false,
      regions: [],
      nodes: [],
      databases: [],
      tables: [],
      ranges: [],
      missing: [],
      notCockroachDb: 'This server is PostgreSQL 16.4, not CockroachDB: it has no ranges or regions to show.',
    };
    await sendModel(page, pg);
    assert.equal(await page.locator('.not-cockroach').textContent(), pg.notCockroachDb);
    assert.equal(await page.locator('.topology-main').isVisible(), false, 'no empty map');
    assert.ok(!((await page.locator('body').textContent()) ?? '').includes('not available on this CockroachDB version'));
    await screenshot(page, 'topology-postgres');
    await sendModel(page, initial);
    assert.equal(await page.locator('.not-cockroach').isVisible(), false);
  });

  it('ignores malformed messages, and logs no errors or CSP violations', async () => {
    const drawn = await page.getAttribute('#app', 'data-renders');
    for (const junk of [null, 'hello', { type: 'nope' }, { type: 'model', model: { nodes: 'x' } }, { type: 'controls' }])
      await page.evaluate((m) => {
        window.postMessage(m, '*');
      }, junk);
    await afterMessages(page);
    assert.equal(await page.getAttribute('#app', 'data-renders'), drawn);
    assert.deepEqual(await page.evaluate(() => (window as unknown as TestWindow).cspViolations), []);
    assert.deepEqual(session?.consoleErrors ?? [], []);
  });
});
