// `node --import ./scripts/ts-register.mjs file.ts` runs a TypeScript entry point from source.
import './ts-hooks.mjs';
