#!/usr/bin/env node
// Entry point of the `footprint` command. Footprint needs Node.js 24 or newer (package.json
// "engines" says the same): TypeScript type stripping without flags (23.6), and node:sqlite with
// DatabaseSync's `timeout`, `isTransaction` and `setReturnArrays` (24.0 / 22.16). Node 22 is
// refused: there node:sqlite prints an ExperimentalWarning on every command, and CI tests on 24.
const REQUIRED_MAJOR = 24;
const [major] = process.versions.node.split('.').map(Number);
if (major < REQUIRED_MAJOR) {
  console.error(`Footprint needs Node.js ${REQUIRED_MAJOR} or newer; this is Node.js ${process.versions.node}.\n` +
    `Install Node.js ${REQUIRED_MAJOR} LTS (https://nodejs.org, or your version manager: "nvm install ${REQUIRED_MAJOR}"),\n` +
    `or without admin rights: "npm install --prefix ~/.node${REQUIRED_MAJOR} node@${REQUIRED_MAJOR}" and run ~/.node${REQUIRED_MAJOR}/node_modules/.bin/node bin/footprint.js.`);
  process.exit(1);
}
const { register } = await import('node:module');
register('../scripts/ts-hooks.mjs', import.meta.url);
const { main } = await import('../electron/core/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
