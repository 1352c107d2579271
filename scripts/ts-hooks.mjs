// Lets plain Node 24 run this repository's TypeScript sources directly (tsconfig's erasableSyntaxOnly
// keeps every file strippable). Registered in the process's own thread (`registerHooks`), because
// `register()` starts a loader thread with a second V8 heap (~17 MB) that stays for the process's life.
//
// resolve: the sources import siblings as `./x.js`, as TypeScript's NodeNext resolution wants; those
// resolve to `./x.ts`.
// load: Node's type stripper (amaro, a WebAssembly build of swc) costs ~40 MB of memory once loaded
// (its code, its instance and a 3.8 MB source string), for as long as the process runs. So each
// stripped file is kept in node_modules/.cache/footprint-ts, one cache file per source file (so the
// cache never grows past the sources), checked against a hash of the source and the Node version:
// a start with nothing changed never loads the stripper, an edited file is stripped again.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { registerHooks, stripTypeScriptTypes } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const cacheDir = path.resolve(import.meta.dirname, '..', 'node_modules', '.cache', 'footprint-ts');

function resolve(specifier, context, nextResolve) {
  if ((specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:')) && specifier.endsWith('.js') && context.parentURL?.startsWith('file:')) {
    const tsUrl = new URL(specifier.slice(0, -3) + '.ts', context.parentURL);
    const jsUrl = new URL(specifier, context.parentURL);
    if (!existsSync(fileURLToPath(jsUrl)) && existsSync(fileURLToPath(tsUrl))) {
      return nextResolve(tsUrl.href, context);
    }
  }
  return nextResolve(specifier, context);
}

function load(url, context, nextLoad) {
  // .mts/.cts and .tsx keep Node's own handling; the sources this serves are ES modules in .ts files.
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const source = readFileSync(file, 'utf8');
  // A .ts file in a CommonJS package scope (none in this repository) keeps Node's own handling.
  if (!isModuleScope(file)) return nextLoad(url, context);
  return { format: 'module', source: strippedSource(file, source), shortCircuit: true };
}

/** The source without its types: from the cache when it was stripped before, else stripped now and cached. */
function strippedSource(file, source) {
  const stamp = `// ${createHash('sha256').update(process.version).update('\0').update(source).digest('hex')}\n`;
  const cached = path.join(cacheDir, `${createHash('sha256').update(file).digest('hex').slice(0, 32)}.js`);
  try {
    const text = readFileSync(cached, 'utf8');
    if (text.startsWith(stamp)) return text.slice(stamp.length);
  } catch {
    // Not cached yet.
  }
  // Type stripping replaces types with spaces, so lines and columns (and stack traces) stay the file's own.
  const stripped = quietly(() => stripTypeScriptTypes(source, { mode: 'strip' }));
  try {
    mkdirSync(cacheDir, { recursive: true });
    // Written whole under a temporary name, then renamed: a process starting beside this one reads the old file or the new, never half.
    const temporary = `${cached}.${process.pid}.tmp`;
    writeFileSync(temporary, stamp + stripped);
    renameSync(temporary, cached);
  } catch {
    // A read-only installation: runs as before, stripping at every start.
  }
  return stripped;
}

/**
 * Runs `strip` without the "stripTypeScriptTypes is an experimental feature" warning: Node's own
 * stripping (what ran before the cache) prints none, and a command's stderr is for its own messages.
 */
function quietly(strip) {
  const emitWarning = process.emitWarning;
  process.emitWarning = (warning, ...rest) => {
    if (!String(warning?.message ?? warning).includes('stripTypeScriptTypes')) emitWarning.call(process, warning, ...rest);
  };
  try {
    return strip();
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** Whether the nearest package.json says "type": "module" (Node's rule for a .ts file's module kind). */
const moduleScopes = new Map();
function isModuleScope(file) {
  const dir = path.dirname(file);
  let answer = moduleScopes.get(dir);
  if (answer !== undefined) return answer;
  const manifest = path.join(dir, 'package.json');
  if (existsSync(manifest)) {
    try {
      answer = JSON.parse(readFileSync(manifest, 'utf8')).type === 'module';
    } catch {
      answer = false;
    }
  } else {
    answer = path.dirname(dir) === dir ? false : isModuleScope(dir);
  }
  moduleScopes.set(dir, answer);
  return answer;
}

registerHooks({ resolve, load });
