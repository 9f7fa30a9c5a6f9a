// The topology view's figures in headless Chromium, under the webview CSP, for a 9-node cluster
// with 5,000 ranges (a demo-like mix: REGIONAL BY ROW partitions, GLOBAL and REGIONAL BY TABLE
// tables with non-voters, a non-multi-region database):
//   - first render: the model is posted → the picture is in the DOM (the view's data-renders
//     marker) and laid out; median of N fresh pages
//   - update after a node failure: node 2 dead, its leases moved, one range unavailable; median of N
//   - the page's JS heap and DOM element count after the update
// Builds the webview bundle when it is missing. Usage: node bench/topology.mjs [runs]
/* global window, document, MutationObserver -- buildModels and timeModel run in the page */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
const runs = Number(process.argv[2] ?? 5);
const RANGES = 5_000;
const TARGET_MS = 100;

if (!existsSync(path.join(root, 'dist', 'webview', 'topology.js')))
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
const harness = path.join(root, 'out', 'test', 'support', 'webviewPage.js');
if (!existsSync(harness))
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
    cwd: root,
    stdio: 'inherit',
  });
// The page the browser tests use: the host's CSP, the bundle and stylesheets, VS Code's API.
const { ORIGIN, serveWebview, installVsCodeApi } = createRequire(import.meta.url)(harness);

/** Runs in the page: the models, kept on window so building them is not timed. */
function buildModels(count) {
  const regions = { 'us-east1': ['b', 'c', 'd'], 'us-west1': ['a', 'b', 'c'], 'europe-west1': ['b', 'c', 'd'] };
  const names = Object.keys(regions);
  const nodes = names.flatMap((region, r) =>
    regions[region].map((zone, z) => {
      const id = r * 3 + z + 1;
      return { id, region, zone, locality: `region=${region},az=${zone}`, address: `127.0.0.1:${26256 + id}`, liveness: 'live' };
    }),
  );
  const inRegion = (r) => [r * 3 + 1, r * 3 + 2, r * 3 + 3];
  const ranges = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 10;
    const r = Math.floor(i / 10) % 3;
    const spread = Math.floor(i / 30) % 3;
    let voters;
    let nonVoters = [];
    let table;
    let database = 'movr';
    let partition;
    if (kind < 6) {
      table = 'rides';
      partition = names[r];
      voters = inRegion(r);
      nonVoters = [0, 1, 2].filter((x) => x !== r).map((x) => inRegion(x)[spread]);
    } else if (kind < 8) {
      table = kind === 6 ? 'promo_codes' : 'users';
      const home = kind === 6 ? 0 : 1;
      voters = inRegion(home);
      nonVoters = [0, 1, 2].filter((x) => x !== home).map((x) => inRegion(x)[spread]);
    } else {
      database = 'bank';
      table = 'accounts';
      voters = [0, 1, 2].map((x) => inRegion(x)[(spread + x) % 3]);
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
      leaseholder: voters[spread],
      sizeBytes: 64 * 1024 * 1024,
      available: true,
    });
  }
  const before = {
    readAt: Date.now(),
    target: 'simulated',
    simulated: true,
    regions: names.map((name) => ({ name, zones: regions[name] })),
    nodes,
    databases: [
      { name: 'bank', regions: [] },
      { name: 'movr', primaryRegion: 'us-east1', regions: names, survivalGoal: 'zone' },
    ],
    tables: [
      { database: 'bank', name: 'accounts' },
      {
        database: 'movr',
        name: 'rides',
        locality: 'regional-by-row',
        partitions: names.map((region) => ({ region, rows: 100_000 })),
      },
      { database: 'movr', name: 'promo_codes', locality: 'global' },
      { database: 'movr', name: 'users', locality: 'regional-by-table', homeRegion: 'us-west1' },
    ],
    ranges,
    missing: [],
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
  window.benchModels = { before, after };
  return { replicas: ranges.reduce((n, x) => n + x.replicas.length, 0), moved };
}

/** Runs in the page: posts a model, waits for the view's marker, then forces layout. */
async function timeModel(which) {
  const app = document.getElementById('app');
  const drawn = Number(app.dataset.renders ?? '0');
  const model = window.benchModels[which];
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
  window.postMessage({ type: 'model', model }, '*');
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

  const first = [];
  const update = [];
  let shape = { replicas: 0, moved: 0 };
  let heap = 0;
  let elements = 0;
  for (let run = 0; run < runs; run++) {
    await page.goto(`${ORIGIN}/index.html`);
    await page.waitForFunction(() => document.getElementById('app')?.classList.contains('topology'));
    shape = await page.evaluate(buildModels, RANGES);
    first.push(await page.evaluate(timeModel, 'before'));
    // Let any transition of the first picture settle, as a user's cluster would between reads.
    await page.waitForTimeout(300);
    update.push(await page.evaluate(timeModel, 'after'));
    await page.waitForTimeout(1_600);
    await cdp.send('HeapProfiler.collectGarbage');
    heap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
    elements = await page.evaluate(() => document.getElementsByTagName('*').length);
  }
  if (errors.length > 0) throw new Error(`the page logged errors: ${errors.join('; ')}`);

  const firstMs = median(first.map((t) => t.laidOut));
  const updateMs = median(update.map((t) => t.laidOut));
  const over = (v) => (v < TARGET_MS ? '' : ' OVER TARGET');
  console.log(
    `topology view, 9 nodes × ${RANGES.toLocaleString('en-US')} ranges: first render ${ms(firstMs)} (target < ${TARGET_MS})${over(firstMs)}, ` +
      `update after a node failure ${ms(updateMs)} (target < ${TARGET_MS})${over(updateMs)}, ` +
      `JS heap ${(heap / 1024 / 1024).toFixed(0)} MiB, ${elements.toLocaleString('en-US')} DOM elements`,
  );
  console.log(
    `  ${shape.replicas.toLocaleString('en-US')} replicas, ${shape.moved} leases moved; median of ${runs}; ` +
      `DOM built in ${ms(median(first.map((t) => t.built)))} / ${ms(median(update.map((t) => t.built)))}, the rest is style and layout; ` +
      `runs: first [${first.map((t) => Math.round(t.laidOut)).join(', ')}], update [${update.map((t) => Math.round(t.laidOut)).join(', ')}]`,
  );
} finally {
  await browser.close();
}
