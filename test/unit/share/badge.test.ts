import { describe, expect, it } from 'vitest';
import { escapeXml, renderBadge, textWidth } from '../../../electron/core/share/badge.js';

describe('textWidth', () => {
  it('adds the table widths of each character: wide letters count more than narrow ones', () => {
    expect(textWidth('')).toBe(0);
    expect(textWidth('1.2k')).toBe(7 + 4 + 7 + 6.5);
    expect(textWidth('WWW')).toBeGreaterThan(textWidth('iii') * 3);
    expect(textWidth('é')).toBe(10);
  });
});

describe('escapeXml', () => {
  it('escapes markup and quotes', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });
});

describe('renderBadge', () => {
  it('draws label and value side by side, as wide as their text', () => {
    const svg = renderBadge({ label: 'stars', value: '1.2k' });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="(\d+)" height="20"/);
    const width = Number(/width="(\d+)"/.exec(svg)![1]);
    expect(width).toBe(Math.ceil(textWidth('stars') + 12) + Math.ceil(textWidth('1.2k') + 12));
    expect(svg).toContain('<title>stars: 1.2k</title>');
    expect(svg).toContain('>stars</text>');
    expect(svg).toContain('>1.2k</text>');
    expect(svg).toContain('fill="#007ec6"');
    expect(renderBadge({ label: 'stars', value: '1.2M' })).not.toBe(svg);
  });

  it('escapes its text, so a name cannot add markup or script', () => {
    const svg = renderBadge({ label: '<script>alert(1)</script>', value: '"&' });
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&#60;script&#62;');
    expect(svg).toContain('aria-label="&#60;script&#62;alert(1)&#60;/script&#62;: &#34;&#38;"');
  });
});
