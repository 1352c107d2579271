// A stand-in for the `electron` module, so electron/main.ts can run under plain Node where the
// Electron binary is not installed. It records what the main process asks of Electron (windows,
// tray, IPC handlers, the CSP hook, dialogs, quitting) on `fakeElectron` for main-harness.ts to read.
// Unit tests of the shell's Electron wiring load it in place of `electron` with
//   vi.mock('electron', () => import('../../../support/shell/fake-electron.js'))
// and call resetFakeElectron() before each test.
import { EventEmitter } from 'node:events';
import os from 'node:os';
import path from 'node:path';

type Listener = (...args: any[]) => any;

export const fakeElectron = {
  windows: [] as FakeBrowserWindow[],
  trays: [] as FakeTray[],
  handlers: new Map<string, Listener>(),
  headersListener: null as Listener | null,
  permissionRequest: null as Listener | null,
  permissionCheck: null as Listener | null,
  dialogs: [] as { title: string; content: string }[],
  exitCode: null as number | null,
  quit: false,
  appEvents: new EventEmitter(),
  /** What Notification.isSupported() answers (false: the harness shows none). */
  notificationsSupported: false,
  notifications: [] as FakeNotification[],
  clipboard: [] as string[],
  /** What the app asked of the OS's login items (macOS, Windows). */
  loginItems: [] as { openAtLogin: boolean }[],
  /** Set: every window's loadURL fails with it (the renderer not built). */
  loadFailure: null as Error | null,
};

/** Forgets everything recorded (and every app listener), for the next unit test. */
export function resetFakeElectron(): void {
  fakeElectron.windows.length = 0;
  fakeElectron.trays.length = 0;
  fakeElectron.handlers.clear();
  fakeElectron.headersListener = null;
  fakeElectron.permissionRequest = null;
  fakeElectron.permissionCheck = null;
  fakeElectron.dialogs.length = 0;
  fakeElectron.exitCode = null;
  fakeElectron.quit = false;
  fakeElectron.appEvents.removeAllListeners();
  fakeElectron.notificationsSupported = false;
  fakeElectron.notifications.length = 0;
  fakeElectron.clipboard.length = 0;
  fakeElectron.loginItems.length = 0;
  fakeElectron.loadFailure = null;
  app.dock = undefined;
}

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const paths = new Map<string, string>();

