// The session's runs, newest first: each by its SQL (first line), with where it came from
// (file:line), the target and the time beside it, and a search box that filters them by SQL,
// source, target or status.
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { ResultsToHost, RunSummary } from '../../../protocol/src/results';
import { element, statusIcon, statusText } from './panel';
import { filterHistory, historyTitle } from './state';

function runTime(run: RunSummary): string {
  return new Date(run.startedAt).toLocaleTimeString();
}

export class RunHistory {
  readonly element = element('details', 'history');
  private readonly summary = element('summary', undefined, 'History');
  private readonly search = document.createElement('vscode-textfield');
  private readonly list = element('ul', 'history-list');
  private runs: RunSummary[] = [];
  private shownRunId: string | undefined;

  constructor(
    private readonly post: (message: ResultsToHost) => void,
    open: boolean,
    onToggle: (open: boolean) => void,
  ) {
    this.search.placeholder = 'Search runs by SQL or file';
    this.search.label = 'Search runs by SQL or file';
    this.search.className = 'history-search';
    this.search.addEventListener('input', () => {
      this.renderList();
    });
    this.element.append(this.summary, this.search, this.list);
    this.element.open = open;
    this.element.addEventListener('toggle', () => {
      onToggle(this.element.open);
    });
  }

  render(runs: RunSummary[], shownRunId: string | undefined): void {
    this.runs = runs;
    this.shownRunId = shownRunId;
    this.summary.textContent = runs.length > 0 ? `History (${runs.length})` : 'History';
    this.search.hidden = runs.length === 0;
    this.renderList();
  }

  private renderList(): void {
    if (this.runs.length === 0) {
      this.list.replaceChildren(element('li', 'empty', 'No runs yet in this session.'));
      return;
    }
    const shown = filterHistory(this.runs, this.search.value);
    if (shown.length === 0) {
      this.list.replaceChildren(element('li', 'empty', 'No run matches the search.'));
      return;
    }
    this.list.replaceChildren(...shown.map((run) => this.item(run)));
  }

  private item(run: RunSummary): HTMLElement {
    const item = element('li', 'history-item');
    const current = run.runId === this.shownRunId;
    const title = historyTitle(run);
    const open = element('button', 'history-open');
    open.type = 'button';
    if (run.sql) open.title = run.sql;
    if (current) open.setAttribute('aria-current', 'true');
    open.setAttribute(
      'aria-label',
      `${title}, ${run.source || 'run'} on ${run.target || 'unknown target'}, ${runTime(run)}, ${statusText[run.status]}${current ? ', shown' : ''}`,
    );
    const text = element('span', 'history-text');
    // The SQL first; where it came from (file:line) under it, as a secondary line.
    text.append(
      element('span', 'history-sql', title),
      element(
        'span',
        'history-detail muted',
        [title === run.source ? '' : run.source, run.target, runTime(run)].filter(Boolean).join(' · '),
      ),
    );
    open.append(statusIcon(run.status), text, element('span', `status-text status-${run.status}`, statusText[run.status]));
    open.addEventListener('click', () => {
      this.post({ type: 'open-run', runId: run.runId });
    });
    const rerun = document.createElement('vscode-button');
    rerun.textContent = 'Re-run';
    rerun.setAttribute('secondary', '');
    rerun.setAttribute('aria-label', `Re-run ${title}`);
    rerun.hidden = run.status === 'running';
    rerun.addEventListener('click', () => {
      this.post({ type: 'rerun', runId: run.runId });
    });
    item.append(open, rerun);
    return item;
  }
}
