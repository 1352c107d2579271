// A test clock that is the system's Date: google-auth-library signs its JWTs with Date.now(), so a
// test that moves time for the Google fake and the source moves Date itself. Only Date is faked:
// timers, timeouts and sockets run in real time. Call inside a test; the real Date is back after it.
import { onTestFinished, vi } from 'vitest';

export function systemClock(start: number): { now: number } {
  vi.useFakeTimers({ toFake: ['Date'], now: start });
  onTestFinished(() => void vi.useRealTimers());
  return {
    get now() {
      return Date.now();
    },
    set now(time: number) {
      vi.setSystemTime(time);
    },
  };
}
