// Wraps a fake's start function so every fake a test starts is closed after that test.
import { afterEach } from 'vitest';

export function closedAfterEach<Options, Fake extends { close(): Promise<void> }>(start: (options: Options) => Promise<Fake>): (options: Options) => Promise<Fake> {
  const open: Fake[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((fake) => fake.close()));
  });
  return async (options) => {
    const fake = await start(options);
    open.push(fake);
    return fake;
  };
}
