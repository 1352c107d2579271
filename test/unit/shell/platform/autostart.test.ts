import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  autostartDesktopEntry, autostartExecutable, autostartFile, quoteExecArgument, setStartAtLogin, startsAtLogin, type AutostartContext, type LoginItems,
} from '../../../../electron/shell/platform/autostart.js';

describe('the XDG autostart file', () => {
  it('lives in ~/.config/autostart, or under an absolute XDG_CONFIG_HOME', () => {
    expect(autostartFile({}, '/home/ada')).toBe('/home/ada/.config/autostart/footprint.desktop');
    expect(autostartFile({ XDG_CONFIG_HOME: '/data/config' }, '/home/ada')).toBe('/data/config/autostart/footprint.desktop');
    expect(autostartFile({ XDG_CONFIG_HOME: 'relative/config' }, '/home/ada')).toBe('/home/ada/.config/autostart/footprint.desktop');
  });

  it('is a Desktop Entry that starts the app', () => {
    expect(autostartDesktopEntry({ executable: '/opt/Footprint/footprint' })).toBe([
      '[Desktop Entry]',
      'Type=Application',
      'Version=1.0',
      'Name=Footprint',
      'Comment=Your open-source and web footprint at a glance',
      'Exec=/opt/Footprint/footprint',
      'Icon=footprint',
      'Terminal=false',
      'Categories=Development;Utility;',
      'X-GNOME-Autostart-enabled=true',
      '',
    ].join('\n'));
  });

  it('quotes Exec arguments as the Desktop Entry Specification says', () => {
    expect(quoteExecArgument('/opt/Footprint/footprint')).toBe('/opt/Footprint/footprint');
    expect(quoteExecArgument('/home/ada/My Apps/Footprint.AppImage')).toBe('"/home/ada/My Apps/Footprint.AppImage"');
    expect(quoteExecArgument('/tmp/$HOME/a"b`c')).toBe('"/tmp/\\\\$HOME/a\\\\"b\\\\`c"');
    expect(quoteExecArgument('C:\\odd\\path')).toBe('"C:\\\\\\\\odd\\\\\\\\path"');
    expect(quoteExecArgument('100%')).toBe('100%%');
    expect(autostartDesktopEntry({ executable: '/home/ada/My Apps/Footprint.AppImage', args: ['--config', '/home/ada/fp.yaml'] }))
      .toContain('Exec="/home/ada/My Apps/Footprint.AppImage" --config /home/ada/fp.yaml\n');
  });

  it('starts an AppImage from the AppImage file, not its temporary mount', () => {
    expect(autostartExecutable({ APPIMAGE: '/home/ada/Apps/Footprint.AppImage' }, '/tmp/.mount_Foot123/footprint')).toBe('/home/ada/Apps/Footprint.AppImage');
    expect(autostartExecutable({}, '/opt/Footprint/footprint')).toBe('/opt/Footprint/footprint');
  });
});

describe('setStartAtLogin', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'footprint-autostart-'));
  });
  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
  });

  function loginItems(): LoginItems & { calls: unknown[] } {
    let open = false;
    const calls: unknown[] = [];
    return {
      calls,
      setLoginItemSettings: (settings) => {
        calls.push(settings);
        open = settings.openAtLogin;
      },
      getLoginItemSettings: () => ({ openAtLogin: open }),
    };
  }

  it('Linux: writes and removes the .desktop file', () => {
    const items = loginItems();
    const context: AutostartContext = { platform: 'linux', env: {}, homedir: home, execPath: '/opt/Footprint/footprint', loginItems: items };
    expect(startsAtLogin(context)).toBe(false);
    setStartAtLogin(context, true);
    const file = path.join(home, '.config', 'autostart', 'footprint.desktop');
    expect(readFileSync(file, 'utf8')).toContain('Exec=/opt/Footprint/footprint\n');
    expect(startsAtLogin(context)).toBe(true);
    setStartAtLogin(context, false);
    expect(existsSync(file)).toBe(false);
    expect(startsAtLogin(context)).toBe(false);
    setStartAtLogin(context, false); // already off: nothing to remove, no error
    expect(items.calls).toEqual([]);
  });

  it('Linux, run from source: starts Electron with the app folder', () => {
    const context: AutostartContext = { platform: 'linux', env: {}, homedir: home, execPath: '/repo/node_modules/electron/dist/electron', appArgs: ['/repo'], loginItems: loginItems() };
    setStartAtLogin(context, true);
    expect(readFileSync(path.join(home, '.config', 'autostart', 'footprint.desktop'), 'utf8')).toContain('Exec=/repo/node_modules/electron/dist/electron /repo\n');
  });

  it('macOS and Windows: the OS login item', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const items = loginItems();
      const context: AutostartContext = { platform, env: {}, homedir: home, execPath: 'C:\\Program Files\\Footprint\\Footprint.exe', loginItems: items };
      setStartAtLogin(context, true);
      expect(startsAtLogin(context)).toBe(true);
      setStartAtLogin(context, false);
      expect(items.calls).toEqual(platform === 'win32'
        ? [{ openAtLogin: true, path: 'C:\\Program Files\\Footprint\\Footprint.exe', args: [] }, { openAtLogin: false, path: 'C:\\Program Files\\Footprint\\Footprint.exe', args: [] }]
        : [{ openAtLogin: true }, { openAtLogin: false }]);
      expect(existsSync(path.join(home, '.config'))).toBe(false);
    }
  });
});
