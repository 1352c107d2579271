// The layering rules of DEVELOPERS.md as code: which layer may import which.
// Lower layers never import upper ones (shared < core < shell; shared < renderer).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

export type Layer = 'shared' | 'core' | 'shell' | 'renderer';

const mayImport: Record<Layer, readonly Layer[]> = {
  shared: ['shared'],
  core: ['shared', 'core'],
  shell: ['shared', 'core', 'shell'],
  renderer: ['shared', 'renderer'],
};

export function layerOf(root: string, file: string): Layer | null {
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (rel.startsWith('shared/')) return 'shared';
  if (rel.startsWith('electron/core/')) return 'core';
  if (rel.startsWith('electron/')) return 'shell';
  if (rel.startsWith('renderer/')) return 'renderer';
  return null;
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/gm;

export function importsOf(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(IMPORT)) {
    const spec = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (spec) found.push(spec);
  }
  return found;
}

const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** Returns a reason when `file` (in `layer`) must not import `spec`; null when allowed. */
export function violation(root: string, file: string, spec: string): string | null {
  const layer = layerOf(root, file);
  if (!layer) return null;
  const isTest = /\.test\.tsx?$/.test(file);
  if (spec === 'electron' || spec.startsWith('electron/')) {
    return layer === 'shell' ? null : `${layer} must not import Electron ('${spec}')`;
  }
  if (nodeBuiltins.has(spec) || spec.startsWith('node:')) {
    return (layer === 'renderer' || layer === 'shared') && !isTest ? `${layer} must not import Node ('${spec}')` : null;
  }
  if (!spec.startsWith('.')) return null; // npm packages: allowed per layer by the lint config
  const target = layerOf(root, path.resolve(path.dirname(file), spec));
  if (!target) return `${layer} imports '${spec}', which is outside shared/, electron/ and renderer/`;
  return mayImport[layer].includes(target) ? null : `${layer} must not import ${target} ('${spec}')`;
}

export function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|mts|js|mjs)$/.test(name) ? [full] : [];
  });
}

export function layeringViolations(root: string): string[] {
  return ['shared', 'electron', 'renderer'].flatMap((top) =>
    sourceFiles(path.join(root, top)).flatMap((file) =>
      importsOf(readFileSync(file, 'utf8')).flatMap((spec) => {
        const reason = violation(root, file, spec);
        return reason ? [`${path.relative(root, file)}: ${reason}`] : [];
      }),
    ),
  );
}
