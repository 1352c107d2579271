import { beforeEach, describe, expect, it, vi } from 'vitest';
import { app, fakeElectron, resetFakeElectron } from '../../../support/shell/fake-electron.js';
import { installShutdown } from '../../../../electron/shell/lifecycle/shutdown.js';

vi.mock('electron', () => import('../../../support/shell/fake-electron.js'));

const quitted = () => new Promise<void>((resolve) => fakeElectron.appEvents.once('fake-quit', () => resolve()));

describe('installShutdown (through the fake Electron)', () => {
  beforeEach(() => resetFakeElectron());

  it('holds the first quit back, stops, closes, removes the tray, then quits for real', async () => {
    const steps: string[] = [];
    let finishClose: () => void = () => {};
    installShutdown({
      stops: [() => steps.push('stop watchers'), () => steps.push('stop ipc')],
      close: () => new Promise<void>((resolve) => {
        steps.push('close');
        finishClose = resolve;
      }),
      removeTray: () => steps.push('remove tray'),
      log: { error: () => {} },
    });
    const done = quitted();
    app.quit();
    expect(fakeElectron.quit).toBe(false);
    app.quit(); // a second quit while closing is held back and changes nothing
    expect(steps).toEqual(['stop watchers', 'stop ipc', 'close']);
    finishClose();
    await done;
    expect(steps).toEqual(['stop watchers', 'stop ipc', 'close', 'remove tray']);
    expect(fakeElectron.quit).toBe(true);
  });

  it('still quits when closing fails, and logs why', async () => {
    const errors: unknown[] = [];
    let removed = false;
    installShutdown({ stops: [], close: () => Promise.reject(new Error('disk gone')), removeTray: () => (removed = true), log: { error: (details: unknown) => errors.push(details) } });
    const done = quitted();
    app.quit();
    await done;
    expect(removed).toBe(true);
    expect(errors).toEqual([{ err: new Error('disk gone') }]);
  });
});
