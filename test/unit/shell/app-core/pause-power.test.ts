import { describe, expect, it } from 'vitest';
import { PauseControl, type Pausable } from '../../../../electron/shell/app-core/pause-control.js';
import { watchPower } from '../../../../electron/shell/platform/power.js';

function target(): Pausable & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    pause: () => log.push('pause'),
    resume: () => log.push('resume'),
    refreshNow: async () => {
      log.push('refreshNow');
    },
  };
}

describe('PauseControl', () => {
  it('pauses on the first reason and resumes when the last one goes', () => {
    const core = target();
    const control = new PauseControl(core);
    control.add('user');
    control.add('offline');
    control.add('offline');
    expect(core.log).toEqual(['pause']);
    control.remove('user');
    expect(control.paused).toBe(true);
    control.remove('offline');
    expect(core.log).toEqual(['pause', 'resume', 'refreshNow']);
    expect(control.paused).toBe(false);
  });

  it('catches up after sleep or an outage, not after the user\'s own resume (the scheduler runs overdue jobs)', () => {
    const core = target();
    const control = new PauseControl(core);
    control.add('suspend');
    control.remove('suspend');
    control.add('user');
    control.remove('user');
    expect(core.log).toEqual(['pause', 'resume', 'refreshNow', 'pause', 'resume']);
  });

  it('tells listeners about every change', () => {
    const control = new PauseControl(target());
    const seen: string[][] = [];
    control.onChange((reasons) => seen.push([...reasons]));
    control.add('user');
    control.remove('offline');
    control.remove('user');
    expect(seen).toEqual([['user'], []]);
  });

  it('reports a failed catch-up instead of throwing', async () => {
    const errors: unknown[] = [];
    const control = new PauseControl({ pause: () => {}, resume: () => {}, refreshNow: () => Promise.reject(new Error('offline still')) }, { onError: (error) => errors.push(error) });
    control.add('offline');
    control.remove('offline');
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toHaveLength(1);
  });
});

describe('watchPower', () => {
  function setup(online: { value: boolean }) {
    const core = target();
    const pause = new PauseControl(core);
    const listeners = new Map<string, () => void>();
    let tick: (() => void) | null = null;
    let changes = 0;
    const stop = watchPower({
      power: { on: (event, listener) => listeners.set(event, listener) },
      isOnline: () => online.value,
      pause,
      onChange: () => changes++,
      setInterval: (run) => {
        tick = run;
        return 1;
      },
      clearInterval: () => {
        tick = null;
      },
    });
    return { core, pause, listeners, tick: () => tick?.(), stop, changes: () => changes, stopped: () => tick === null };
  }

  it('pauses while the machine sleeps and catches up when it wakes', () => {
    const { core, pause, listeners } = setup({ value: true });
    listeners.get('suspend')!();
    expect(pause.has('suspend')).toBe(true);
    listeners.get('resume')!();
    expect(core.log).toEqual(['pause', 'resume', 'refreshNow']);
  });

  it('pauses while offline (checked at start and on each tick) and resumes when back', () => {
    const online = { value: false };
    const { core, pause, tick, changes, stop, stopped } = setup(online);
    expect(pause.has('offline')).toBe(true);
    tick();
    expect(changes()).toBe(1);
    online.value = true;
    tick();
    expect(pause.has('offline')).toBe(false);
    expect(core.log).toEqual(['pause', 'resume', 'refreshNow']);
    expect(changes()).toBe(2);
    stop();
    expect(stopped()).toBe(true);
  });
});
