// One statement: its tab header and its panel (summary, error or notices, filter, grid, Load more).
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { ResultsToHost, StatementStatus, StatementView } from '../../../protocol/src/results';
import { firstLine, nextSort, plural, rowSummary, visibleRows, type StatementMemory } from './state';
import { isShellText, shellTextBlock, showShellText } from './shellText';
import { ResultGrid, type CellRef } from './table';

export interface PanelHost {
  post(message: ResultsToHost): void;
  memory(id: string): StatementMemory;
  remember(id: string, patch: StatementMemory): void;
  contextMenu(x: number, y: number, grid: ResultGrid, cell: CellRef): void;
}

const FILTER_DELAY_MS = 120;

export const statusText: Record<StatementStatus, string> = { running: 'Running', done: 'Done', error: 'Error', cancelled: 'Cancelled' };
const statusGlyph: Record<StatementStatus, string> = { running: '', done: '✓', error: '✕', cancelled: '⊘' };

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A spinner for a running statement or run; quiet, since the live region does the talking. */
export function statusIcon(status: StatementStatus): HTMLElement {
  if (status === 'running') {
    const ring = document.createElement('vscode-progress-ring');
    ring.className = 'status-icon spinner';
    ring.ariaLabel = 'Running';
    ring.ariaLive = 'off';
    ring.role = 'img';
    return ring;
  }
  const glyph = element('span', `status-icon status-${status}`, statusGlyph[status]);
  glyph.setAttribute('aria-hidden', 'true');
  return glyph;
}

function button(label: string, secondary: boolean, onClick: () => void): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  if (secondary) b.setAttribute('secondary', '');
  b.addEventListener('click', onClick);
  return b;
}

