/// <reference lib="dom" />
// The topology view's story in headless Chromium, under the webview CSP: survival goals and
// what-if, the timeline replaying a node's death and the lease moves it caused, and the row box.
// The host's part is played by the host's own modules (the story recorder, survivability, row
// location over a fixture connection) on fixture topologies of a `cockroach demo --global`-like
// cluster, so what the page shows is what the extension would send it.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { TopologyModel, TopologyNode, TopologyRange, TopologyToWebview } from '../../protocol/src/topology';
import type { RegionRtt, TopologyStoryToHost, TopologyStoryToWebview } from '../../protocol/src/topologyStory';
import { buildView } from '../../protocol/src/topologyView';
import { StoryRecorder } from '../../runner/src/topology/events';
import { locateRow } from '../../runner/src/topology/rowLocation';
import { survivalReports, whatIf } from '../../runner/src/topology/survivability';
import type { QueryFn } from '../../runner/src/topology/reader';
import { openBrowser, screenshot, type BrowserSession } from '../support/browser';
import { PATIENCE_MS } from '../support/patience';
import { repoRoot } from '../support/tools';
import { afterMessages, installVsCodeApi, ORIGIN, serveWebview, setTheme, type RecordingWindow } from '../support/webviewPage';

const BUNDLE = path.join(repoRoot, 'dist', 'webview', 'topology.js');

type TestWindow = RecordingWindow<TopologyStoryToHost | { type: string }>;

const REGIONS: Record<string, string[]> = { 'us-east1': ['b', 'c', 'd'], 'us-west1': ['a', 'b', 'c'], 'europe-west1': ['b', 'c', 'd'] };
const regionNames = Object.keys(REGIONS);
/** `cockroach demo --global`'s round trips. */
const RTT: Record<string, number> = { 'us-east1|us-west1': 66, 'europe-west1|us-east1': 64, 'europe-west1|us-west1': 146 };

function links(): RegionRtt[] {
  return regionNames.flatMap((from) =>
    regionNames.map((to) => ({ from, to, rttMs: from === to ? 1 : (RTT[[from, to].sort().join('|')] ?? 100) })),
  );
}

function inRegion(region: string): number[] {
  const r = regionNames.indexOf(region);
  return [r * 3 + 1, r * 3 + 2, r * 3 + 3];
}

function nodes(): TopologyNode[] {
  return regionNames.flatMap((region, r) =>
    (REGIONS[region] ?? []).map((zone, z) => {
      const id = r * 3 + z + 1;
      return { id, region, zone, locality: `region=${region},az=${zone}`, address: `127.0.0.1:${26256 + id}`, liveness: 'live' as const };
    }),
  );
}

/**
 * movr (ZONE survival): rides REGIONAL BY ROW, two ranges per region partition, voters in the
 * partition's region and a non-voter in each other region; promo_codes homed in us-east1; users in
 * us-west1. bank: three voters spread over the regions.
 */
