// The topology view: regions placed as on a map, zones and nodes with their replicas and leases,
// read from the cluster's own introspection. Wiring only: the host sends a snapshot of what the
// view draws and then diffs between versions (a page that misses one asks for a snapshot);
// remembered state and the page do the rest.
import type { TopologyToHost, TopologyView } from '../../../protocol/src/topology';
import { applyDiff } from '../../../protocol/src/topologyView';
import { normalizeFilter, parseHostMessage, parseMemory, sameFilter, type Filter, type ViewMemory } from './model';
import { TopologyPage } from './page';
import { vscodeApi } from '../vscodeApi';

const vscode = vscodeApi<TopologyToHost, ViewMemory>();
let memory = parseMemory(vscode.getState());
let view: TopologyView | undefined;
/** What was restored from the remembered state waits for the first view. */
let restored = false;
/** A snapshot was asked for and has not come yet: diffs meanwhile are dropped. */
let resyncing = false;

function remember(patch: Partial<ViewMemory>): void {
  memory = { ...memory, ...patch };
  if ('details' in patch && patch.details === undefined) delete memory.details;
  vscode.setState(memory);
}

function focusMessage(filter: Filter): TopologyToHost {
  const focus: TopologyToHost = { type: 'focus' };
  if (filter.database !== undefined) focus.database = filter.database;
  if (filter.table !== undefined) focus.table = filter.table;
  if (filter.index !== undefined) focus.index = filter.index;
  if (filter.partition !== undefined) focus.partition = filter.partition;
  if (filter.rangeId !== undefined) focus.rangeId = filter.rangeId;
  return focus;
}

const root = document.getElementById('app') ?? document.body;
const page = new TopologyPage(root, {
  post: (message) => {
    vscode.postMessage(message);
  },
  filterChanged: (filter) => {
    const before = memory.filter;
    remember({ filter });
    if (!sameFilter(filter, before)) vscode.postMessage(focusMessage(filter));
    if (view) page.render(view, memory.filter, false);
  },
  remembered: (patch) => {
    remember(patch);
  },
});

function show(next: TopologyView, isUpdate: boolean): void {
  const filter = normalizeFilter(next, memory.filter);
  if (!sameFilter(filter, memory.filter)) remember({ filter });
  view = next;
  page.render(next, filter, isUpdate);
  if (!restored) {
    restored = true;
    page.restore(memory.focusedNode, memory.details);
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseHostMessage(event.data);
  if (!message) return;
  switch (message.type) {
    case 'snapshot': {
      resyncing = false;
      // A snapshot of the cluster already shown is an update of it (after a missed diff).
      show(message.view, view !== undefined && view.head.target === message.view.head.target);
      return;
    }
    case 'diff': {
      const next = view && !resyncing ? applyDiff(view, message.diff) : undefined;
      if (next) show(next, true);
      else if (!resyncing) {
        resyncing = true;
        vscode.postMessage({ type: 'resync' });
      }
      return;
    }
    case 'error':
      page.showError(message.message);
      return;
    case 'controls':
      page.controls.setEnabled(message.enabled);
      page.controlsChanged();
      return;
    case 'control-result':
      page.announce(page.controls.showResult(message.ok, message.message));
      return;
    case 'rows-counted':
      page.rowsCounted(message.ok, message.message);
      return;
    case 'node-ranges':
      page.nodeRanges(message.page);
      return;
  }
});

vscode.postMessage({ type: 'ready' });
// A view shown again asks for what it showed before (the host estimates a focused table's rows per region).
if (memory.filter.database !== undefined || memory.filter.rangeId !== undefined) vscode.postMessage(focusMessage(memory.filter));
