import { describe, expect, it } from 'vitest';
import { DatabaseSync } from 'node:sqlite';

describe('runtime', () => {
  it('has node:sqlite (Node >= 22.13)', () => {
    const db = new DatabaseSync(':memory:');
    expect(db.prepare('select 1 as x').get()).toEqual({ x: 1 });
    db.close();
  });
});
