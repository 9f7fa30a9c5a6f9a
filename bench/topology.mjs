// The topology view's figures in headless Chromium, under the webview CSP, in named cases: a
// 9-node demo-like cluster with 5,000 ranges, and 50 nodes in five regions with 50,000 ranges (a
// mix of REGIONAL BY ROW partitions, GLOBAL and REGIONAL BY TABLE tables with non-voters, a
// non-multi-region database). The host sends what the view draws (protocol/src/topologyView.ts):
//   - first render: the host's snapshot is posted → the picture is in the DOM (the view's
//     data-renders marker) and laid out; median of N fresh pages
//   - update after a node failure: node 2 dead, its leases moved, one range unavailable, posted as
//     the host's diff; median of N
//   - the message sizes, the host's time to build the view and the diff (in Node), and the page's
//     JS heap and DOM element count after the update
// Builds the webview bundle and the compiled protocol when missing. Usage: node bench/topology.mjs [runs]
/* global window, document, MutationObserver -- timeMessage runs in the page */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
const runs = Number(process.argv[2] ?? 5);
const TARGET_MS = 100;
const CASES = [
  { name: '9 nodes × 5,000 ranges', regions: 3, nodesPerRegion: 3, ranges: 5_000 },
  { name: '50 nodes × 50,000 ranges', regions: 5, nodesPerRegion: 10, ranges: 50_000 },
];

if (!existsSync(path.join(root, 'dist', 'webview', 'topology.js')))
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
const harness = path.join(root, 'out', 'test', 'support', 'webviewPage.js');
const protocol = path.join(root, 'out', 'protocol', 'src', 'topologyView.js');
if (!existsSync(harness) || !existsSync(protocol))
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
    cwd: root,
    stdio: 'inherit',
  });
const require = createRequire(import.meta.url);
// The page the browser tests use: the host's CSP, the bundle and stylesheets, VS Code's API.
const { ORIGIN, serveWebview, installVsCodeApi } = require(harness);
const { buildView, diffViews } = require(protocol);

const REGION_NAMES = ['us-west1', 'us-east1', 'europe-west1', 'asia-northeast1', 'australia-southeast1'];

/** The models before and after node 2 dies, built in Node (as the host reads them). */
function buildModels({ regions: regionCount, nodesPerRegion, ranges: count }) {
  const names = REGION_NAMES.slice(0, regionCount);
  const zones = ['a', 'b', 'c'];
  const nodes = names.flatMap((region, r) =>
    Array.from({ length: nodesPerRegion }, (_, i) => {
      const id = r * nodesPerRegion + i + 1;
      const zone = zones[i % zones.length];
      return { id, region, zone, locality: `region=${region},az=${zone}`, address: `127.0.0.1:${26256 + id}`, liveness: 'live' };
    }),
  );
  // Three voters in a region, in its three zones, rotating over its nodes.
  const inRegion = (r, k) => [0, 1, 2].map((z) => r * nodesPerRegion + ((k * 3 + z) % nodesPerRegion) + 1);
  const others = (r) => names.map((_, x) => x).filter((x) => x !== r);
  const ranges = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 10;
    const r = Math.floor(i / 10) % names.length;
    const spread = Math.floor(i / 30);
    let voters;
    let nonVoters = [];
    let table;
    let database = 'movr';
    let partition;
    if (kind < 6) {
      table = 'rides';
      partition = names[r];
      voters = inRegion(r, spread);
      nonVoters = others(r).map((x) => inRegion(x, spread)[spread % 3]);
    } else if (kind < 8) {
      table = kind === 6 ? 'promo_codes' : 'users';
      const home = kind === 6 ? 0 : 1 % names.length;
      voters = inRegion(home, spread);
      nonVoters = others(home).map((x) => inRegion(x, spread)[spread % 3]);
    } else {
      database = 'bank';
      table = 'accounts';
      voters = [0, 1, 2].map((x) => inRegion(x % names.length, spread + x)[x]);
      voters = [...new Set(voters)];
    }
    ranges.push({
      rangeId: 100 + i,
      database,
      table,
      index: `${table}_pkey`,
      ...(partition ? { partition } : {}),
      startKey: `/Table/${table}/1/${i}`,
      endKey: `/Table/${table}/1/${i + 1}`,
      replicas: [...voters.map((nodeId) => ({ nodeId, type: 'voter' })), ...nonVoters.map((nodeId) => ({ nodeId, type: 'non-voter' }))],
      leaseholder: voters[spread % voters.length],
      sizeBytes: 64 * 1024 * 1024,
      available: true,
    });
  }
  const before = {
    readAt: Date.now(),
    target: 'simulated',
    simulated: true,
    regions: names.map((name) => ({ name, zones })),
    nodes,
    databases: [
      { name: 'bank', regions: [] },
      { name: 'movr', primaryRegion: names[0], regions: names, survivalGoal: 'zone' },
    ],
    tables: [
      { database: 'bank', name: 'accounts' },
      { database: 'movr', name: 'rides', locality: 'regional-by-row', partitions: names.map((region) => ({ region, rows: 100_000 })) },
      { database: 'movr', name: 'promo_codes', locality: 'global' },
      { database: 'movr', name: 'users', locality: 'regional-by-table', homeRegion: names[1 % names.length] },
    ],
    ranges,
    missing: [],
    latency: { source: 'simulated', links: [] },
    gatewayNodeId: 1,
  };
  let unavailable = false;
  let moved = 0;
  const after = {
    ...before,
    readAt: before.readAt + 10_000,
    nodes: nodes.map((n) => (n.id === 2 ? { ...n, liveness: 'dead' } : n)),
    ranges: ranges.map((range) => {
      if (range.leaseholder !== 2) return range;
      if (!unavailable) {
        unavailable = true;
        return { ...range, leaseholder: undefined, available: false };
      }
      moved++;
      return { ...range, leaseholder: range.replicas.find((x) => x.type === 'voter' && x.nodeId !== 2).nodeId };
    }),
  };
  return { before, after, replicas: ranges.reduce((n, x) => n + x.replicas.length, 0), moved };
}

