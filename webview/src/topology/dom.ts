// Small DOM helpers shared by the topology view's modules.
import '@vscode-elements/elements/dist/vscode-button/index.js';

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function vscodeButton(label: string, onClick: () => void, options: { secondary?: boolean; ariaLabel?: string } = {}): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  if (options.secondary) b.setAttribute('secondary', '');
  if (options.ariaLabel) b.setAttribute('aria-label', options.ariaLabel);
  b.addEventListener('click', onClick);
  return b;
}

/** A plain button styled as a link, for things that open rather than act. */
export function linkButton(label: string, onClick: () => void, ariaLabel?: string): HTMLButtonElement {
  const b = element('button', 'link', label);
  b.type = 'button';
  if (ariaLabel) b.setAttribute('aria-label', ariaLabel);
  b.addEventListener('click', onClick);
  return b;
}

/** A description list from label/value pairs; a value may be an element. */
export function facts(pairs: readonly (readonly [string, string | Node])[]): HTMLDListElement {
  const dl = element('dl', 'facts');
  for (const [label, value] of pairs) dl.append(element('dt', undefined, label), valueElement(value));
  return dl;
}

function valueElement(value: string | Node): HTMLElement {
  const dd = element('dd');
  dd.append(value);
  return dd;
}

/** A native select: keyboard and screen readers know it, and tests can drive it. */
export function select(label: string, onChange: (value: string) => void): { wrapper: HTMLLabelElement; select: HTMLSelectElement } {
  const wrapper = element('label', 'field');
  const s = element('select');
  s.addEventListener('change', () => {
    onChange(s.value);
  });
  wrapper.append(element('span', 'field-label', label), s);
  return { wrapper, select: s };
}

/** Replaces a select's options only when they changed, keeping the focus and the value where it can. */
export function setOptions(s: HTMLSelectElement, options: readonly { value: string; label: string }[], value: string): void {
  const same =
    s.options.length === options.length && options.every((o, i) => s.options[i]?.value === o.value && s.options[i].text === o.label);
  if (!same) s.replaceChildren(...options.map((o) => new Option(o.label, o.value)));
  if (s.value !== value) s.value = value;
}