class FakeWebContents extends EventEmitter {
  url = '';
  openHandler: Listener | null = null;
  sent: { channel: string; payload: unknown }[] = [];
  setWindowOpenHandler(handler: Listener) {
    this.openHandler = handler;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  getURL() {
    return this.url;
  }
}

/** A BrowserWindow that records what the shell does with it (every page it loaded, where it was put). */
export class FakeBrowserWindow extends EventEmitter {
  readonly options: Record<string, any>;
  readonly webContents = new FakeWebContents();
  readonly loaded: string[] = [];
  visible = false;
  destroyed = false;
  position: [number, number] | null = null;
  normalBounds = { x: 10, y: 20, width: 900, height: 600 };
  constructor(options: Record<string, any>) {
    super();
    this.options = options;
    fakeElectron.windows.push(this);
  }
  loadURL(url: string) {
    this.loaded.push(url);
    this.webContents.url = url;
    return fakeElectron.loadFailure ? Promise.reject(fakeElectron.loadFailure) : Promise.resolve();
  }
  show() {
    this.visible = true;
  }
  hide() {
    this.visible = false;
  }
  focus() {}
  isVisible() {
    return this.visible;
  }
  isDestroyed() {
    return this.destroyed;
  }
  setPosition(x: number, y: number) {
    this.position = [x, y];
  }
  getNormalBounds() {
    return this.normalBounds;
  }
}

class FakeImage {
  readonly reps: { scaleFactor: number; bytes: number }[] = [];
  file: string | null = null;
  addRepresentation(options: { scaleFactor: number; buffer: Buffer }) {
    this.reps.push({ scaleFactor: options.scaleFactor, bytes: options.buffer.length });
  }
}

export class FakeTray extends EventEmitter {
  readonly calls: string[] = [];
  image: FakeImage | null = null;
  tooltip = '';
  menu: unknown = null;
  destroyed = false;
  constructor(image: FakeImage) {
    super();
    this.image = image;
    fakeElectron.trays.push(this);
  }
  setImage(image: FakeImage) {
    this.calls.push('setImage');
    this.image = image;
  }
  setToolTip(text: string) {
    this.calls.push('setToolTip');
    this.tooltip = text;
  }
  setTitle() {
    this.calls.push('setTitle');
  }
  setContextMenu(menu: unknown) {
    this.calls.push('setContextMenu');
    this.menu = menu;
  }
  popUpContextMenu() {
    this.calls.push('popUpContextMenu');
  }
  getBounds() {
    return { x: 0, y: 0, width: 0, height: 0 };
  }
  destroy() {
    this.destroyed = true;
  }
}

/** macOS's Dock, for tests that play macOS (app.dock is undefined elsewhere). */
export class FakeDock {
  visible = true;
  show() {
    this.visible = true;
    return Promise.resolve();
  }
  hide() {
    this.visible = false;
  }
}

export const app = {
  isPackaged: false,
  dock: undefined as FakeDock | undefined,
  appUserModelId: null as string | null,
  setPath: (name: string, value: string) => paths.set(name, value),
  getPath: (name: string) => paths.get(name) ?? path.join(os.tmpdir(), 'footprint-fake-electron', name),
  getAppPath: () => repoRoot,
  getVersion: () => '0.1.0',
  requestSingleInstanceLock: () => process.env.FAKE_ELECTRON_LOCK !== 'taken',
  on(event: string, listener: Listener) {
    fakeElectron.appEvents.on(event, listener);
    return app;
  },
  whenReady: () => Promise.resolve(),
  quit() {
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    fakeElectron.appEvents.emit('before-quit', event);
    if (event.defaultPrevented) return;
    fakeElectron.quit = true;
    fakeElectron.appEvents.emit('fake-quit');
  },
  exit(code: number) {
    fakeElectron.exitCode = code;
    fakeElectron.appEvents.emit('fake-exit', code);
  },
  setAppUserModelId(id: string) {
    app.appUserModelId = id;
  },
  setLoginItemSettings(settings: { openAtLogin: boolean }) {
    fakeElectron.loginItems.push(settings);
  },
  getLoginItemSettings: () => ({ openAtLogin: fakeElectron.loginItems.at(-1)?.openAtLogin ?? false }),
};

export const safeStorage = {
  isAsyncEncryptionAvailable: async () => true,
  encryptStringAsync: async (text: string) => Buffer.from(`fake:${text}`),
  // Data this fake keychain did not encrypt cannot be decrypted, as with a changed OS keychain.
  decryptStringAsync: async (data: Buffer) => {
    if (!data.toString().startsWith('fake:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return { result: data.toString().slice('fake:'.length), shouldReEncrypt: false };
  },
  getSelectedStorageBackend: () => 'basic_text',
};

export const session = {
  defaultSession: {
    webRequest: { onHeadersReceived: (listener: Listener) => { fakeElectron.headersListener = listener; } },
    setPermissionRequestHandler: (handler: Listener) => { fakeElectron.permissionRequest = handler; },
    setPermissionCheckHandler: (handler: Listener) => { fakeElectron.permissionCheck = handler; },
  },
};

export const nativeImage = {
  createEmpty: () => new FakeImage(),
  createFromBuffer: (buffer: Buffer, options: { scaleFactor: number }) => {
    const image = new FakeImage();
    image.addRepresentation({ scaleFactor: options.scaleFactor, buffer });
    return image;
  },
  createFromPath: (file: string) => Object.assign(new FakeImage(), { file }),
};

export const ipcMain = {
  handle: (channel: string, listener: Listener) => fakeElectron.handlers.set(channel, listener),
  removeHandler: (channel: string) => fakeElectron.handlers.delete(channel),
  on: () => ipcMain,
};

const workArea = { x: 0, y: 0, width: 1920, height: 1080 };
export const screen = {
  getDisplayNearestPoint: () => ({ workArea }),
  getPrimaryDisplay: () => ({ workArea }),
  getAllDisplays: () => [{ workArea }],
};

export const Menu = { buildFromTemplate: (template: unknown[]) => ({ template }) };
export const net = { isOnline: () => true };
export const powerMonitor = new EventEmitter();
export const clipboard = { writeText: (text: string) => fakeElectron.clipboard.push(text) };
export const dialog = { showErrorBox: (title: string, content: string) => fakeElectron.dialogs.push({ title, content }) };
export const shell = { openExternal: async () => {}, openPath: async () => '' };
export class FakeNotification extends EventEmitter {
  readonly options: { title: string; body: string };
  shown = false;
  constructor(options: { title: string; body: string }) {
    super();
    this.options = options;
    fakeElectron.notifications.push(this);
  }
  static isSupported() {
    return fakeElectron.notificationsSupported;
  }
  show() {
    this.shown = true;
  }
}
export const Notification = FakeNotification;
export const BrowserWindow = FakeBrowserWindow;
export const Tray = FakeTray;

export default { app, ipcMain, shell, safeStorage, session, nativeImage, screen, Menu, net, powerMonitor, clipboard, dialog, Notification, BrowserWindow, Tray };
