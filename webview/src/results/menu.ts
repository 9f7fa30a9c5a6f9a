// A small context menu with menu/menuitem roles and arrow-key navigation (vscode-context-menu has
// neither roles nor a way back to the element that opened it).

export interface MenuItem {
  label: string;
  /** Shown at the right, like VS Code's menus. */
  keybinding?: string;
  run(): void;
}

export class ContextMenu {
  readonly element: HTMLDivElement;
  private returnFocus: HTMLElement | undefined;

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'context-menu';
    this.element.setAttribute('role', 'menu');
    this.element.hidden = true;
    this.element.addEventListener('keydown', (e) => {
      this.onKeyDown(e);
    });
    this.element.addEventListener('focusout', (e) => {
      if (!(e.relatedTarget instanceof Node) || !this.element.contains(e.relatedTarget)) this.close(false);
    });
    document.addEventListener('mousedown', (e) => {
      if (!this.element.hidden && !(e.target instanceof Node && this.element.contains(e.target))) this.close(false);
    });
    window.addEventListener('blur', () => {
      this.close(false);
    });
  }

  open(x: number, y: number, label: string, items: MenuItem[]): void {
    this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    this.element.setAttribute('aria-label', label);
    this.element.replaceChildren(
      ...items.map((item) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.setAttribute('role', 'menuitem');
        button.tabIndex = -1;
        const text = document.createElement('span');
        text.textContent = item.label;
        button.append(text);
        if (item.keybinding) {
          const key = document.createElement('span');
          key.className = 'keybinding';
          key.textContent = item.keybinding;
          button.append(key);
        }
        button.addEventListener('click', () => {
          this.close(true);
          item.run();
        });
        return button;
      }),
    );
    this.element.hidden = false;
    // Keep the menu inside the window.
    const { width, height } = this.element.getBoundingClientRect();
    this.element.style.left = `${Math.max(0, Math.min(x, window.innerWidth - width - 4))}px`;
    this.element.style.top = `${Math.max(0, Math.min(y, window.innerHeight - height - 4))}px`;
    this.items()[0]?.focus();
  }

  close(restoreFocus: boolean): void {
    if (this.element.hidden) return;
    this.element.hidden = true;
    if (restoreFocus) this.returnFocus?.focus({ preventScroll: true });
    this.returnFocus = undefined;
  }

  private items(): HTMLButtonElement[] {
    return [...this.element.querySelectorAll('button')];
  }

  private onKeyDown(event: KeyboardEvent): void {
    const items = this.items();
    const at = items.findIndex((item) => item === document.activeElement);
    const step = (delta: number): void => {
      items[(at + delta + items.length) % items.length]?.focus();
    };
    switch (event.key) {
      case 'ArrowDown':
        step(1);
        break;
      case 'ArrowUp':
        step(-1);
        break;
      case 'Home':
        items[0]?.focus();
        break;
      case 'End':
        items[items.length - 1]?.focus();
        break;
      case 'Escape':
      case 'Tab':
        this.close(true);
        break;
      default:
        return;
    }
    event.preventDefault();
  }
}
