// The page: the shown run's bar (Cancel, Re-run), a tab per statement, the history, and a live
// region. Updates touch only what a message changed.
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import type { ResultsToHost, RunSummary } from '../../../protocol/src/results';
import { RunHistory } from './history';
import { ContextMenu } from './menu';
import { element, statusIcon, statusText, StatementPanel } from './panel';
import type { Change, Model, StatementMemory, ViewMemory } from './state';

export interface ViewHost {
  post(message: ResultsToHost): void;
  memory(): ViewMemory;
  rememberStatement(id: string, patch: StatementMemory): void;
  rememberSelection(id: string): void;
  rememberHistoryOpen(open: boolean): void;
}

function runTime(run: RunSummary): string {
  return new Date(run.startedAt).toLocaleTimeString();
}

function vscodeButton(label: string, secondary: boolean, onClick: () => void): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  if (secondary) b.setAttribute('secondary', '');
  b.addEventListener('click', onClick);
  return b;
}

export class ResultsView {
  private readonly runInfo = element('div', 'run-info');
  private readonly cancelButton: HTMLElement;
  private readonly rerunButton: HTMLElement;
  private readonly empty = element('p', 'empty', 'No results yet. Run SQL from a .sql file or a lesson to see them here.');
  private readonly tabs = document.createElement('vscode-tabs');
  private readonly history: RunHistory;
  private readonly live = element('div', 'visually-hidden');
  private readonly menu = new ContextMenu();
  private panels: StatementPanel[] = [];
  /** Whether the selected tab follows the running statement (until the user picks one). */
  private following = false;
  private model: Model = { history: [], statements: [] };

