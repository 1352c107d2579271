// Packaging: the electron-builder config is valid for electron-builder's own schema and ships what
// the app loads at run time; the Vite bundles are where main.ts and the config expect them; and the
// bundled main process (core and npm dependencies inside) starts under the fake Electron.
import Ajv from 'ajv';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type UserConfig } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { ipcChannels } from '../../../shared/api.js';
import footprintViteConfig from '../../../vite.config.js';
import { repoRoot, runMain } from '../../support/shell/run-main.js';

const builderConfig = YAML.parse(readFileSync(path.join(repoRoot, 'build', 'electron-builder.yml'), 'utf8'));

function viteConfig(mode: 'main' | 'preload'): UserConfig {
  return (footprintViteConfig as unknown as (env: { mode: string; command: 'build' }) => UserConfig)({ mode, command: 'build' });
}

describe('build/electron-builder.yml', () => {
  it('is valid for electron-builder\'s schema', () => {
    const schema = JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, unknownFormats: 'ignore' });
    ajv.addKeyword('typeof', { validate: () => true }); // hooks may be functions: not in the YAML anyway
    const validate = ajv.compile(schema);
    expect(validate(builderConfig), JSON.stringify(validate.errors)).toBe(true);
    // The validator does reject what electron-builder would.
    expect(validate({ ...builderConfig, productNme: 'typo' })).toBe(false);
  });

  it('names the app and builds AppImage + deb, dmg (tray-only) and nsis', () => {
    expect(builderConfig).toMatchObject({ appId: 'com.footprint.app', productName: 'Footprint' });
    expect(builderConfig.linux.target).toEqual(['AppImage', 'deb']);
    expect(builderConfig.mac.target).toEqual(['dmg']);
    expect(builderConfig.mac.extendInfo.LSUIElement).toBe(true);
    expect(builderConfig.win.target).toEqual(['nsis']);
  });

  it('ships the three bundles and the icons the app loads at run time, which exist', () => {
    expect(builderConfig.files).toEqual(expect.arrayContaining(['dist/main/**', 'dist/preload/**', 'dist/renderer/**', 'build/icons/tray/**', 'build/icons/icon.png']));
    // electron-builder leaves its buildResources folder out of the app: it must not contain the tray icons.
    expect(path.normalize(builderConfig.directories.buildResources)).not.toBe('build');
    for (const icon of [builderConfig.mac.icon, builderConfig.win.icon, builderConfig.linux.icon]) expect(existsSync(path.join(repoRoot, icon)), icon).toBe(true);
    // The modules main.ts composes the tray and the windows with (their unit tests load these files).
    expect(readFileSync(path.join(repoRoot, 'electron', 'shell', 'tray', 'create-tray.ts'), 'utf8')).toContain("path.join(appPath, 'build', 'icons', 'tray')");
    expect(readFileSync(path.join(repoRoot, 'electron', 'shell', 'windows', 'create-windows.ts'), 'utf8')).toContain("path.join(appPath, 'build', 'icons', 'icon.png')");
  });

  it('points the packaged app at the main bundle Vite writes, and its windows at the preload bundle', () => {
    const mainBuild = viteConfig('main').build!;
    const output = mainBuild.rolldownOptions!.output as { entryFileNames: string; format: string };
    expect(path.relative(repoRoot, path.join(mainBuild.outDir!, output.entryFileNames)).split(path.sep).join('/')).toBe(builderConfig.extraMetadata.main);
    expect(output.format).toBe('es');
    const preload = viteConfig('preload').build!;
    const lib = preload.lib as { formats: string[]; fileName: () => string };
    expect(lib.formats).toEqual(['cjs']);
    expect(path.join(preload.outDir!, lib.fileName())).toBe(path.join(repoRoot, 'dist', 'preload', 'preload.cjs'));
    expect(readFileSync(path.join(repoRoot, 'electron', 'shell', 'windows', 'create-windows.ts'), 'utf8')).toContain("path.join(appPath, 'dist', 'preload', 'preload.cjs')");
  });
});

describe('the bundles', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-bundle-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('preload: one CommonJS script that requires electron and nothing else', async () => {
    const config = viteConfig('preload');
    await build({ ...config, configFile: false, build: { ...config.build, outDir: path.join(dir, 'preload') } });
    const code = readFileSync(path.join(dir, 'preload', 'preload.cjs'), 'utf8');
    expect([...code.matchAll(/require\((["'])([^"']+)\1\)/g)].map((match) => match[2])).toEqual(['electron']);
    expect(code).not.toMatch(/^import /m);
    expect(code).toContain('exposeInMainWorld("footprint"');
  });

  it('main: the bundle (core and npm packages inside) starts, serves and quits under the fake Electron', async () => {
    const config = viteConfig('main');
    const outDir = path.join(dir, 'app', 'dist', 'main');
    await build({ ...config, configFile: false, build: { ...config.build, outDir, sourcemap: false } });
    // The core reads its version from the package.json two folders above the bundle, as in the packaged app.
    copyFileSync(path.join(repoRoot, 'package.json'), path.join(dir, 'app', 'package.json'));
    const code = readFileSync(path.join(outDir, 'main.js'), 'utf8');
    const imports = new Set([...code.matchAll(/^import .* from "([^"]+)";$/gm)].map((match) => match[1]!));
    expect([...imports].filter((name) => name !== 'electron' && !name.startsWith('node:'))).toEqual([]);
    mkdirSync(path.join(dir, 'run'));
    const result = await runMain(path.join(dir, 'run'), 'server: { listen: "127.0.0.1:0" }\nstorage: { path: "./history.db" }\n', {
      HARNESS_MAIN_ENTRY: pathToFileURL(path.join(outDir, 'main.js')).href,
    });
    expect(result.metricsStatus).toBe(200);
    expect(result.channels).toHaveLength(Object.keys(ipcChannels).length);
    expect(result).toMatchObject({ quit: true, handlersLeft: 0 });
  }, 60_000);
});
