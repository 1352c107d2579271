import { describe, expect, it } from 'vitest';
import { countFromSinglePageList, pageNumberOf, parseLinkHeader } from '../../electron/core/sources/github/link.js';

// As GitHub sends it (page 2 of 4 of an organization's repositories).
const GITHUB_LINK =
  '<https://api.github.com/organizations/9919/repos?per_page=100&page=1>; rel="prev", <https://api.github.com/organizations/9919/repos?per_page=100&page=3>; rel="next", <https://api.github.com/organizations/9919/repos?per_page=100&page=4>; rel="last", <https://api.github.com/organizations/9919/repos?per_page=100&page=1>; rel="first"';

describe('Link header parsing', () => {
  it('reads every rel of a GitHub Link header', () => {
    const links = parseLinkHeader(GITHUB_LINK);
    expect(links.get('next')).toBe('https://api.github.com/organizations/9919/repos?per_page=100&page=3');
    expect(links.get('last')).toBe('https://api.github.com/organizations/9919/repos?per_page=100&page=4');
    expect(links.get('prev')).toBe('https://api.github.com/organizations/9919/repos?per_page=100&page=1');
    expect(links.get('first')).toBe('https://api.github.com/organizations/9919/repos?per_page=100&page=1');
  });

  it('gives an empty map without a header and tolerates spacing, case and unquoted rels', () => {
    expect(parseLinkHeader(undefined).size).toBe(0);
    expect(parseLinkHeader('').size).toBe(0);
    const links = parseLinkHeader('<https://x/a?page=2>;rel=next ,  <https://x/a?page=9> ; REL="last"');
    expect(links.get('next')).toBe('https://x/a?page=2');
    expect(links.get('last')).toBe('https://x/a?page=9');
  });

  it('reads the page number of a URL', () => {
    expect(pageNumberOf('https://api.github.com/repos/a/b/pulls?state=open&per_page=1&page=250')).toBe(250);
    expect(pageNumberOf('/repos/a/b/pulls?page=7')).toBe(7);
    expect(pageNumberOf('https://api.github.com/repos/a/b/pulls')).toBeNull();
    expect(pageNumberOf('https://api.github.com/x?page=abc')).toBeNull();
  });

  it('counts a per_page=1 list from its last page, or from the body when it fits one page', () => {
    const link = '<https://api.github.com/repositories/1/pulls?state=open&per_page=1&page=2>; rel="next", <https://api.github.com/repositories/1/pulls?state=open&per_page=1&page=250>; rel="last"';
    expect(countFromSinglePageList(link, 1)).toBe(250);
    expect(countFromSinglePageList(null, 1)).toBe(1);
    expect(countFromSinglePageList(undefined, 0)).toBe(0);
  });
});
