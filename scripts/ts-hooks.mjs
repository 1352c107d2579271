// Lets plain Node 24 run this repository's TypeScript sources directly (Node strips the types;
// tsconfig's erasableSyntaxOnly keeps every file strippable). The sources import siblings as
// `./x.js`, as TypeScript's NodeNext resolution wants; this hook resolves those to `./x.ts`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function resolve(specifier, context, nextResolve) {
  if ((specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:')) && specifier.endsWith('.js') && context.parentURL?.startsWith('file:')) {
    const tsUrl = new URL(specifier.slice(0, -3) + '.ts', context.parentURL);
    const jsUrl = new URL(specifier, context.parentURL);
    if (!existsSync(fileURLToPath(jsUrl)) && existsSync(fileURLToPath(tsUrl))) {
      return nextResolve(tsUrl.href, context);
    }
  }
  return nextResolve(specifier, context);
}
