// REST pagination: GitHub's `Link` header, e.g. `<https://…&page=3>; rel="next", <https://…&page=9>; rel="last"`.

/** Maps each rel ("next", "last", …) to its URL; an absent or empty header gives an empty map. */
export function parseLinkHeader(header: string | null | undefined): Map<string, string> {
  const links = new Map<string, string>();
  if (!header) return links;
  for (const match of header.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
    const url = match[1]!;
    for (const param of (match[2] ?? '').split(';')) {
      const rel = /^\s*rel\s*=\s*"?([^"]*)"?\s*$/i.exec(param);
      if (!rel) continue;
      for (const name of rel[1]!.trim().split(/\s+/)) links.set(name.toLowerCase(), url);
    }
  }
  return links;
}

/** The `page` query parameter of a URL, or null when it has none. */
export function pageNumberOf(url: string): number | null {
  const page = new URL(url, 'http://base.invalid').searchParams.get('page');
  if (page === null || !/^\d+$/.test(page)) return null;
  return Number(page);
}

/**
 * The item count of a list requested with `per_page=1`: the `rel="last"` page number, or the body's length
 * when everything fit on one page (no Link, or no "last" because this is the last page).
 */
export function countFromSinglePageList(linkHeader: string | null | undefined, firstPageLength: number): number {
  const last = parseLinkHeader(linkHeader).get('last');
  const page = last === undefined ? null : pageNumberOf(last);
  return page ?? firstPageLength;
}
