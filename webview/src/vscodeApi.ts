// The API VS Code gives a webview's script, typed by the messages the view sends and the state
// it keeps: each view asks for it once, with its own message and state types.

export interface VsCodeApi<ToHost, State = never> {
  postMessage(message: ToHost): void;
  getState(): unknown;
  setState(state: State): void;
}

declare function acquireVsCodeApi(): unknown;

/** The webview's handle on its host; VS Code allows one call per page. */
export function vscodeApi<ToHost, State = never>(): VsCodeApi<ToHost, State> {
  return acquireVsCodeApi() as VsCodeApi<ToHost, State>;
}
