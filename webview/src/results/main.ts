// The results view: statement results of the current run, one tab each, and the session's runs.
// Wiring only: host messages go through the model (state.ts) to the DOM (render.ts).
import type { ResultsToHost } from '../../../protocol/src/results';
import { ResultsView } from './render';
import { announcement, applyMessage, emptyModel, parseHostMessage, parseMemory, pruneMemory, type ViewMemory } from './state';
import { scrollableTabStrip } from './tabStrip';
import { vscodeApi } from '../vscodeApi';

/** Scrolling saves often; setState serialises, so it is batched. */
const SAVE_DELAY_MS = 250;

const vscode = vscodeApi<ResultsToHost, ViewMemory>();
let model = emptyModel();
let memory = parseMemory(vscode.getState());
let saveTimer: ReturnType<typeof setTimeout> | undefined;

function save(): void {
  if (saveTimer !== undefined) return;
  saveTimer = setTimeout(() => {
    saveTimer = undefined;
    vscode.setState(memory);
  }, SAVE_DELAY_MS);
}

const root = document.getElementById('app') ?? document.body;
const view = new ResultsView(root, {
  post: (message) => {
    vscode.postMessage(message);
  },
  memory: () => memory,
  rememberStatement: (id, patch) => {
    memory = { ...memory, statements: { ...memory.statements, [id]: { ...memory.statements[id], ...patch } } };
    save();
  },
  rememberSelection: (id) => {
    if (memory.selectedId === id) return;
    memory = { ...memory, selectedId: id };
    save();
  },
  rememberHistoryOpen: (open) => {
    memory = { ...memory, historyOpen: open };
    save();
  },
});

const tabStrip = root.querySelector('vscode-tabs');
if (tabStrip) scrollableTabStrip(tabStrip);

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseHostMessage(event.data);
  if (!message) return;
  const result = applyMessage(model, message);
  model = result.model;
  const change = result.change;
  if (change.kind === 'run') {
    memory = pruneMemory(memory, model.statements);
    save();
  }
  view.update(model, change);
  if (change.kind === 'statement') {
    const statement = model.statements.find((s) => s.id === change.id);
    const text = statement && announcement(statement, change.previous);
    if (text) view.announce(text);
  }
});

vscode.postMessage({ type: 'ready' });
