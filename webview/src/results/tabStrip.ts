// A run of many statements has more tabs than the view is wide. The tabs component lays its
// headers out in one row that neither wraps nor scrolls (and has no styling hook for it), so the
// row ran off the side of the view with the whole page scrolling sideways. Here the header row
// scrolls on its own, and the selected tab is scrolled into sight whenever it changes (a new
// statement running, a click, the arrow keys, a run opened from the history).

const STRIP_STYLE = `
  .header { overflow-x: auto; overflow-y: hidden; scrollbar-width: thin; }
  .tablist { flex: none; }
`;

/** Makes the tab strip of `tabs` scroll horizontally and keeps its active tab in view. */
export function scrollableTabStrip(tabs: HTMLElement): void {
  const root = tabs.shadowRoot;
  if (root) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STRIP_STYLE);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }
  const observer = new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      const header = mutation.target;
      if (header instanceof HTMLElement && header.localName === 'vscode-tab-header' && header.hasAttribute('active')) {
        keepInView(header);
        return;
      }
    }
  });
  observer.observe(tabs, { subtree: true, attributes: true, attributeFilter: ['active'] });
}

/** Scrolls the strip (only the strip: never the page) so the whole header shows. */
function keepInView(header: HTMLElement): void {
  const strip = header.parentElement?.shadowRoot?.querySelector<HTMLElement>('.header');
  if (!strip) return;
  const stripBox = strip.getBoundingClientRect();
  const box = header.getBoundingClientRect();
  if (box.left < stripBox.left) strip.scrollLeft -= stripBox.left - box.left;
  else if (box.right > stripBox.right) strip.scrollLeft += box.right - stripBox.right;
}
