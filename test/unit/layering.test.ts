import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, layeringViolations, violation } from '../support/layering.js';

const root = path.resolve(import.meta.dirname, '..', '..');

describe('layering rules', () => {
  it('finds the imports of a file in every syntax', () => {
    const text = `import a from './a.js';\nimport type { B } from "../b.js";\nexport { c } from './c.js';\nconst d = await import('./d.js');\nimport './e.js';\nconst f = require('f');`;
    expect(importsOf(text)).toEqual(['./a.js', '../b.js', './c.js', './d.js', './e.js', 'f']);
  });

  it('flags each forbidden direction', () => {
    const at = (rel: string) => path.join(root, rel);
    expect(violation(root, at('electron/core/x.ts'), 'electron')).toMatch(/core must not import Electron/);
    expect(violation(root, at('electron/core/x.ts'), '../tray.js')).toMatch(/core must not import shell/);
    expect(violation(root, at('electron/core/x.ts'), '../../renderer/app.js')).toMatch(/core must not import renderer/);
    expect(violation(root, at('renderer/app.tsx'), 'node:fs')).toMatch(/renderer must not import Node/);
    expect(violation(root, at('renderer/app.tsx'), 'electron')).toMatch(/renderer must not import Electron/);
    expect(violation(root, at('renderer/app.tsx'), '../electron/core/store.js')).toMatch(/renderer must not import core/);
    expect(violation(root, at('shared/api.ts'), '../electron/core/store.js')).toMatch(/shared must not import core/);
    expect(violation(root, at('shared/api.ts'), 'path')).toMatch(/shared must not import Node/);
  });

  it('allows the permitted directions', () => {
    const at = (rel: string) => path.join(root, rel);
    expect(violation(root, at('electron/main.ts'), './core/core.js')).toBeNull();
    expect(violation(root, at('electron/main.ts'), 'electron')).toBeNull();
    expect(violation(root, at('electron/core/sources/github/index.ts'), '../../source.js')).toBeNull();
    expect(violation(root, at('electron/core/x.ts'), 'node:sqlite')).toBeNull();
    expect(violation(root, at('renderer/app.tsx'), '../shared/metrics.js')).toBeNull();
  });

  it('holds for every file in the repository', () => {
    expect(layeringViolations(root)).toEqual([]);
  });
});
