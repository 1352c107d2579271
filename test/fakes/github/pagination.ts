// REST page-number pagination and the `Link` header, as GitHub sends them.

export interface PageRequest {
  readonly page: number;
  readonly perPage: number;
}

const MAX_PER_PAGE = 100;

/** GitHub ignores nonsense: a bad page is page 1, a bad per_page the default, per_page above 100 is 100. */
export function parsePageRequest(query: URLSearchParams, defaultPerPage = 30): PageRequest {
  const page = Number.parseInt(query.get('page') ?? '', 10);
  const perPage = Number.parseInt(query.get('per_page') ?? '', 10);
  return {
    page: Number.isFinite(page) && page >= 1 ? page : 1,
    perPage: Number.isFinite(perPage) && perPage >= 1 ? Math.min(perPage, MAX_PER_PAGE) : defaultPerPage,
  };
}

export function pageCount(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / perPage));
}

export function pageSlice<T>(items: readonly T[], request: PageRequest): T[] {
  const start = (request.page - 1) * request.perPage;
  return items.slice(start, start + request.perPage);
}

/**
 * `<url>; rel="prev", <url>; rel="next", <url>; rel="last", <url>; rel="first"`, or undefined when one
 * page holds everything. Links keep every query parameter (per_page, type, sort…) and only change `page`.
 */
export function linkHeader(baseUrl: string, query: URLSearchParams, page: number, lastPage: number): string | undefined {
  if (lastPage <= 1 && page <= 1) return undefined;
  const link = (target: number, rel: string): string => {
    const params = new URLSearchParams(query);
    params.set('page', String(target));
    return `<${baseUrl}?${params.toString()}>; rel="${rel}"`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(link(Math.min(page - 1, lastPage), 'prev'));
  if (page < lastPage) parts.push(link(page + 1, 'next'), link(lastPage, 'last'));
  if (page > 1) parts.push(link(1, 'first'));
  return parts.join(', ');
}