function demoModel(): TopologyModel {
  const ranges: TopologyRange[] = [];
  let id = 1;
  const homed = (table: string, index: string, home: string, n: number, partition?: string): void => {
    const voters = inRegion(home);
    const others = regionNames.filter((r) => r !== home).map((r) => inRegion(r)[0] ?? 1);
    for (let i = 0; i < n; i++) {
      const rangeId = id++;
      ranges.push({
        rangeId,
        database: 'movr',
        table,
        index,
        ...(partition ? { partition } : {}),
        startKey: `/Table/${table}/1/${partition ? `"${partition}"/` : ''}${i}`,
        endKey: `/Table/${table}/1/${partition ? `"${partition}"/` : ''}${i + 1}`,
        replicas: [
          ...voters.map((nodeId) => ({ nodeId, type: 'voter' as const })),
          ...others.map((nodeId) => ({ nodeId, type: 'non-voter' as const })),
        ],
        leaseholder: voters[(i + 1) % 3] ?? 1,
        available: true,
      });
    }
  };
  for (const region of regionNames) homed('rides', 'rides_pkey', region, 2, region);
  homed('promo_codes', 'promo_codes_pkey', 'us-east1', 2);
  homed('users', 'users_pkey', 'us-west1', 2);
  for (let i = 0; i < 3; i++) {
    const voters = [2, 5, 8];
    const rangeId = id++;
    ranges.push({
      rangeId,
      database: 'bank',
      table: 'accounts',
      index: 'accounts_pkey',
      startKey: `/Table/accounts/1/${i}`,
      endKey: `/Table/accounts/1/${i + 1}`,
      replicas: voters.map((nodeId) => ({ nodeId, type: 'voter' as const })),
      leaseholder: voters[i % 3] ?? 2,
      available: true,
    });
  }
  return {
    readAt: Date.UTC(2025, 0, 2, 10, 42, 5),
    target: 'simulated',
    simulated: true,
    regions: regionNames.map((name) => ({ name, zones: REGIONS[name] ?? [] })),
    nodes: nodes(),
    databases: [
      { name: 'bank', regions: [] },
      { name: 'movr', primaryRegion: 'us-east1', regions: [...regionNames], survivalGoal: 'zone' },
    ],
    tables: [
      { database: 'bank', name: 'accounts' },
      {
        database: 'movr',
        name: 'rides',
        locality: 'regional-by-row',
        localityText: 'REGIONAL BY ROW',
        partitions: regionNames.map((region, i) => ({ region, rows: 10 * (i + 1) })),
      },
      { database: 'movr', name: 'promo_codes', locality: 'regional-by-table', homeRegion: 'us-east1' },
      { database: 'movr', name: 'users', locality: 'regional-by-table', homeRegion: 'us-west1' },
    ],
    ranges,
    missing: [],
  };
}

/** 12 s later node 2 died: its leases moved to the next voter of each range. */
function afterN2Died(before: TopologyModel): TopologyModel {
  return {
    ...before,
    readAt: before.readAt + 12_000,
    nodes: before.nodes.map((n) => (n.id === 2 ? { ...n, liveness: 'dead' as const } : n)),
    ranges: before.ranges.map((r) => {
      if (r.leaseholder !== 2) return r;
      const next = r.replicas.find((x) => x.type === 'voter' && x.nodeId !== 2);
      return next ? { ...r, leaseholder: next.nodeId } : r;
    }),
  };
}

/** The host's story messages for a reading. */
function storyOf(recorder: StoryRecorder, model: TopologyModel): TopologyStoryToWebview {
  recorder.observe(model);
  return {
    type: 'story',
    frames: recorder.frames(),
    survival: survivalReports(model),
    rowTables: [{ database: 'movr', table: 'rides', partitions: regionNames.map((region, i) => ({ region, rows: 10 * (i + 1) })) }],
  };
}

/** SHOW RANGE … FOR ROW answered from the model: the first rides range of the asked region. */
function fixtureQuery(model: TopologyModel): QueryFn {
  return (sql) => {
    const region = regionNames.find((r) => sql.includes(`'${r}'`));
    const range = model.ranges.find((r) => r.table === 'rides' && r.partition === region);
    if (!range) return Promise.reject(new Error(`unexpected statement: ${sql}`));
    const ids = range.replicas.map((r) => r.nodeId);
    const locality = (id: number): string => model.nodes.find((n) => n.id === id)?.locality ?? '';
    return Promise.resolve({
      columns: [
        'start_key',
        'end_key',
        'range_id',
        'lease_holder',
        'lease_holder_locality',
        'replicas',
        'replica_localities',
        'voting_replicas',
        'non_voting_replicas',
      ],
      rows: [
        [
          range.startKey,
          range.endKey,
          String(range.rangeId),
          String(range.leaseholder),
          locality(range.leaseholder ?? 0),
          `{${ids.join(',')}}`,
          `{${ids.map((id) => `"${locality(id)}"`).join(',')}}`,
          `{${range.replicas
            .filter((r) => r.type === 'voter')
            .map((r) => r.nodeId)
            .join(',')}}`,
          `{${range.replicas
            .filter((r) => r.type === 'non-voter')
            .map((r) => r.nodeId)
            .join(',')}}`,
        ],
      ],
    });
  };
}

