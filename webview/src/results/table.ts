// One statement's rows as an ARIA grid. Only the rows in (and near) the viewport are in the DOM,
// between two spacer rows that keep the scroll height right, so tens of thousands of loaded rows
// cost no more to show than fifty. Rows have one fixed height, which is what makes that possible.
import type { ResultColumn } from '../../../protocol/src/results';
import { cellText, csvRow } from '../../../protocol/src/csv';
import { isNumericType, type Row, type SortState } from './state';

/** A cell of the grid: `row` is a position in the shown order, -1 for the header row. */
export interface CellRef {
  row: number;
  column: number;
}

export interface GridEvents {
  sort(column: number): void;
  copy(text: string): void;
  scroll(top: number, left: number): void;
  contextMenu(x: number, y: number, cell: CellRef): void;
}

/** Rows rendered beyond each edge of the viewport, so a scroll of a few rows re-renders nothing. */
const OVERSCAN = 30;
const DEFAULT_ROW_HEIGHT = 24;
/** While the grid is hidden it has no height to measure; render as if this many rows fit. */
const HIDDEN_VIEWPORT_ROWS = 40;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Room for a cell's padding and border, beside its characters. */
const CELL_CHROME_PX = 25;

const MAX_COLUMN_CH = 48;

/**
 * Column widths in `ch` from the names (bold, proportional: wider), the types and a sample of the
 * values at both ends of what is loaded, so rows appended by Load more are measured too.
 */
function columnWidths(columns: readonly ResultColumn[], rows: readonly Row[]): number[] {
  const sample = rows.length <= 200 ? rows : [...rows.slice(0, 100), ...rows.slice(-100)];
  return columns.map((column, c) => {
    let width = Math.max(Math.ceil(column.name.length * 1.2), Math.ceil(column.type.length * 0.85));
    for (const row of sample) width = Math.max(width, (row[c] ?? 'NULL').length);
    return Math.min(Math.max(width, 4), MAX_COLUMN_CH);
  });
}

export class ResultGrid {
  /** The scrolling container; put it in the page. */
  readonly element: HTMLDivElement;
  private readonly table: HTMLTableElement;
  private readonly colgroup: HTMLTableColElement;
  private readonly thead: HTMLTableSectionElement;
  private readonly headRow: HTMLTableRowElement;
  private readonly tbody: HTMLTableSectionElement;
  private readonly topSpacer: HTMLTableRowElement;
  private readonly bottomSpacer: HTMLTableRowElement;
  private readonly rowElements = new Map<number, HTMLTableRowElement>();

  private columns: readonly ResultColumn[] = [];
  private columnsKey = '';
  private widths: number[] = [];
  private numeric: boolean[] = [];
  private rows: readonly Row[] = [];
  private order: readonly number[] = [];

  private rowHeight = DEFAULT_ROW_HEIGHT;
  private measured = false;
  private start = 0;
  private end = 0;
  private active: CellRef = { row: -1, column: 0 };
  private tabStop: HTMLElement | undefined;
  private scrollPosition = { top: 0, left: 0 };
  private frame = 0;

  constructor(
    label: string,
    private readonly events: GridEvents,
  ) {
    this.element = element('div', 'grid-scroller');
    this.table = element('table', 'grid');
    this.table.setAttribute('role', 'grid');
    this.table.setAttribute('aria-label', label);
    this.colgroup = element('colgroup');
    this.thead = element('thead');
    this.headRow = element('tr');
    this.headRow.setAttribute('aria-rowindex', '1');
    this.thead.append(this.headRow);
    this.tbody = element('tbody');
    this.topSpacer = this.spacer();
    this.bottomSpacer = this.spacer();
    this.tbody.append(this.topSpacer, this.bottomSpacer);
    this.table.append(this.colgroup, this.thead, this.tbody);
    this.element.append(this.table);

    this.element.addEventListener(
      'scroll',
      () => {
        this.onScroll();
      },
      { passive: true },
    );
    this.table.addEventListener('keydown', (e) => {
      this.onKeyDown(e);
    });
    this.table.addEventListener('click', (e) => {
      this.onClick(e);
    });
    this.table.addEventListener('contextmenu', (e) => {
      this.onContextMenu(e);
    });
    // Where the editor turns Cmd+C into a copy command (macOS menus), a copy event arrives instead.
    this.table.addEventListener('copy', (e) => {
      const selection = window.getSelection();
      if (selection && !selection.isCollapsed) return;
      e.preventDefault();
      const text = this.cellText(this.active);
      e.clipboardData?.setData('text/plain', text);
      this.events.copy(text);
    });
    this.table.addEventListener('focusin', (e) => {
      const cell = this.cellOf(e.target);
      if (cell) this.setActive(cell);
    });
    // Also fires when a hidden tab is shown: the first moment the viewport can be measured.
    new ResizeObserver(() => {
      this.refresh();
    }).observe(this.element);
  }

