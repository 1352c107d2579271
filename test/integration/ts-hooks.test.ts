// scripts/ts-hooks.mjs: how `footprint` runs its TypeScript sources. Node's type stripper holds ~40 MB
// for the life of a process once loaded, so stripped sources are cached: a start with nothing changed
// must not load it, an edited file must run as edited, and errors must point into the .ts file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot, runScript } from '../support/footprint-process.js';

const probe = path.join(repoRoot, 'test', 'integration', 'support', 'type-stripper-probe.ts');
const dirs: string[] = [];

/** A folder outside the repository holding an ES module package with the given main.ts. */
function modulePackage(main: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-ts-hooks-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(path.join(dir, 'main.ts'), main);
  return path.join(dir, 'main.ts');
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('running the TypeScript sources (scripts/ts-hooks.mjs)', () => {
  it('resolves ./x.js to x.ts, and a start with unchanged sources does not load the type stripper', async () => {
    const first = await runScript(probe, []);
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout)).toMatchObject({ random: true });
    const second = await runScript(probe, []);
    expect(second.stderr).toBe('');
    expect(JSON.parse(second.stdout)).toEqual({ stripperLoaded: false, random: true });
  });

  it('runs an edited file as edited, not its cached earlier text', async () => {
    const main = modulePackage('const answer: number = 1;\nconsole.log(answer);\n');
    expect((await runScript(main, [])).stdout).toBe('1\n');
    writeFileSync(main, 'const answer: string = "two";\nconsole.log(answer);\n');
    expect((await runScript(main, [])).stdout).toBe('two\n');
  });

  it('keeps lines and columns: an error points at its place in the .ts file', async () => {
    const main = modulePackage('interface Shape { readonly size: number }\nconst shape: Shape = { size: 1 };\n  throw new Error(`size ${shape.size}`);\n');
    for (let run = 0; run < 2; run++) {
      const result = await runScript(main, []);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Error: size 1');
      expect(result.stderr).toContain(`${main}:3:9`);
    }
  });
});
