// A webview's bundle in headless Chromium, as VS Code would show it: the page the host builds
// (client/src/webviewHtml.ts imports 'vscode', so its CSP is repeated here), the bundle and
// stylesheets served from one origin, a recording stand-in for acquireVsCodeApi(), and VS Code's
// theme variables.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { repoRoot } from './tools';

export const ORIGIN = 'https://webview.test';
const NONCE = 'd2Vidmlldy1wYWdlLXRlc3Q=';

/** The page client/src/webviewHtml.ts builds for a bundle, with the same CSP. */
function pageHtml(entry: string, stylesheets: readonly string[], title: string): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${NONCE}'`,
    `style-src ${ORIGIN}`,
    `font-src ${ORIGIN}`,
    `img-src ${ORIGIN} data:`,
  ].join('; ');
  const links = ['webview.css', ...stylesheets].map((file) => `<link rel="stylesheet" href="${ORIGIN}/media/${file}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${links}
<title>${title}</title>
</head>
<body>
<div id="app"></div>
<script type="module" nonce="${NONCE}" src="${ORIGIN}/dist/webview/${entry}.js"></script>
</body>
</html>`;
}

/** Serves `${ORIGIN}/index.html` for a webview bundle (e.g. 'results'), its map and stylesheets. */
export async function serveWebview(context: BrowserContext, entry: string, stylesheets: readonly string[], title: string): Promise<void> {
  const files = new Map<string, [string, string]>([
    ['/media/webview.css', ['media/webview.css', 'text/css']],
    ...stylesheets.map((file): [string, [string, string]] => [`/media/${file}`, [`media/${file}`, 'text/css']]),
    [`/dist/webview/${entry}.js`, [`dist/webview/${entry}.js`, 'text/javascript']],
    [`/dist/webview/${entry}.js.map`, [`dist/webview/${entry}.js.map`, 'application/json']],
  ]);
  await context.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/index.html') {
      await route.fulfill({ status: 200, contentType: 'text/html', body: pageHtml(entry, stylesheets, title) });
      return;
    }
    const file = files.get(url.pathname);
    if (!file) {
      await route.fulfill({ status: 404, body: '' });
      return;
    }
    await route.fulfill({ status: 200, contentType: file[1], body: readFileSync(path.join(repoRoot, file[0])) });
  });
}

/** What the stand-in for acquireVsCodeApi() keeps on window. */
export interface RecordingWindow<M> {
  posted: M[];
  cspViolations: string[];
}

/** Runs in the page before its scripts (and outside its CSP): VS Code's webview API, recorded. */
export function installVsCodeApi(): void {
  const w = window as unknown as RecordingWindow<unknown> & { acquireVsCodeApi: () => unknown };
  w.posted = [];
  w.cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
  });
  // sessionStorage outlives a reload, as VS Code keeps a webview's state while it is hidden.
  w.acquireVsCodeApi = () => ({
    postMessage: (message: unknown) => {
      w.posted.push(message);
    },
    getState: () => {
      const saved = sessionStorage.getItem('vscode-state');
      return saved === null ? undefined : (JSON.parse(saved) as unknown);
    },
    setState: (state: unknown) => {
      sessionStorage.setItem('vscode-state', JSON.stringify(state));
    },
  });
}

/**
 * Resolves once the page has handled every message posted to it so far, and drawn a frame after:
 * a marker is posted last, and messages are delivered in order to the view's listener, which was
 * added before this one. For asserting what a message did not do, without a sleep.
 */
export async function afterMessages(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const marker = 'crdb-studio-test-marker';
        const listener = (event: MessageEvent): void => {
          if (event.data !== marker) return;
          window.removeEventListener('message', listener);
          requestAnimationFrame(() =>
            requestAnimationFrame(() => {
              resolve();
            }),
          );
        };
        window.addEventListener('message', listener);
        window.postMessage(marker, '*');
      }),
  );
}