  private spacer(): HTMLTableRowElement {
    const row = element('tr', 'spacer');
    row.setAttribute('aria-hidden', 'true');
    row.append(element('td'));
    return row;
  }

  /** Shows `order` (positions into `rows`) under `columns`. Cheap to call on every change. */
  setData(columns: readonly ResultColumn[], rows: readonly Row[], order: readonly number[], sort: SortState | undefined): void {
    const hadFocus = this.hasFocus();
    const key = JSON.stringify(columns);
    if (key !== this.columnsKey) {
      this.columnsKey = key;
      this.columns = columns;
      this.numeric = columns.map((c) => isNumericType(c.type));
      this.widths = [];
      this.renderHeader();
    }
    if (rows !== this.rows || this.widths.length === 0) this.setWidths(columnWidths(columns, rows));
    this.rows = rows;
    this.order = order;
    this.setSort(sort);
    this.table.setAttribute('aria-rowcount', String(order.length + 1));
    this.table.setAttribute('aria-colcount', String(columns.length));
    this.active = {
      row: Math.min(this.active.row, order.length - 1),
      column: Math.min(this.active.column, Math.max(columns.length - 1, 0)),
    };
    for (const row of this.rowElements.values()) row.remove();
    this.rowElements.clear();
    this.start = this.end = 0;
    this.renderWindow();
    if (hadFocus) this.focusActive();
  }

  /** Widths only grow, so columns do not jump about as rows load or the filter changes. */
  private setWidths(measured: number[]): void {
    const widths = measured.map((w, c) => Math.max(w, this.widths[c] ?? 0));
    if (widths.length === this.widths.length && widths.every((w, c) => w === this.widths[c])) return;
    this.widths = widths;
    this.colgroup.replaceChildren(
      ...widths.map((w) => {
        const col = element('col');
        col.style.width = `calc(${w}ch + ${CELL_CHROME_PX}px)`;
        return col;
      }),
    );
    this.table.style.width = `calc(${widths.reduce((sum, w) => sum + w, 0)}ch + ${widths.length * CELL_CHROME_PX}px)`;
  }

  private renderHeader(): void {
    this.headRow.replaceChildren(
      ...this.columns.map((column, c) => {
        const th = element('th');
        th.setAttribute('role', 'columnheader');
        th.setAttribute('aria-colindex', String(c + 1));
        th.tabIndex = -1;
        th.dataset['column'] = String(c);
        if (this.numeric[c]) th.classList.add('numeric');
        th.title = `${column.name} ${column.type}: click to sort`;
        const indicator = element('span', 'sort-indicator');
        indicator.setAttribute('aria-hidden', 'true');
        th.append(element('span', 'column-name', column.name), element('span', 'column-type', column.type), indicator);
        return th;
      }),
    );
    for (const spacer of [this.topSpacer, this.bottomSpacer])
      spacer.firstElementChild?.setAttribute('colspan', String(Math.max(this.columns.length, 1)));
  }

  private setSort(sort: SortState | undefined): void {
    this.headRow.querySelectorAll('th').forEach((th, c) => {
      const direction = sort?.column === c ? sort.direction : undefined;
      if (direction) th.setAttribute('aria-sort', direction);
      else th.removeAttribute('aria-sort');
      const indicator = th.querySelector('.sort-indicator');
      if (indicator) indicator.textContent = direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : '';
    });
  }

  /** Restores a scroll position; applied once the grid is visible if it is hidden now. */
  setScroll(top: number, left: number): void {
    this.scrollPosition = { top, left };
    this.refresh();
  }

  /** Re-renders for the current viewport (after a resize, or when its tab is shown). */
  refresh(): void {
    if (this.element.clientHeight > 0) {
      const { top, left } = this.scrollPosition;
      // Browsers drop the scroll offset of a hidden element: put it back.
      if (Math.abs(this.element.scrollTop - top) > 1) this.element.scrollTop = top;
      if (Math.abs(this.element.scrollLeft - left) > 1) this.element.scrollLeft = left;
    }
    this.renderWindow(true);
  }

