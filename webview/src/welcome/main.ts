// The Getting Started view: lists the workspace's lessons (Markdown with ```sql blocks) and
// schema files, and asks the host to open one.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { WelcomeToHost, WelcomeToWebview } from '../../../protocol/src/welcome';
import { vscodeApi } from '../vscodeApi';

const vscode = vscodeApi<WelcomeToHost>();

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function openButton(label: string, key: string, secondary: boolean): HTMLElement {
  const button = document.createElement('vscode-button');
  button.textContent = label;
  if (secondary) button.setAttribute('secondary', '');
  button.dataset['key'] = key;
  button.addEventListener('click', () => {
    vscode.postMessage({ type: 'open', key });
  });
  return button;
}

function render(message: WelcomeToWebview): void {
  const lessons = document.getElementById('lessons');
  const schemas = document.getElementById('schemas');
  const version = document.getElementById('version');
  if (!lessons || !schemas || !version) return;
  version.textContent = `crdb-studio ${message.extensionVersion} · lint target CockroachDB ${message.cockroachVersion}`;

  lessons.replaceChildren();
  if (message.lessons.length === 0) lessons.append(element('p', 'No Markdown lessons with ```sql blocks in this workspace.', 'empty'));
  for (const lesson of message.lessons) {
    const row = element('li', undefined, 'lesson');
    const text = element('div');
    text.append(
      element('strong', lesson.title),
      element('span', ` ${lesson.relativePath} · ${lesson.sqlBlocks} SQL block${lesson.sqlBlocks === 1 ? '' : 's'}`, 'detail'),
    );
    row.append(text, openButton('Open lesson', lesson.key, false));
    lessons.append(row);
  }

  schemas.replaceChildren();
  if (message.schemas.length === 0) schemas.append(element('p', 'No .sql files in this workspace.', 'empty'));
  for (const schema of message.schemas) {
    const row = element('li', undefined, 'schema');
    row.append(element('code', schema.relativePath), openButton('Open', schema.key, true));
    schemas.append(row);
  }
}

window.addEventListener('message', (event: MessageEvent<WelcomeToWebview>) => {
  render(event.data);
});
vscode.postMessage({ type: 'ready' });