/** The theme variables VS Code puts on <html> (a subset of Dark Modern and Light Modern). */
const themes: Record<'dark' | 'light', Record<string, string>> = {
  dark: {
    'font-family': 'system-ui, sans-serif',
    'font-size': '13px',
    'editor-font-family': 'monospace',
    'editor-font-size': '13px',
    foreground: '#cccccc',
    'editor-background': '#1f1f1f',
    descriptionForeground: '#9d9d9d',
    errorForeground: '#f85149',
    focusBorder: '#0078d4',
    'list-hoverBackground': '#2a2d2e',
    'list-activeSelectionBackground': '#04395e',
    'list-activeSelectionForeground': '#ffffff',
    'textLink-foreground': '#4daafc',
    'textLink-activeForeground': '#4daafc',
    'panel-border': '#2b2b2b',
    'tree-tableColumnsBorder': 'rgba(204, 204, 204, 0.13)',
    'tree-tableOddRowsBackground': 'rgba(204, 204, 204, 0.04)',
    'badge-background': '#616161',
    'badge-foreground': '#f8f8f8',
    'button-background': '#0078d4',
    'button-foreground': '#ffffff',
    'button-secondaryBackground': '#313131',
    'button-secondaryForeground': '#cccccc',
    'input-background': '#313131',
    'input-foreground': '#cccccc',
    'input-border': '#3c3c3c',
    'input-placeholderForeground': '#989898',
    'settings-textInputBackground': '#313131',
    'settings-textInputForeground': '#cccccc',
    'settings-textInputBorder': '#3c3c3c',
    'menu-background': '#1f1f1f',
    'menu-foreground': '#cccccc',
    'menu-border': '#454545',
    'menu-selectionBackground': '#0078d4',
    'menu-selectionForeground': '#ffffff',
    'textBlockQuote-background': '#2b2b2b',
    'textCodeBlock-background': '#2b2b2b',
    'testing-iconPassed': '#73c991',
    'editorInfo-foreground': '#3794ff',
    'editorWarning-foreground': '#cca700',
    'widget-shadow': 'rgba(0, 0, 0, 0.36)',
    'progressBar-background': '#0078d4',
    'panelTitle-activeForeground': '#e7e7e7',
    'panelTitle-activeBorder': '#0078d4',
    'settings-headerBorder': '#2b2b2b',
    'editorWidget-background': '#202020',
    'widget-border': '#313131',
    'dropdown-background': '#313131',
    'dropdown-foreground': '#cccccc',
    'dropdown-border': '#3c3c3c',
    'editorHoverWidget-background': '#202020',
    'editorHoverWidget-border': '#454545',
    'charts-yellow': '#cca700',
    'charts-blue': '#3794ff',
    'charts-purple': '#b180d7',
    'charts-green': '#89d185',
  },
  light: {
    'font-family': 'system-ui, sans-serif',
    'font-size': '13px',
    'editor-font-family': 'monospace',
    'editor-font-size': '13px',
    foreground: '#3b3b3b',
    'editor-background': '#ffffff',
    descriptionForeground: '#717171',
    errorForeground: '#e51400',
    focusBorder: '#005fb8',
    'list-hoverBackground': '#f2f2f2',
    'list-activeSelectionBackground': '#e8e8e8',
    'list-activeSelectionForeground': '#000000',
    'textLink-foreground': '#005fb8',
    'textLink-activeForeground': '#005fb8',
    'panel-border': '#e5e5e5',
    'tree-tableColumnsBorder': 'rgba(97, 97, 97, 0.13)',
    'tree-tableOddRowsBackground': 'rgba(59, 59, 59, 0.04)',
    'badge-background': '#cccccc',
    'badge-foreground': '#3b3b3b',
    'button-background': '#005fb8',
    'button-foreground': '#ffffff',
    'button-secondaryBackground': '#e5e5e5',
    'button-secondaryForeground': '#3b3b3b',
    'input-background': '#ffffff',
    'input-foreground': '#3b3b3b',
    'input-border': '#cecece',
    'input-placeholderForeground': '#767676',
    'settings-textInputBackground': '#ffffff',
    'settings-textInputForeground': '#3b3b3b',
    'settings-textInputBorder': '#cecece',
    'menu-background': '#ffffff',
    'menu-foreground': '#3b3b3b',
    'menu-border': '#cecece',
    'menu-selectionBackground': '#005fb8',
    'menu-selectionForeground': '#ffffff',
    'textBlockQuote-background': '#f8f8f8',
    'textCodeBlock-background': '#f8f8f8',
    'testing-iconPassed': '#388a34',
    'editorInfo-foreground': '#1a85ff',
    'editorWarning-foreground': '#bf8803',
    'widget-shadow': 'rgba(0, 0, 0, 0.16)',
    'progressBar-background': '#005fb8',
    'panelTitle-activeForeground': '#3b3b3b',
    'panelTitle-activeBorder': '#005fb8',
    'settings-headerBorder': '#e5e5e5',
    'editorWidget-background': '#f8f8f8',
    'widget-border': '#e5e5e5',
    'dropdown-background': '#ffffff',
    'dropdown-foreground': '#3b3b3b',
    'dropdown-border': '#cecece',
    'editorHoverWidget-background': '#f8f8f8',
    'editorHoverWidget-border': '#c8c8c8',
    'charts-yellow': '#bf8803',
    'charts-blue': '#1a85ff',
    'charts-purple': '#652d90',
    'charts-green': '#388a34',
  },
};

export async function setTheme(page: Page, name: 'dark' | 'light'): Promise<void> {
  await page.evaluate((variables) => {
    for (const [key, value] of Object.entries(variables)) document.documentElement.style.setProperty(`--vscode-${key}`, value);
  }, themes[name]);
}
