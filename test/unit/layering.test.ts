// The layering rule of DEVELOPERS.md is ESLint's (eslint-plugin-boundaries in eslint.config.js): imports
// are resolved to files and each file is put in a layer by its path. These tests lint wrong imports
// through the project's own ESLint configuration and see each one refused, whatever its spelling,
// and the permitted ones pass; `npm test` lints every file of the repository with the same rule.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

/** The layering errors ESLint reports for `code` as if it were the file `file` (relative to the root). */
async function layeringErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((message) => message.ruleId?.startsWith('boundaries/')).map((message) => message.message);
}

describe('layering rule', () => {
  it('refuses each forbidden direction', { timeout: 60_000 }, async () => {
    const cases: [string, string, RegExp][] = [
      // The example that passed the old text-matching rule: a relative path into the shell.
      ['electron/core/x.ts', "import { trayMenuModel } from '../shell/tray/tray-menu.js'; export const x = trayMenuModel;", /core must not import shell/],
      ['electron/core/sources/github/x.ts', "import { trayMenuModel } from '../../../shell/tray/tray-menu.js'; export const x = trayMenuModel;", /core must not import shell/],
      ['electron/core/x.ts', "export { trayMenuModel } from '../shell/tray/tray-menu.js';", /core must not import shell/],
      ['electron/core/x.ts', "export const load = () => import('../main.js');", /core must not import shell/],
      ['electron/core/x.ts', "import { app } from 'electron'; export const x = app;", /never imports electron/],
      ['electron/core/x.ts', "import { App } from '../../renderer/app.js'; export const x = App;", /core must not import renderer/],
      ['renderer/x.ts', "import fs from 'node:fs'; export const x = fs;", /renderer must not import node:fs/],
      ['renderer/views/x.tsx', "import { FootprintCore } from '../../electron/core/core.js'; export const x = FootprintCore;", /renderer must not import core/],
      ['renderer/x.ts', "import { ipcRenderer } from 'electron'; export const x = ipcRenderer;", /never imports Electron/],
      ['shared/x.ts', "import path from 'node:path'; export const x = path;", /shared must not import node:path/],
      ['shared/x.ts', "import { HistoryStore } from '../electron/core/store/history-store.js'; export const x = HistoryStore;", /shared must not import core/],
      ['shared/x.ts', "import { App } from '../renderer/app.js'; export const x = App;", /shared must not import renderer/],
    ];
    for (const [file, code, expected] of cases) {
      expect(await layeringErrors(file, code), `${file}: ${code}`).toEqual([expect.stringMatching(expected)]);
    }
  });

  it('refuses a file that no layer covers', async () => {
    expect(await layeringErrors('misc/helper.ts', 'export const x = 1;')).toEqual([expect.stringMatching(/does not belong to any known element/)]);
  });

  it('allows the permitted directions', { timeout: 60_000 }, async () => {
    const cases: [string, string][] = [
      ['electron/x.ts', "import { FootprintCore } from './core/core.js'; import { app } from 'electron'; export const x = [FootprintCore, app];"],
      ['electron/core/sources/github/x.ts', "import { redactSecrets } from '../../secrets.js'; import { DatabaseSync } from 'node:sqlite'; export const x = [redactSecrets, DatabaseSync];"],
      ['renderer/x.ts', "import { httpRoutes } from '../shared/api.js'; import { useState } from 'react'; export const x = [httpRoutes, useState];"],
      ['shared/x.ts', "import { httpRoutes } from './api.js'; export const x = httpRoutes;"],
      ['test/unit/x.test.ts', "import { FootprintCore } from '../../electron/core/core.js'; import { App } from '../../renderer/app.js'; export const x = [FootprintCore, App];"],
    ];
    for (const [file, code] of cases) expect(await layeringErrors(file, code), `${file}: ${code}`).toEqual([]);
  });
});