function linkButton(label: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = element('button', 'link', label);
  b.type = 'button';
  b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

export class StatementPanel {
  readonly header = document.createElement('vscode-tab-header');
  readonly panel = document.createElement('vscode-tab-panel');
  private readonly headerIcon = element('span', 'tab-status');
  private readonly headerTitle = element('span', 'tab-title');
  private readonly badge = document.createElement('vscode-badge');
  private readonly summary = element('div', 'summary');
  private readonly sql = element('details', 'sql');
  private readonly messages = element('div', 'messages');
  private readonly tools = element('div', 'table-tools');
  private readonly filter = document.createElement('vscode-textfield');
  private readonly shownCount = element('span', 'shown-count muted');
  private readonly grid: ResultGrid;
  private readonly shellText = shellTextBlock();
  private readonly more = element('div', 'more');
  private readonly loadMore: HTMLElement;
  private loading = false;
  private filterTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private statement: StatementView,
    private readonly host: PanelHost,
  ) {
    this.badge.variant = 'counter';
    this.badge.slot = 'content-after';
    this.headerIcon.slot = 'content-before';
    this.header.append(this.headerIcon, this.headerTitle, this.badge);

    this.filter.placeholder = 'Filter loaded rows';
    this.filter.label = 'Filter loaded rows';
    this.filter.className = 'filter';
    this.filter.value = host.memory(statement.id).filter ?? '';
    this.filter.addEventListener('input', () => {
      clearTimeout(this.filterTimer);
      this.filterTimer = setTimeout(() => {
        this.host.remember(this.statement.id, { filter: this.filter.value });
        this.showRows();
      }, FILTER_DELAY_MS);
    });
    const exports = element('span', 'exports');
    exports.append(element('span', 'muted', 'Export all rows:'), this.exportButton('csv', 'CSV'), this.exportButton('json', 'JSON'));
    this.tools.append(this.filter, this.shownCount, exports);

    this.grid = new ResultGrid(`Results of statement ${statement.index + 1}`, {
      sort: (column) => {
        this.host.remember(this.statement.id, { sort: nextSort(this.host.memory(this.statement.id).sort, column) });
        this.showRows();
      },
      copy: (text) => {
        this.host.post({ type: 'copy', text });
      },
      scroll: (scrollTop, scrollLeft) => {
        this.host.remember(this.statement.id, { scrollTop, scrollLeft });
      },
      contextMenu: (x, y, cell) => {
        this.host.contextMenu(x, y, this.grid, cell);
      },
    });
    this.loadMore = button('Load more', true, () => {
      if (this.loading || !this.statement.hasMore) return;
      this.loading = true;
      this.renderMore();
      this.host.post({ type: 'load-more', id: this.statement.id });
    });
    this.panel.append(this.summary, this.sql, this.messages, this.tools, this.grid.element, this.shellText, this.more);
    this.update(statement);
    const { scrollTop = 0, scrollLeft = 0 } = host.memory(statement.id);
    this.grid.setScroll(scrollTop, scrollLeft);
  }

  get id(): string {
    return this.statement.id;
  }

  get index(): number {
    return this.statement.index;
  }

  private exportButton(format: 'csv' | 'json', label: string): HTMLElement {
    const b = button(label, true, () => {
      this.host.post({ type: 'export', id: this.statement.id, format });
    });
    b.setAttribute('aria-label', `Export all rows as ${label}`);
    return b;
  }

  /** A new version of the statement (status, rows, error…). */
  update(statement: StatementView): void {
    this.statement = statement;
    this.loading = false;
    this.renderHeader();
    this.renderSummary();
    this.renderMessages();
    // A shell step's printed lines show as text, not as a one-column grid.
    showShellText(this.shellText, statement);
    const hasTable = statement.columns.length > 0 && !isShellText(statement);
    this.tools.hidden = !hasTable;
    this.grid.element.hidden = !hasTable;
    if (hasTable) this.showRows();
    this.renderMore();
  }

  /** More rows arrived for the statement. */
  rowsAppended(statement: StatementView): void {
    this.statement = statement;
    this.loading = false;
    this.renderHeader();
    this.renderSummary();
    this.showRows();
    this.renderMore();
  }

  /** Its tab was selected: the grid can measure its viewport now. */
  shown(): void {
    this.grid.refresh();
  }

  private renderHeader(): void {
    const s = this.statement;
    this.headerIcon.replaceChildren(statusIcon(s.status));
    this.headerTitle.textContent = firstLine(s.statement);
    this.header.title = s.statement;
    const rows = s.columns.length > 0 ? rowSummary(s) : undefined;
    this.badge.textContent = rows === undefined ? '' : rows.replace(/ rows?$/, '');
    this.badge.hidden = rows === undefined;
    this.header.setAttribute(
      'aria-label',
      [`Statement ${s.index + 1}: ${firstLine(s.statement)}`, statusText[s.status], rows].filter(Boolean).join(', '),
    );
  }

  private renderSummary(): void {
    const s = this.statement;
    const parts: (string | Node)[] = [];
    const status = element('span', `status status-${s.status}`);
    status.append(statusIcon(s.status), ` ${statusText[s.status]}`);
    parts.push(status);
    const rows = rowSummary(s);
    if (rows) parts.push(element('span', 'row-count', rows));
    if (s.tag && s.columns.length === 0) parts.push(element('code', 'tag', s.tag));
    if (s.elapsedMs !== undefined) parts.push(element('span', 'elapsed', `${Math.round(s.elapsedMs).toLocaleString('en-US')} ms`));
    if (s.simulatedLatencyMs !== undefined)
      parts.push(element('span', 'latency', `simulated latency ${Math.round(s.simulatedLatencyMs).toLocaleString('en-US')} ms`));
    parts.push(
      linkButton(`line ${s.line}`, 'Show the statement in its source', () => {
        this.reveal();
      }),
    );
    this.summary.replaceChildren(...parts);

    const summaryLabel = element('summary', undefined, 'SQL');
    this.sql.replaceChildren(summaryLabel, element('pre', undefined, s.statement));
  }

  private renderMessages(): void {
    const s = this.statement;
    const blocks: Node[] = [];
    if (s.error) blocks.push(this.renderError());
    if (s.note) blocks.push(element('p', 'note', s.note));
    if (s.notices.length > 0) {
      const list = element('ul', 'notices');
      list.setAttribute('aria-label', 'Notices');
      // A notice as such; anything stronger (a WARNING) says so.
      for (const notice of s.notices)
        list.append(element('li', undefined, notice.severity === 'NOTICE' ? notice.message : `${notice.severity}: ${notice.message}`));
      blocks.push(list);
    }
    if (s.columns.length === 0 && s.status === 'done') {
      const done = element('p', 'command-done');
      done.append(element('code', 'tag', s.tag ?? 'OK'));
      if (s.rowCount !== undefined) done.append(` — ${plural(s.rowCount, 'row')} affected`);
      blocks.push(done);
    }
    if (s.status === 'running' && s.columns.length === 0) blocks.push(element('p', 'muted', 'Running…'));
    if (s.status === 'cancelled') blocks.push(element('p', 'muted', 'Cancelled before it finished.'));
    this.messages.replaceChildren(...blocks);
  }

  private renderError(): HTMLElement {
    const error = this.statement.error ?? { message: '' };
    const box = element('div', 'error-block');
    const title = element('div', 'error-message');
    title.append(element('span', 'error-label', error.code ? `ERROR ${error.code}` : 'ERROR'), ` ${error.message}`);
    box.append(title);
    if (error.detail) box.append(this.errorLine('DETAIL', error.detail));
    if (error.hint) box.append(this.errorLine('HINT', error.hint));
    if (error.line !== undefined) {
      const where = error.column === undefined ? `line ${error.line}` : `line ${error.line}, column ${error.column}`;
      const at = element('div', 'error-position');
      at.append(
        'at ',
        linkButton(where, 'Show the error in the source', () => {
          this.reveal();
        }),
      );
      box.append(at);
    }
    return box;
  }

  private errorLine(label: string, text: string): HTMLElement {
    const line = element('div', `error-${label.toLowerCase()}`);
    line.append(element('span', 'error-label', `${label}:`), ` ${text}`);
    return line;
  }

  private reveal(): void {
    this.host.post({ type: 'reveal', id: this.statement.id });
  }

  private showRows(): void {
    const s = this.statement;
    const memory = this.host.memory(s.id);
    const filter = memory.filter ?? '';
    const order = visibleRows(s.rows, s.columns, memory.sort, filter);
    this.grid.setData(s.columns, s.rows, order, memory.sort);
    const loaded = plural(s.rows.length, 'row');
    this.shownCount.textContent =
      filter.trim() === '' ? `${loaded} loaded` : `${order.length.toLocaleString('en-US')} of ${loaded} loaded match`;
  }

  private renderMore(): void {
    const s = this.statement;
    const show = s.columns.length > 0 && s.hasMore;
    this.more.hidden = !show;
    if (!show) return;
    this.loadMore.textContent = this.loading ? 'Loading…' : 'Load more';
    this.loadMore.toggleAttribute('disabled', this.loading);
    if (this.loadMore.parentElement !== this.more)
      this.more.replaceChildren(element('span', 'muted', 'More rows are available. '), this.loadMore);
  }
}
