// The topology view: regions, zones and nodes with their replicas and leases, read from the
// cluster's own introspection. Wiring only: host messages and remembered state go to the page.
import type { TopologyModel, TopologyToHost } from '../../../protocol/src/topology';
import {
  changeAnnouncement,
  diffModels,
  modelAnnouncement,
  normalizeFilter,
  parseHostMessage,
  parseMemory,
  sameCluster,
  type Filter,
  type ViewMemory,
} from './model';
import { TopologyPage } from './page';
import { vscodeApi } from '../vscodeApi';

const vscode = vscodeApi<TopologyToHost, ViewMemory>();
let memory = parseMemory(vscode.getState());
let model: TopologyModel | undefined;
/** What was restored from the remembered state waits for the first model. */
let restored = false;

function remember(patch: Partial<ViewMemory>): void {
  memory = { ...memory, ...patch };
  if ('details' in patch && patch.details === undefined) delete memory.details;
  vscode.setState(memory);
}

function sameFilter(a: Filter, b: Filter): boolean {
  return a.database === b.database && a.table === b.table && a.index === b.index;
}

function focusMessage(filter: Filter): TopologyToHost {
  const focus: TopologyToHost = { type: 'focus' };
  if (filter.database !== undefined) focus.database = filter.database;
  if (filter.table !== undefined) focus.table = filter.table;
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
    if (filter.database !== before.database || filter.table !== before.table) vscode.postMessage(focusMessage(filter));
    if (model) page.render(model, memory.filter, undefined);
  },
  remembered: (patch) => {
    remember(patch);
  },
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseHostMessage(event.data);
  if (!message) return;
  switch (message.type) {
    case 'model': {
      const next = message.model;
      const filter = normalizeFilter(next, memory.filter);
      if (!sameFilter(filter, memory.filter)) remember({ filter });
      const diff = model && sameCluster(model, next) ? diffModels(model, next, filter) : undefined;
      model = next;
      const shown = page.render(next, filter, diff);
      if (!restored) {
        restored = true;
        page.restore(memory.focusedNode, memory.details);
      }
      page.announce(diff ? changeAnnouncement(diff) : modelAnnouncement(next, shown));
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
  }
});

vscode.postMessage({ type: 'ready' });
// A view shown again asks for what it showed before (the host reads a focused table's row counts).
if (memory.filter.database !== undefined) vscode.postMessage(focusMessage(memory.filter));