async function send(page: Page, message: TopologyToWebview | TopologyStoryToWebview): Promise<void> {
  await page.evaluate((m) => {
    window.postMessage(m, '*');
  }, message);
  await afterMessages(page);
}

async function waitForPosted<T extends TopologyStoryToHost['type']>(
  page: Page,
  type: T,
  after: number,
): Promise<Extract<TopologyStoryToHost, { type: T }>> {
  const handle = await page.waitForFunction(
    ({ want, skip }) => (window as unknown as TestWindow).posted.slice(skip).find((m) => m.type === want),
    { want: type, skip: after },
  );
  return (await handle.jsonValue()) as Extract<TopologyStoryToHost, { type: T }>;
}

async function postedCount(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as TestWindow).posted.length);
}

const node = (id: number): string => `.node[data-node-id="${id}"]`;

describe('topology story in Chromium: survival, what-if, timeline, row location', function () {
  this.timeout(3 * PATIENCE_MS);
  let session: BrowserSession | undefined;
  let page: Page;
  const initial = demoModel();
  const failed = afterN2Died(initial);
  const recorder = new StoryRecorder();

  before(async () => {
    assert.ok(existsSync(BUNDLE), `${BUNDLE} exists (node esbuild.mjs builds it)`);
    session = await openBrowser();
    page = session.page;
    await serveWebview(session.context, 'topology', ['topology.css', 'topology-story.css'], 'Topology');
    await page.addInitScript(installVsCodeApi);
    await page.goto(`${ORIGIN}/index.html`);
    await page.waitForFunction(() => (window as unknown as TestWindow).posted.some((m) => m.type === 'ready'));
    await setTheme(page, 'dark');
    await send(page, { type: 'snapshot', view: buildView({ ...initial, latency: { source: 'simulated', links: links() } }, {}, 1) });
    await send(page, storyOf(recorder, initial));
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(page, `topology-story-failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  after(async () => {
    assert.deepEqual(await page.evaluate(() => (window as unknown as TestWindow).cspViolations), [], 'no CSP violations');
    await session?.close();
  });

  it('states each database’s survival goal and the failures counted against it', async () => {
    const movr = page.locator('.survival-report[data-database="movr"]');
    assert.match((await movr.locator('.survival-goal').textContent()) ?? '', /survives the loss of one availability zone/);
    assert.equal(await movr.locator('.survival-verdict').textContent(), 'no failures now');
  });

  it('what-if on a region lists the tables that would become unavailable and outlines its nodes', async () => {
    const before = await postedCount(page);
    await page.locator('.what-if-domain[data-domain="region:us-east1"]').hover();
    const asked = await waitForPosted(page, 'what-if', before);
    assert.deepEqual(asked.domain, { kind: 'region', region: 'us-east1' });
    await send(page, { type: 'what-if', result: whatIf(initial, asked.domain) });
    assert.deepEqual(await page.locator('.what-if-tables li').allTextContents(), ['movr.promo_codes: 2 ranges', 'movr.rides: 2 ranges']);
    assert.equal(
      await page.locator('.what-if-summary').textContent(),
      'If us-east1 failed, 4 ranges would lose quorum: movr.promo_codes, movr.rides would become unavailable',
    );
    for (const id of inRegion('us-east1')) assert.equal(await page.locator(`${node(id)}.what-if-failing`).count(), 1, `n${id} outlined`);
    assert.equal(await page.locator('.what-if-failing').count(), 3);
    await screenshot(page, 'topology-story-what-if-us-east1');
    // A node: n5 is one voter of three (bank) and of users: nothing loses quorum.
    const next = await postedCount(page);
    await page.locator('.what-if-domain[data-domain="node:5"]').hover();
    const n5 = await waitForPosted(page, 'what-if', next);
    await send(page, { type: 'what-if', result: whatIf(initial, n5.domain) });
    assert.equal(await page.locator('.what-if-summary').textContent(), 'If n5 failed, every range would keep quorum');
    await page.mouse.move(0, 0);
    await afterMessages(page);
    assert.equal(await page.locator('.what-if-failing').count(), 0, 'leaving the button clears the outline');
    // On the map too, once asked for: pointing at a node there asks about that node.
    await page.locator('.what-if-on-map input').check();
    const onMap = await postedCount(page);
    await page.locator(node(4)).hover();
    // The pointer crosses other nodes on its way: the last question is about n4.
    const n4 = (await (
      await page.waitForFunction((skip) => {
        const asked = (window as unknown as TestWindow).posted.slice(skip).filter((m) => m.type === 'what-if');
        const last = asked[asked.length - 1] as { domain?: { kind: string; nodeId?: number } } | undefined;
        return last?.domain?.nodeId === 4 ? last : undefined;
      }, onMap)
    ).jsonValue()) as Extract<TopologyStoryToHost, { type: 'what-if' }>;
    assert.deepEqual(n4.domain, { kind: 'node', nodeId: 4 });
    await send(page, { type: 'what-if', result: whatIf(initial, n4.domain) });
    assert.equal(await page.locator(`${node(4)}.what-if-failing`).count(), 1);
    await page.locator('.what-if-on-map input').uncheck();
    await page.mouse.move(0, 0);
  });

  it('the timeline records a kill and its lease moves, and replays them step by step', async () => {
    await send(page, { type: 'snapshot', view: buildView(failed, {}, 2) });
    await send(page, storyOf(recorder, failed));
    const log = await page.locator('.timeline-log .log-event').allTextContents();
    const at = new Date(failed.readAt).toLocaleTimeString();
    // A real cluster's story: when the poll saw each change.
    assert.deepEqual(log, [`seen ${at} n2 died (us-east1/c)`, `seen ${at} 3 leases moved: n2 → n1 (2), n2 → n5 (1)`]);
    assert.match((await page.locator('.timeline-clock').textContent()) ?? '', /when a reading saw the change/);
    assert.match((await page.locator('.timeline-position').textContent()) ?? '', /^Step 2 of 2 · .* · live$/);
    assert.equal(await page.locator('.strip-node[data-node-id="2"]').getAttribute('data-state'), 'dead');
    // The survival goal now counts the dead node.
    assert.equal(
      await page.locator('.survival-report[data-database="movr"] .survival-verdict').textContent(),
      'n2 dead: one failure, within the goal (one zone)',
    );
    await screenshot(page, 'topology-story-timeline-after-kill');

    // Back one step: n2 was live and held its leases.
    await page.locator('.timeline-back').click();
    assert.match((await page.locator('.timeline-position').textContent()) ?? '', /^Step 1 of 2 · .* · replaying$/);
    assert.equal(await page.locator('.strip-node[data-node-id="2"]').getAttribute('data-state'), 'live');
    assert.equal(await page.locator('.strip-node[data-node-id="2"] .strip-leases').textContent(), '3 leases');
    // Forward again: the leases fly from n2 (counted in the same task as the click, so no timing).
    const flying = await page.evaluate(() => {
      document.querySelector<HTMLButtonElement>('.timeline-forward')?.click();
      return document.querySelectorAll('.flying-lease').length;
    });
    assert.equal(flying, 3, 'one flying mark per lease that moved');
    assert.equal(await page.locator('.strip-node[data-node-id="2"] .strip-leases').textContent(), '0 leases');
    assert.equal(await page.locator('.timeline-live').getAttribute('aria-pressed'), 'true');

    // Under prefers-reduced-motion nothing flies.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.locator('.timeline-back').click();
    const still = await page.evaluate(() => {
      for (const m of document.querySelectorAll('.flying-lease')) m.remove();
      document.querySelector<HTMLButtonElement>('.timeline-forward')?.click();
      return document.querySelectorAll('.flying-lease').length;
    });
    assert.equal(still, 0);
    await page.emulateMedia({ reducedMotion: 'no-preference' });

    // Choosing an event in the log steps to it.
    await page.locator('.timeline-back').click();
    await page.locator('.timeline-log .log-event .link').first().click();
    assert.match((await page.locator('.timeline-position').textContent()) ?? '', /^Step 2 of 2/);
  });

  it('the row box asks SHOW RANGE … FOR ROW and marks the range’s leaseholder and replicas', async () => {
    assert.deepEqual(await page.locator('.row-partition').allTextContents(), [
      'us-east1 · 10 rows',
      'us-west1 · 20 rows',
      'europe-west1 · 30 rows',
    ]);
    await page.locator('.story-rows select').nth(1).selectOption('us-west1');
    await page.locator('.row-key').fill('42');
    const before = await postedCount(page);
    await page.locator('.row-key').press('Enter');
    const asked = await waitForPosted(page, 'locate-row', before);
    assert.deepEqual(asked, { type: 'locate-row', database: 'movr', table: 'rides', region: 'us-west1', key: '42' });
    const locations = await locateRow(fixtureQuery(failed), asked, {
      regions: regionNames,
      partitions: regionNames,
      nodes: failed.nodes,
      latency: { source: 'simulated', links: links() },
    });
    await send(page, { type: 'row-location', locations });
    const range = failed.ranges.find((r) => r.table === 'rides' && r.partition === 'us-west1');
    assert.ok(range);
    assert.equal(
      await page.locator('.row-range').textContent(),
      `Range r${range.rangeId} · partition us-west1 · leaseholder n5 (region=us-west1,az=b)`,
    );
    assert.equal(await page.locator('.row-statement').textContent(), `SHOW RANGE FROM TABLE movr.public.rides FOR ROW ('us-west1', 42)`);
    assert.deepEqual(await page.locator('.row-latency tbody tr').allTextContents(), [
      'us-east166 ms1 ms67 ms',
      'us-west11 ms1 ms2 ms',
      'europe-west1146 ms1 ms147 ms',
    ]);
    assert.equal(await page.locator(`${node(5)}.row-leaseholder`).count(), 1);
    assert.deepEqual(
      (await page.locator('.node.row-replica').evaluateAll((els) => els.map((e) => Number((e as SVGElement).dataset['nodeId'])))).sort(
        (a, b) => a - b,
      ),
      range.replicas.map((r) => r.nodeId).sort((a, b) => a - b),
    );
    await page.locator('.story-rows').scrollIntoViewIfNeeded();
    await screenshot(page, 'topology-story-row-location');
    // An error from the host is said in words.
    await page.locator('.row-key').fill('7');
    await page.locator('.row-locate').click();
    await send(page, { type: 'row-location-error', message: 'movr.rides: permission denied' });
    assert.equal(await page.locator('.row-error').textContent(), 'movr.rides: permission denied');
    assert.equal(await page.locator('.row-leaseholder').count(), 0, 'the marks go with the answer');
  });

  it('on the simulated cluster tells times in its own clock', async () => {
    const simulated = new StoryRecorder();
    simulated.observe({ ...initial, simulatedTimeMs: 60_000 });
    const message = storyOf(simulated, { ...failed, simulatedTimeMs: 64_500 });
    await send(page, message);
    await page.locator('.timeline-log .log-time', { hasText: 'simulated' }).first().waitFor();
    assert.deepEqual(await page.locator('.timeline-log .log-time').allTextContents(), ['t = 1:04.5 simulated', 't = 1:04.5 simulated']);
    assert.match((await page.locator('.timeline-position').textContent()) ?? '', /^Step 2 of 2 · t = 1:04\.5 simulated · live$/);
    assert.match((await page.locator('.timeline-clock').textContent()) ?? '', /simulated cluster’s clock/);
    await screenshot(page, 'topology-story-simulated-clock');
  });

  it('drops malformed story messages', async () => {
    await send(page, { type: 'story', frames: 'x' } as unknown as TopologyStoryToWebview);
    await send(page, { type: 'what-if', result: null } as unknown as TopologyStoryToWebview);
    assert.equal(await page.locator('.timeline-log .log-event').count(), 2);
    assert.deepEqual(session?.consoleErrors ?? [], []);
  });
});
