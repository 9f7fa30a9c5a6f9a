/// <reference lib="dom" />
// The topology map as a learner meets it: the packaged .vsix in code-server (a real VS Code host),
// through Chromium, on the simulated cluster the multi-region lesson builds. What the fixture tests
// in topologyView/topologyStory prove with a scripted host, this proves end to end with the real
// host and cluster: regions drawn as places with round trips on their links, a REGIONAL BY ROW
// partition lighting up its replicas with its leaseholders apart, rows per region estimated on
// each reading and counted only on request, a killed node marked on the map and told on the
// timeline in the simulated clock, and what-if on a region listing the tables it would take down.
import * as assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { PATIENCE_MS, until } from '../support/patience';
import { openBrowser, screenshot, type BrowserSession } from '../support/browser';
import { openWorkbench, quickOpen, runCommand, waitShowing } from '../support/workbench';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { repoRoot } from '../support/tools';

const VSIX = path.join(repoRoot, 'dist', 'crdb-studio.vsix');

/** The last webview opened: the topology view once it is shown. */
function lastWebview(page: Page): FrameLocator {
  return page.locator('iframe.webview.ready').last().contentFrame().frameLocator('#active-frame');
}

async function chooseSimulated(page: Page): Promise<void> {
  await page
    .locator('.statusbar-item', { hasText: /Simulated cluster|nowhere/ })
    .first()
    .click();
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Simulated cluster' }).first();
  await row.waitFor();
  await row.click();
  await page.locator('.statusbar-item', { hasText: 'Simulated cluster' }).first().waitFor();
}