  constructor(
    root: HTMLElement,
    private readonly host: ViewHost,
  ) {
    this.cancelButton = vscodeButton('Cancel', false, () => {
      if (this.model.run) host.post({ type: 'cancel', runId: this.model.run.runId });
    });
    this.rerunButton = vscodeButton('Re-run', true, () => {
      if (this.model.run) host.post({ type: 'rerun', runId: this.model.run.runId });
    });
    const bar = element('header', 'run-bar');
    const actions = element('div', 'run-actions');
    actions.append(this.cancelButton, this.rerunButton);
    bar.append(this.runInfo, actions);

    const main = element('main', 'statements');
    main.setAttribute('aria-label', 'Statement results');
    this.tabs.addEventListener('vsc-tabs-select', (event) => {
      // The user picked a tab: stop following the run's latest statement.
      this.following = false;
      this.selected((event as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex);
    });
    // Arrow keys move the focus between tabs; showing the focused tab at once saves an Enter.
    this.tabs.addEventListener('focusin', (event) => {
      const at = this.panels.findIndex((p) => p.header === event.target);
      if (at >= 0 && at !== this.tabs.selectedIndex) {
        this.following = false;
        this.tabs.selectedIndex = at;
        this.selected(at);
      }
    });
    main.append(this.empty, this.tabs);

    this.history = new RunHistory(
      (message) => {
        host.post(message);
      },
      host.memory().historyOpen ?? false,
      (open) => {
        host.rememberHistoryOpen(open);
      },
    );

    this.live.setAttribute('role', 'status');
    this.live.setAttribute('aria-live', 'polite');
    root.classList.add('results');
    document.body.classList.add('results-body');
    root.append(bar, main, this.history.element, this.live, this.menu.element);
    this.renderRun();
    this.renderHistory();
  }

  update(model: Model, change: Change): void {
    this.model = model;
    switch (change.kind) {
      case 'none':
        return;
      case 'run':
        // A new run: show each statement as it runs, ending on the last one (or the one that failed).
        this.following = true;
        this.rebuildTabs();
        this.renderRun();
        this.renderHistory();
        return;
      case 'run-status':
        this.renderRun();
        this.renderHistory();
        return;
      case 'history':
        this.renderRun();
        this.renderHistory();
        return;
      case 'statement':
      case 'rows': {
        const statement = model.statements.find((s) => s.id === change.id);
        if (!statement) return;
        if (this.panels.length === 0) this.renderRun();
        const panel = this.panels.find((p) => p.id === change.id);
        if (!panel) this.addPanel(statement);
        else if (change.kind === 'rows') panel.rowsAppended(statement);
        else panel.update(statement);
        if (this.following && change.kind === 'statement' && statement.status !== 'cancelled') {
          this.host.rememberSelection(statement.id);
          this.selectRemembered();
          if (statement.status === 'error') this.following = false;
        }
        return;
      }
    }
  }

  /** Says something to screen readers (a statement finished or failed). */
  announce(text: string): void {
    // Re-setting the same text would not be announced again.
    this.live.textContent = this.live.textContent === text ? `${text}\u00a0` : text;
  }

  private panelHost(): ConstructorParameters<typeof StatementPanel>[1] {
    return {
      post: (message) => {
        this.host.post(message);
      },
      memory: (id) => this.host.memory().statements[id] ?? {},
      remember: (id, patch) => {
        this.host.rememberStatement(id, patch);
      },
      contextMenu: (x, y, grid, cell) => {
        this.menu.open(x, y, 'Cell actions', [
          {
            label: 'Copy cell',
            keybinding: navigator.platform.startsWith('Mac') ? '⌘C' : 'Ctrl+C',
            run: () => {
              this.host.post({ type: 'copy', text: grid.cellText(cell) });
            },
          },
          {
            label: 'Copy row as CSV',
            run: () => {
              this.host.post({ type: 'copy', text: grid.rowCsv(cell) });
            },
          },
        ]);
      },
    };
  }

  private rebuildTabs(): void {
    this.tabs.replaceChildren();
    this.panels = [];
    for (const statement of this.model.statements) this.addPanel(statement);
    this.empty.hidden = this.panels.length > 0;
    this.selectRemembered();
  }

  private addPanel(statement: Model['statements'][number]): void {
    const panel = new StatementPanel(statement, this.panelHost());
    const at = this.panels.findIndex((p) => p.index > statement.index);
    const before = at < 0 ? undefined : this.panels[at];
    if (before) {
      this.tabs.insertBefore(panel.header, before.header);
      this.tabs.insertBefore(panel.panel, before.header);
      this.panels.splice(at, 0, panel);
    } else {
      this.tabs.append(panel.header, panel.panel);
      this.panels.push(panel);
    }
    this.empty.hidden = true;
    this.selectRemembered();
  }

  /** Keeps the remembered tab selected as tabs come and go (the component tracks an index). */
  private selectRemembered(): void {
    const id = this.host.memory().selectedId;
    const remembered = this.panels.findIndex((p) => p.id === id);
    const at = Math.max(0, remembered);
    if (this.tabs.selectedIndex !== at) this.tabs.selectedIndex = at;
    // A remembered tab that has not arrived yet stays remembered.
    const panel = this.panels[at];
    if (panel && id === undefined) this.host.rememberSelection(panel.id);
  }

  private selected(index: number): void {
    const panel = this.panels[index];
    if (!panel) return;
    this.host.rememberSelection(panel.id);
    // The component shows the panel on its next update; measure after that.
    requestAnimationFrame(() => {
      panel.shown();
    });
  }

  private renderRun(): void {
    const run = this.model.run;
    this.cancelButton.hidden = run?.status !== 'running';
    this.rerunButton.hidden = run === undefined || run.status === 'running';
    if (!run) {
      this.runInfo.replaceChildren(element('span', 'muted', 'Results'));
      return;
    }
    const status = element('span', `status status-${run.status}`);
    status.append(statusIcon(run.status), ` ${statusText[run.status]}`);
    const details = [run.target, runTime(run), run.statements > 0 ? `${run.statements} statement${run.statements === 1 ? '' : 's'}` : '']
      .filter(Boolean)
      .join(' · ');
    this.runInfo.replaceChildren(element('strong', 'run-source', run.source || 'Run'), element('span', 'muted', details), status);
  }

  private renderHistory(): void {
    this.history.render(this.model.history, this.model.run?.runId);
  }
}