/** The host's side, timed in Node: the snapshot of the first reading, the diff to the second. */
function hostMessages(models) {
  const t0 = performance.now();
  const first = buildView(models.before, {}, 1);
  const t1 = performance.now();
  const second = buildView(models.after, {}, 2);
  const diff = diffViews(first, second);
  const t2 = performance.now();
  return {
    snapshot: { type: 'snapshot', view: first },
    diff: { type: 'diff', diff },
    buildMs: t1 - t0,
    updateMs: t2 - t1,
  };
}

/** Runs in the page: posts a message kept on window, waits for the view's marker, then forces layout. */
async function timeMessage(which) {
  const app = document.getElementById('app');
  const drawn = Number(app.dataset.renders ?? '0');
  const message = window.benchMessages[which];
  const t0 = performance.now();
  const marked = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (Number(app.dataset.renders ?? '0') > drawn) {
        observer.disconnect();
        resolve();
      }
    });
    observer.observe(app, { attributes: true, attributeFilter: ['data-renders'] });
  });
  window.postMessage(message, '*');
  await marked;
  const built = performance.now() - t0;
  // Style and layout of what was built, as the next frame would need them.
  document.body.getBoundingClientRect();
  return { built, laidOut: performance.now() - t0 };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const ms = (v) => `${Math.round(v)} ms`;

const kib = (value) => `${(value / 1024).toFixed(1)} KiB`;

const browser = await chromium.launch({
  executablePath: process.env.CRDB_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await serveWebview(context, 'topology', ['topology.css'], 'Topology');
  await context.addInitScript(installVsCodeApi);
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const cdp = await context.newCDPSession(page);

  for (const shape of CASES) {
    const models = buildModels(shape);
    const host = hostMessages(models);
    const sizes = { snapshot: JSON.stringify(host.snapshot).length, diff: JSON.stringify(host.diff).length };
    const first = [];
    const update = [];
    let heap = 0;
    let elements = 0;
    for (let run = 0; run < runs; run++) {
      await page.goto(`${ORIGIN}/index.html`);
      await page.waitForFunction(() => document.getElementById('app')?.classList.contains('topology'));
      await page.evaluate(
        (messages) => {
          window.benchMessages = messages;
        },
        { snapshot: host.snapshot, diff: host.diff },
      );
      first.push(await page.evaluate(timeMessage, 'snapshot'));
      // Let any transition of the first picture settle, as a user's cluster would between reads.
      await page.waitForTimeout(300);
      update.push(await page.evaluate(timeMessage, 'diff'));
      await page.waitForTimeout(1_600);
      await page.evaluate(() => {
        delete window.benchMessages;
      });
      await cdp.send('HeapProfiler.collectGarbage');
      heap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
      elements = await page.evaluate(() => document.getElementsByTagName('*').length);
    }
    if (errors.length > 0) throw new Error(`the page logged errors: ${errors.join('; ')}`);

    const firstMs = median(first.map((t) => t.laidOut));
    const updateMs = median(update.map((t) => t.laidOut));
    const over = (v) => (v < TARGET_MS ? '' : ' OVER TARGET');
    console.log(
      `topology view, ${shape.name}: first render ${ms(firstMs)} (target < ${TARGET_MS})${over(firstMs)}, ` +
        `update after a node failure ${ms(updateMs)} (target < ${TARGET_MS})${over(updateMs)}, ` +
        `page JS heap ${(heap / 1024 / 1024).toFixed(1)} MiB, ${elements.toLocaleString('en-US')} DOM elements`,
    );
    console.log(
      `  ${models.replicas.toLocaleString('en-US')} replicas, ${models.moved} leases moved; snapshot ${kib(sizes.snapshot)}, diff ${kib(sizes.diff)} ` +
        `(host: view ${ms(host.buildMs)}, next view + diff ${ms(host.updateMs)}); median of ${runs}; ` +
        `DOM built in ${ms(median(first.map((t) => t.built)))} / ${ms(median(update.map((t) => t.built)))}, the rest is style and layout; ` +
        `runs: first [${first.map((t) => Math.round(t.laidOut)).join(', ')}], update [${update.map((t) => Math.round(t.laidOut)).join(', ')}]`,
    );
  }
} finally {
  await browser.close();
}
