// Usage: node --import scripts/ts-register.mjs type-stripper-probe.ts
// Prints whether this process loaded Node's type stripper (amaro) while starting from TypeScript
// sources, and a value from a `./x.js` import of a .ts sibling, so the test sees both hooks at work.
import { seededRandom } from '../../support/random.js';

// Node's list of the internal modules it loaded (not in @types/node).
const loaded = (process as unknown as { moduleLoadList: readonly string[] }).moduleLoadList;
const stripperLoaded: boolean = loaded.some((name) => name.includes('amaro'));
console.log(JSON.stringify({ stripperLoaded, random: seededRandom(7)() < 1 }));
