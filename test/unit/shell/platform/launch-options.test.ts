import { describe, expect, it } from 'vitest';
import { launchOptions } from '../../../../electron/shell/platform/launch-options.js';

describe('launchOptions', () => {
  it('takes --config like `footprint serve`, in every form', () => {
    expect(launchOptions(['/usr/bin/electron', '.', '--config', '/etc/fp.yaml'], {}).configFile).toBe('/etc/fp.yaml');
    expect(launchOptions(['/opt/Footprint/footprint', '--config=/etc/fp.yaml'], {}).configFile).toBe('/etc/fp.yaml');
    expect(launchOptions(['/opt/Footprint/footprint', '-c', 'fp.yaml'], {}).configFile).toBe('fp.yaml');
    expect(launchOptions(['/opt/Footprint/footprint', '--config'], {}).configFile).toBeUndefined();
    expect(launchOptions(['/opt/Footprint/footprint', '--no-sandbox'], {}).configFile).toBeUndefined();
  });

  it('reads the development and test switches from the environment', () => {
    expect(launchOptions([], { FOOTPRINT_USER_DATA_DIR: '/tmp/ud', FOOTPRINT_RENDERER_URL: 'http://localhost:5173', FOOTPRINT_TEST_HOOKS: '1' }))
      .toEqual({ configFile: undefined, userDataDir: '/tmp/ud', devServerUrl: 'http://localhost:5173', testHooks: true });
    expect(launchOptions([], { FOOTPRINT_USER_DATA_DIR: '', FOOTPRINT_TEST_HOOKS: 'yes' })).toEqual({ configFile: undefined, userDataDir: undefined, devServerUrl: undefined, testHooks: false });
  });
});
