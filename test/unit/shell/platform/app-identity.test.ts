import { beforeEach, describe, expect, it, vi } from 'vitest';
import { app, FakeDock, resetFakeElectron } from '../../../support/shell/fake-electron.js';
import { APP_USER_MODEL_ID, declareAppIdentity, showInDock } from '../../../../electron/shell/platform/app-identity.js';

vi.mock('electron', () => import('../../../support/shell/fake-electron.js'));

describe('app identity (through the fake Electron)', () => {
  beforeEach(() => resetFakeElectron());

  it('hides the Dock icon on macOS while only the tray runs, and shows it with the dashboard', () => {
    const dock = new FakeDock();
    app.dock = dock;
    declareAppIdentity('darwin');
    expect(dock.visible).toBe(false);
    showInDock('darwin', true);
    expect(dock.visible).toBe(true);
    showInDock('darwin', false);
    expect(dock.visible).toBe(false);
    expect(app.appUserModelId).toBeNull();
  });

  it('sets the app id on Windows, and leaves the Dock alone elsewhere', () => {
    declareAppIdentity('win32');
    expect(app.appUserModelId).toBe(APP_USER_MODEL_ID);
    const dock = new FakeDock();
    app.dock = dock;
    showInDock('linux', false);
    expect(dock.visible).toBe(true);
  });
});
