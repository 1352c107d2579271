// Runs electron/main.ts under plain Node with the fake `electron` module, drives it the way Electron
// and a renderer would, and prints what happened as one "RESULT {json}" line for main-process.test.ts.
//   node --import ./scripts/ts-register.mjs test/support/shell/main-harness.ts
// (FOOTPRINT_CONFIG, FOOTPRINT_USER_DATA_DIR and FOOTPRINT_TEST_HOOKS=1 set by the test; FAKE_ELECTRON_LOCK=taken
// plays a second instance; HARNESS_MAIN_ENTRY runs a built bundle instead of the sources.)
import { register } from 'node:module';
import type { ShellTestHooks } from '../../../electron/shell/lifecycle/test-hooks.js';

const stub = new URL('./fake-electron.ts', import.meta.url).href;
register(`data:text/javascript,export async function resolve(specifier, context, next) { return specifier === 'electron' ? { url: ${JSON.stringify(stub)}, shortCircuit: true } : next(specifier, context); }`);

const { fakeElectron } = await import('./fake-electron.js');

const result: Record<string, unknown> = {};
function finish(): never {
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
}
fakeElectron.appEvents.on('fake-exit', (code: number) => {
  result.exitCode = code;
  result.dialogs = fakeElectron.dialogs;
  finish();
});
fakeElectron.appEvents.on('fake-quit', () => {
  result.quit = true;
  result.trays = fakeElectron.trays.length;
  result.trayDestroyed = fakeElectron.trays.every((tray) => tray.destroyed);
  result.handlersLeft = fakeElectron.handlers.size;
  finish();
});

// The TypeScript sources by default; HARNESS_MAIN_ENTRY names a built bundle (dist/main/main.js) instead.
await import(process.env.HARNESS_MAIN_ENTRY ?? '../../../electron/main.js');

async function until<T>(probe: () => T | null | undefined, what: string): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const value = probe();
    if (value !== null && value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`main.ts never got to ${what}`);
}

const hooks = await until(() => (globalThis as unknown as { footprintShell?: ShellTestHooks }).footprintShell, 'its test hooks');
const view = await until(() => hooks.trayView(), 'a tray view');
const tray = fakeElectron.trays[0]!;
result.tray = { text: view.text, state: view.state, tooltip: view.tooltip, menu: view.menu.map((item) => ('label' in item ? item.label : '---')), calls: tray.calls, reps: tray.image?.reps };
result.windows = fakeElectron.windows.map((window) => ({ url: window.webContents.url, visible: window.visible, webPreferences: window.options.webPreferences, guarded: window.webContents.openHandler !== null && window.webContents.listenerCount('will-navigate') > 0 }));

const appPage = fakeElectron.windows[0]!.webContents.url;
const invoke = (channel: string, url: string, ...args: unknown[]) => fakeElectron.handlers.get(channel)!({ senderFrame: { url, parent: null } }, ...args);
result.channels = [...fakeElectron.handlers.keys()].sort();
const info = await invoke('footprint:info', appPage) as { version: string; metricsUrl: string | null; secretStorageWarning: string | null; metricsProblem: string | null };
result.info = { version: info.version, metricsUrl: info.metricsUrl, secretStorageWarning: info.secretStorageWarning, metricsProblem: info.metricsProblem };
result.foreign = await invoke('footprint:info', 'https://evil.example/').then(() => 'answered', (error: Error) => error.message);

const csp = (url: string) => new Promise((resolve) => fakeElectron.headersListener!({ resourceType: 'mainFrame', url, responseHeaders: { 'x-other': ['1'] } }, resolve));
result.cspForApp = await csp(appPage);
result.cspForOther = await csp('https://github.com/');
result.permission = await new Promise((resolve) => fakeElectron.permissionRequest!({}, 'notifications', resolve));

const metricsUrl = hooks.metricsUrl();
result.metricsStatus = metricsUrl ? (await fetch(`${metricsUrl}/metrics`)).status : null;
await hooks.dispatch({ type: 'set-metrics', enabled: false });
result.metricsAfterOff = hooks.metricsUrl();
result.settingsMetricsEnabled = hooks.settings().metrics.enabled;

await hooks.dispatch({ type: 'quit' });
await new Promise((resolve) => setTimeout(resolve, 5_000));
result.quit = false;
finish();