  private onScroll(): void {
    if (this.element.clientHeight === 0) return;
    this.scrollPosition = { top: this.element.scrollTop, left: this.element.scrollLeft };
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderWindow();
      this.events.scroll(this.scrollPosition.top, this.scrollPosition.left);
    });
  }

  private headerHeight(): number {
    return this.thead.offsetHeight;
  }

  private viewportRows(): number {
    const height = this.element.clientHeight;
    if (height === 0) return HIDDEN_VIEWPORT_ROWS;
    return Math.max(1, Math.ceil((height - this.headerHeight()) / this.rowHeight));
  }

  /** Renders the rows the viewport needs, keeping those already there (and so the focus in them). */
  private renderWindow(force = false): void {
    const count = this.order.length;
    const first = Math.min(Math.floor(this.element.scrollTop / this.rowHeight), Math.max(count - 1, 0));
    const last = Math.min(count, first + this.viewportRows() + 1);
    if (!force && first >= this.start && last <= this.end) return;
    const start = Math.max(0, first - OVERSCAN);
    const end = Math.min(count, last + OVERSCAN);
    const hadFocus = this.hasFocus();

    for (const [index, row] of this.rowElements) {
      if (index < start || index >= end) {
        row.remove();
        this.rowElements.delete(index);
      }
    }
    // Rows still present are contiguous and in order, so new ones go right after the previous.
    let previous: HTMLTableRowElement = this.topSpacer;
    for (let index = start; index < end; index++) {
      let row = this.rowElements.get(index);
      if (!row) {
        row = this.renderRow(index);
        this.rowElements.set(index, row);
        previous.after(row);
      }
      previous = row;
    }
    this.start = start;
    this.end = end;
    this.setSpacerHeight(this.topSpacer, start * this.rowHeight);
    this.setSpacerHeight(this.bottomSpacer, (count - end) * this.rowHeight);
    this.updateTabStop();
    if (hadFocus && !this.hasFocus()) this.focusActive();
    if (!this.measured) this.measureRowHeight();
  }

  private setSpacerHeight(spacer: HTMLTableRowElement, height: number): void {
    spacer.hidden = height === 0;
    const cell = spacer.firstElementChild as HTMLElement | null;
    if (cell) cell.style.height = `${height}px`;
  }

  /** The stylesheet sets the row height; read it once rendered, so the scroll arithmetic matches. */
  private measureRowHeight(): void {
    const row = this.rowElements.get(this.start);
    const height = row?.getBoundingClientRect().height ?? 0;
    if (height <= 0) return;
    this.measured = true;
    if (Math.abs(height - this.rowHeight) > 0.5) {
      this.rowHeight = height;
      this.renderWindow(true);
    }
  }

  private renderRow(index: number): HTMLTableRowElement {
    const tr = element('tr');
    tr.setAttribute('aria-rowindex', String(index + 2));
    tr.dataset['row'] = String(index);
    // Stripes follow the row, not its place among the rendered ones.
    if (index % 2 === 1) tr.className = 'odd';
    const data = this.rows[this.order[index] ?? -1] ?? [];
    for (let c = 0; c < this.columns.length; c++) {
      const value = data[c] ?? null;
      const td = element('td', value === null ? 'null' : undefined, cellText(value));
      td.setAttribute('role', 'gridcell');
      td.setAttribute('aria-colindex', String(c + 1));
      td.dataset['column'] = String(c);
      td.tabIndex = -1;
      if (this.numeric[c]) td.classList.add('numeric');
      // The full value where the column is too narrow for it.
      if (value === null) td.title = 'NULL (no value)';
      else if (value.length > (this.widths[c] ?? MAX_COLUMN_CH) || value.includes('\n')) td.title = value;
      tr.append(td);
    }
    return tr;
  }

  private cellElement(cell: CellRef): HTMLElement | undefined {
    const row = cell.row < 0 ? this.headRow : this.rowElements.get(cell.row);
    return (row?.children[cell.column] as HTMLElement | undefined) ?? undefined;
  }

  private cellOf(target: EventTarget | null): CellRef | undefined {
    if (!(target instanceof Element)) return undefined;
    const cell = target.closest<HTMLElement>('td[data-column], th[data-column]');
    if (!cell) return undefined;
    const column = Number(cell.dataset['column']);
    const rowData = cell.parentElement?.dataset['row'];
    return { row: rowData === undefined ? -1 : Number(rowData), column };
  }

  /** One cell is in the Tab order (roving tabindex); if it is scrolled away, its column header is. */
  private updateTabStop(): void {
    const next = this.cellElement(this.active) ?? this.cellElement({ row: -1, column: this.active.column });
    if (next === this.tabStop) return;
    if (this.tabStop) {
      this.tabStop.tabIndex = -1;
      this.tabStop.removeAttribute('aria-selected');
    }
    this.tabStop = next;
    if (next) {
      next.tabIndex = 0;
      next.setAttribute('aria-selected', 'true');
    }
  }

  private setActive(cell: CellRef): void {
    this.active = cell;
    this.updateTabStop();
  }

  private hasFocus(): boolean {
    return this.element.contains(document.activeElement);
  }

  /** Moves the keyboard focus to the active cell, scrolling it into view. */
  focusActive(): void {
    this.scrollIntoView(this.active);
    this.renderWindow();
    const target = this.cellElement(this.active);
    this.updateTabStop();
    (target ?? this.tabStop)?.focus({ preventScroll: true });
  }

  private scrollIntoView(cell: CellRef): void {
    const scroller = this.element;
    // The header row sits above the first row: going there goes to the top.
    if (cell.row < 0) scroller.scrollTop = 0;
    else if (scroller.clientHeight > 0) {
      const top = cell.row * this.rowHeight;
      const visible = scroller.clientHeight - this.headerHeight();
      if (top < scroller.scrollTop) scroller.scrollTop = top;
      else if (top + this.rowHeight > scroller.scrollTop + visible) scroller.scrollTop = top + this.rowHeight - visible;
    }
    const th = this.headRow.children[cell.column] as HTMLElement | undefined;
    if (th && scroller.clientWidth > 0) {
      if (th.offsetLeft < scroller.scrollLeft) scroller.scrollLeft = th.offsetLeft;
      else if (th.offsetLeft + th.offsetWidth > scroller.scrollLeft + scroller.clientWidth)
        scroller.scrollLeft = th.offsetLeft + th.offsetWidth - scroller.clientWidth;
    }
  }

  private moveTo(row: number, column: number): void {
    const rows = this.order.length;
    this.active = {
      row: Math.max(-1, Math.min(row, rows - 1)),
      column: Math.max(0, Math.min(column, this.columns.length - 1)),
    };
    this.focusActive();
  }

  /** The text of a cell: a header gives its column name. */
  cellText(cell: CellRef): string {
    if (cell.row < 0) return this.columns[cell.column]?.name ?? '';
    return cellText(this.rowAt(cell.row)[cell.column] ?? null);
  }

  /** A row as one CSV line: the header row gives the column names. */
  rowCsv(cell: CellRef): string {
    if (cell.row < 0) return csvRow(this.columns.map((c) => c.name));
    return csvRow(this.rowAt(cell.row));
  }

  private rowAt(index: number): Row {
    return this.rows[this.order[index] ?? -1] ?? [];
  }

  private onKeyDown(event: KeyboardEvent): void {
    const { row, column } = this.active;
    const command = event.ctrlKey || event.metaKey;
    if (command && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'c') {
      // A text selection made with the mouse copies as usual.
      const selection = window.getSelection();
      if (selection && !selection.isCollapsed) return;
      event.preventDefault();
      this.events.copy(this.cellText(this.active));
      return;
    }
    if (event.key === 'ContextMenu' || (event.shiftKey && event.key === 'F10')) {
      event.preventDefault();
      const rect = (this.cellElement(this.active) ?? this.element).getBoundingClientRect();
      this.events.contextMenu(rect.left + 8, rect.bottom, this.active);
      return;
    }
    const page = Math.max(1, this.viewportRows() - 1);
    const last = this.order.length - 1;
    const targets: Record<string, [number, number]> = {
      ArrowUp: [row - 1, column],
      ArrowDown: [row + 1, column],
      ArrowLeft: [row, column - 1],
      ArrowRight: [row, column + 1],
      PageUp: [Math.max(row - page, row < 0 ? -1 : 0), column],
      PageDown: [row + page, column],
      Home: [command ? -1 : row, 0],
      End: [command ? last : row, this.columns.length - 1],
    };
    const target = targets[event.key];
    if (target) {
      event.preventDefault();
      this.moveTo(...target);
    } else if ((event.key === 'Enter' || event.key === ' ') && row < 0) {
      event.preventDefault();
      this.events.sort(column);
    }
  }

  private onClick(event: MouseEvent): void {
    const cell = this.cellOf(event.target);
    if (!cell) return;
    this.setActive(cell);
    this.cellElement(cell)?.focus({ preventScroll: true });
    if (cell.row < 0) this.events.sort(cell.column);
  }

  private onContextMenu(event: MouseEvent): void {
    const cell = this.cellOf(event.target);
    if (!cell) return;
    event.preventDefault();
    this.setActive(cell);
    this.cellElement(cell)?.focus({ preventScroll: true });
    this.events.contextMenu(event.clientX, event.clientY, cell);
  }
}
