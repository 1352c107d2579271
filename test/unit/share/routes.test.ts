import { describe, expect, it } from 'vitest';
import { bodyEtag, etagMatches, parseChartRange } from '../../../electron/core/share/routes.js';

const DAY = 86_400_000;

describe('bodyEtag', () => {
  it('is a strong tag made from the body: equal bodies share it, any change gives another', () => {
    const tag = bodyEtag('<svg>1.2k</svg>');
    expect(tag).toMatch(/^"[\w-]{27}"$/);
    expect(bodyEtag('<svg>1.2k</svg>')).toBe(tag);
    expect(bodyEtag('<svg>1.3k</svg>')).not.toBe(tag);
  });
});

describe('etagMatches', () => {
  const tag = bodyEtag('x');
  it.each([
    [tag, true],
    [`W/${tag}`, true],
    [`"other", ${tag}`, true],
    ['*', true],
    ['"other"', false],
    [undefined, false],
  ])('If-None-Match %j → %s', (header, expected) => {
    expect(etagMatches(header, tag)).toBe(expected);
  });
});

describe('parseChartRange', () => {
  it('reads years and durations between a day and 20 years', () => {
    expect(parseChartRange('1y')).toBe(365 * DAY);
    expect(parseChartRange('90d')).toBe(90 * DAY);
    expect(parseChartRange('26w')).toBe(182 * DAY);
    expect(parseChartRange('20y')).toBe(20 * 365 * DAY);
    expect(parseChartRange('21y')).toBeNull();
    expect(parseChartRange('1h')).toBeNull();
    expect(parseChartRange('forever')).toBeNull();
  });
});