async function texts(locator: Locator): Promise<string[]> {
  return (await locator.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
}

describe('the topology map in code-server on the simulated cluster', function () {
  this.timeout(8 * PATIENCE_MS);
  let server: CodeServer | undefined;
  let session: BrowserSession | undefined;
  let page: Page;
  let view: FrameLocator;
  const node = (id: number): Locator => view.locator(`.node[data-node-id="${id}"]`);

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} exists (npm run package builds it)`);
    server = await startCodeServer({ workspaceSource: path.join(repoRoot, 'examples'), install: [VSIX] });
    writeFileSync(path.join(server.workspace, 'goal.sql'), 'ALTER DATABASE movr SURVIVE ZONE FAILURE;\n');
    session = await openBrowser();
    page = session.page;
    await openWorkbench(page, server.url());
    await quickOpen(page, 'goal.sql');
    await chooseSimulated(page);
    await quickOpen(page, '01-multi-region-schema.md');
    await runCommand(page, 'crdb-studio: Run File');
    await waitShowing(page, lastWebview(page).locator('td', { hasText: 'us-west1' }), "the lesson's SHOW REGIONS result");
    await runCommand(page, 'crdb-studio: Show Topology');
    view = lastWebview(page);
    await node(9).waitFor();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(page, `failed-topology-map-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  after(async () => {
    await session?.close();
    await server?.stop();
  });

  it('draws the regions as places with the round trip on each link and the gateway marked', async () => {
    assert.deepEqual((await view.locator('.region').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset['region']))).sort(), [
      'europe-west1',
      'us-east1',
      'us-west1',
    ]);
    // The simulated cluster's latency table, one label per pair of regions.
    const labels = await texts(view.locator('.arc-label'));
    assert.equal(labels.length, 3, labels.join(' | '));
    for (const label of labels) assert.match(label, /^\d+ ms RTT$/);
    assert.match((await view.locator('.region-status', { hasText: 'gateway' }).first().textContent()) ?? '', /◆ gateway n\d+/);
    // West of the Atlantic left of Europe: a map, not a stack.
    const x = async (region: string): Promise<number> =>
      (await view.locator(`.region[data-region="${region}"]`).boundingBox())?.x ?? Number.NaN;
    assert.ok((await x('us-west1')) < (await x('us-east1')) && (await x('us-east1')) < (await x('europe-west1')), 'west to east');
    await screenshot(page, 'topology-map-code-server');
  });

  it('selecting a partition of users lights up its replicas with its leaseholders apart, and its rows are estimated, counted on request', async () => {
    await view.locator('.filters select').nth(0).selectOption('movr');
    await view.locator('.filters select').nth(1).selectOption('users');
    await view.locator('.filters select').nth(3).selectOption('us-west1');
    await view.locator('.node.holds-lease').first().waitFor();
    // Each node's region, from the view's table of nodes (the one screen readers get).
    const regions = new Map(
      (
        await view
          .locator('.nodes-table tbody tr')
          .evaluateAll((rows) => rows.map((r) => [r.querySelector('th')?.textContent ?? '', r.querySelector('td')?.textContent ?? '']))
      ).map(([name, region]) => [Number(name?.replace('Node ', '')), region ?? '']),
    );
    const regionOf = (id: number): string => regions.get(id) ?? '';
    const holders: number[] = [];
    const leaseholders: number[] = [];
    for (let id = 1; id <= 9; id++) {
      const classes = (await node(id).getAttribute('class')) ?? '';
      if (classes.includes('holds')) holders.push(id);
      if (classes.includes('holds-lease')) {
        leaseholders.push(id);
        assert.equal(regionOf(id), 'us-west1', `n${id}: the us-west1 partition's leases stay in us-west1`);
        assert.match((await node(id).locator('.node-badge').textContent()) ?? '', /● leaseholder/);
      } else assert.doesNotMatch((await node(id).locator('.node-badge').textContent()) ?? '', /● leaseholder/);
      assert.equal(classes.includes('dim'), !classes.includes('holds'), `n${id} dimmed unless it holds a replica: ${classes}`);
    }
    // SURVIVE REGION FAILURE: five voters, so more nodes than the home region's hold a replica.
    assert.ok(holders.length >= 5, `replicas on ${holders.join(', ')}`);
    assert.ok(leaseholders.length >= 1);
    const links = await view
      .locator('.replica-link')
      .evaluateAll((els) => els.map((e) => [Number((e as SVGElement).dataset['from']), Number((e as SVGElement).dataset['to'])]));
    assert.ok(links.length > 0, 'lines from the leaseholder to its followers');
    for (const [from, to] of links) assert.ok(leaseholders.includes(from ?? 0) && holders.includes(to ?? 0), `${from} → ${to}`);
    await screenshot(page, 'topology-map-code-server-partition');

    // Rows per region: an estimate or nothing on each reading (never a scan), a count when asked.
    assert.match((await view.locator('.rows-source').textContent()) ?? '', /^Rows (estimated|per region not estimated)/);
    await view.locator('.rows-note vscode-button', { hasText: 'Count rows now' }).click();
    await view.locator('.rows-source', { hasText: 'Rows counted at' }).waitFor();
    const rows = async (region: string): Promise<string> =>
      (await view.locator(`.partition-row[data-region="${region}"] td`).first().textContent()) ?? '';
    // The lesson's four users: one in each US region, two in Europe.
    assert.deepEqual([await rows('us-east1'), await rows('us-west1'), await rows('europe-west1')], ['1', '1', '2']);
    await view.locator('.filters select').nth(0).selectOption('');
  });

  it('kills a node from the map: the map marks it dead and the timeline tells it in the simulated clock', async () => {
    const leases = async (id: number): Promise<number> =>
      Number(/(\d+) leases?/.exec((await node(id).locator('.lease-count').textContent()) ?? '')?.[1] ?? 0);
    // The us-west1 node with the most leases (never the gateway: the view reads through it).
    let victim = 0;
    for (const id of [4, 5, 6]) if (victim === 0 || (await leases(id)) > (await leases(victim))) victim = id;
    assert.ok((await leases(victim)) > 0, `n${victim} holds leases`);
    await node(victim).locator('.node-name').click();
    await view.locator('.node-controls vscode-button', { hasText: 'Kill' }).click();
    await view.locator(`.node[data-node-id="${victim}"][data-liveness="dead"]`).waitFor();
    assert.match((await node(victim).locator('.node-state').textContent()) ?? '', /dead/);
    // Its ranges kept quorum: under-replicated (CockroachDB's word), not unavailable.
    await view.locator('.under-replicated-band:not([hidden])').waitFor();
    assert.match((await view.locator('.under-replicated-count').textContent()) ?? '', /^[\d,]+ ranges? under-replicated$/);
    const died = view.locator('.timeline-log .log-event', { hasText: `n${victim} died` });
    await died.first().waitFor();
    assert.match((await died.first().locator('.log-time').textContent()) ?? '', /^t = \d+:\d\d\.\d simulated$/);
    await until(async () => (await leases(victim)) === 0, 'its leases to move to live nodes');
    // One node of a region-surviving database: once its leases moved, nothing is unavailable.
    await view.locator('.unavailable-band').waitFor({ state: 'hidden' });
    await view
      .locator('.timeline-log .log-event', { hasText: `n${victim} →` })
      .first()
      .waitFor();
    assert.match((await view.locator('.timeline-clock').textContent()) ?? '', /simulated cluster’s clock/);
    await screenshot(page, 'topology-map-code-server-after-kill');
    await view.locator('.node-controls vscode-button', { hasText: 'Restart' }).click();
    await view.locator(`.node[data-node-id="${victim}"][data-liveness="live"]`).waitFor();
  });

  it('what-if on a region lists the tables homed there once the database survives only a zone', async () => {
    // With SURVIVE REGION FAILURE no movr table would go down with one region.
    await view.locator('.what-if-domain[data-domain="region:us-east1"]').hover();
    await view.locator('.what-if-summary').waitFor();
    assert.equal(await view.locator('.what-if-tables li', { hasText: 'movr.' }).count(), 0);
    await page.mouse.move(0, 0);

    await quickOpen(page, 'goal.sql');
    await page.locator('.codelens-decoration a', { hasText: '▷ Run' }).first().click();
    await runCommand(page, 'crdb-studio: Show Topology');
    view = lastWebview(page);
    await node(9).waitFor();
    // The view reads the new goal on its next poll.
    await view.locator('.survival-report[data-database="movr"] .survival-goal', { hasText: 'one availability zone' }).waitFor();
    const ask = async (region: string): Promise<string[]> => {
      await page.mouse.move(0, 0);
      await view.locator(`.what-if-domain[data-domain="region:${region}"]`).hover();
      await view.locator('.what-if-summary', { hasText: `If ${region} failed` }).waitFor();
      return (await texts(view.locator('.what-if-tables li'))).map((t) => t.split(':')[0] ?? '').filter((t) => t.startsWith('movr.'));
    };
    // Zone survival keeps each table's voters in its home region: losing it takes them down.
    await until(async () => (await ask('us-east1')).includes('movr.promo_codes') || undefined, 'us-east1 to hold promo_codes’ voters');
    const east = await ask('us-east1');
    assert.ok(east.includes('movr.users'), east.join(', '));
    assert.ok(!east.includes('movr.eu_audit_log'), 'a table homed in europe-west1 survives us-east1');
    assert.equal(await view.locator('.what-if-failing').count(), 3, 'us-east1’s three nodes outlined');
    await screenshot(page, 'topology-map-code-server-what-if');
    const europe = await ask('europe-west1');
    assert.ok(europe.includes('movr.eu_audit_log') && europe.includes('movr.users'), europe.join(', '));
    assert.ok(!europe.includes('movr.promo_codes'), 'a GLOBAL table homed in us-east1 survives europe-west1');
    await page.mouse.move(0, 0);
  });
});
