// Big API answers are written in pieces; joined, the pieces are exactly JSON.stringify's text.
import { describe, expect, it } from 'vitest';
import { jsonPieces } from '../../electron/core/json-pieces.js';
import { seededRandom } from '../support/random.js';

describe('jsonPieces', () => {
  it('joins to JSON.stringify for any plain data', () => {
    const next = seededRandom(5);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const value = (depth: number): unknown => {
      switch (Math.floor(next() * (depth > 4 ? 5 : 8))) {
        case 0: return null;
        case 1: return pick([0, -0, 1.5, -3, 1e21, Number.NaN, Number.POSITIVE_INFINITY, 1_733_270_400_000]);
        case 2: return pick(['', 'a"b', '\u2028', 'é\n\t\\', '</script>']);
        case 3: return next() < 0.5;
        case 4: return pick([undefined, new Date(0)]);
        case 5: return Array.from({ length: Math.floor(next() * 5) }, () => value(depth + 1));
        default: return Object.fromEntries(Array.from({ length: Math.floor(next() * 5) }, (_, index) => [pick(['id', 'times', '"k"', `k${index}`]), value(depth + 1)]));
      }
    };
    for (let round = 0; round < 500; round++) {
      const data = value(0);
      expect([...jsonPieces(data, 1 + Math.floor(next() * 40))].join('')).toBe(JSON.stringify(data) ?? 'null');
    }
  });

  it('cuts a range answer into pieces of about the size asked', () => {
    const times = Array.from({ length: 100 }, (_, index) => 1_733_270_400_000 + index * 60_000);
    const answer = { series: Array.from({ length: 1_000 }, (_, id) => ({ id, times, values: times.map((_, index) => index % 7 ? id + index : null) })) };
    const pieces = [...jsonPieces(answer, 65_536)];
    expect(pieces.join('')).toBe(JSON.stringify(answer));
    expect(pieces.length).toBeGreaterThan(20);
    // No piece is much bigger than asked: one series (~2 KB) at most beyond the size.
    for (const piece of pieces) expect(piece.length).toBeLessThan(65_536 + 4_000);
  });
});
