// GET /badge/… and /chart/…: the stored series a path names, drawn as a badge or a chart, with an
// ETag so READMEs and wikis (and their image proxies) can cache them. Reads the store only.
import { createHash } from 'node:crypto';
import { parseDuration } from '../../../shared/duration.js';
import { compactNumber } from '../../../shared/compact-number.js';
import type { HistoryStore, LatestPoint } from '../store/history-store.js';
import { BADGE_COLORS, renderBadge } from './badge.js';
import { CHART_POINTS, renderChart, type ChartTheme } from './chart-image.js';
import type { SharedSeries } from './shared-series.js';

/** How long browsers and image proxies may keep an image: polls run every few minutes at most. */
export const SHARE_MAX_AGE_SECONDS = 300;
const NOT_FOUND_MAX_AGE_SECONDS = 60;
export const DEFAULT_CHART_RANGE = '1y';
const YEAR_MS = 365 * 86_400_000;
const MIN_RANGE_MS = 86_400_000;
const MAX_RANGE_MS = 20 * YEAR_MS;

export interface ShareAnswer {
  readonly status: 200 | 304 | 400 | 404;
  readonly headers: Record<string, string>;
  /** Empty for 304. */
  readonly body: string;
}

export interface ShareRequest {
  readonly series: SharedSeries;
  readonly query: URLSearchParams;
  /** The If-None-Match header, if any. */
  readonly ifNoneMatch: string | undefined;
  /** Anyone may see it (server.public, or no access token): caches shared between users may keep it. */
  readonly public: boolean;
  readonly now: number;
}

/** "1y", "2y" or any duration ("90d", "26w"): how far back a chart goes; null when it is not one or out of bounds. */
export function parseChartRange(text: string): number | null {
  const years = /^(\d{1,2})y$/.exec(text);
  const ms = years ? Number(years[1]) * YEAR_MS : parseDuration(text);
  return ms !== null && ms >= MIN_RANGE_MS && ms <= MAX_RANGE_MS ? ms : null;
}

/** A strong ETag: a hash of the body, so equal images share it across restarts. */
export function bodyEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** If-None-Match lists the ETag (weak or strong) or is "*". */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

/** The newest-seen stored series the path names; names compare case-insensitively (GitHub's owners and repositories do). */
function findSeries(store: HistoryStore, series: SharedSeries): LatestPoint | null {
  const wanted = Object.entries(series.labels).map(([name, value]) => [name, value.toLowerCase()] as const);
  const matches = store.latest({ metric: series.metric }).filter((point) => wanted.every(([name, value]) => point.labels[name]?.toLowerCase() === value));
  return matches.reduce<LatestPoint | null>((best, point) => (best === null || point.lastSeen > best.lastSeen ? point : best), null);
}

function answer(status: ShareAnswer['status'], body: string, request: Pick<ShareRequest, 'ifNoneMatch' | 'public'>, maxAge: number): ShareAnswer {
  const etag = bodyEtag(body);
  const headers = {
    'content-type': 'image/svg+xml; charset=utf-8',
    'cache-control': `${request.public ? 'public' : 'private'}, max-age=${maxAge}`,
    etag,
    'x-content-type-options': 'nosniff',
    // Opened on its own, the SVG may not load or run anything.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  };
  if (status === 200 && etagMatches(request.ifNoneMatch, etag)) return { status: 304, headers, body: '' };
  return { status, headers, body };
}

/** The image a badge or chart path asks for, from what the store holds now. */
export function answerShare(store: HistoryStore, request: ShareRequest): ShareAnswer {
  const { series, query } = request;
  const title = `${series.key.split('/').slice(1, -1).join('/')} ${series.label}`;
  const found = findSeries(store, series);
  if (series.kind === 'badge') {
    if (found === null) return answer(404, renderBadge({ label: series.label, value: 'not found', color: BADGE_COLORS.missing }), request, NOT_FOUND_MAX_AGE_SECONDS);
    return answer(200, renderBadge({ label: series.label, value: `${compactNumber(found.value)}${series.unit}` }), request, SHARE_MAX_AGE_SECONDS);
  }
  const themeText = query.get('theme') ?? 'light';
  if (themeText !== 'light' && themeText !== 'dark') return answer(400, renderBadge({ label: 'theme', value: 'use light or dark', color: BADGE_COLORS.missing }), request, 0);
  const rangeText = query.get('range') ?? DEFAULT_CHART_RANGE;
  const rangeMs = parseChartRange(rangeText);
  if (rangeMs === null) return answer(400, renderBadge({ label: 'range', value: 'use 1d to 20y, e.g. 90d or 1y', color: BADGE_COLORS.missing }), request, 0);
  const theme: ChartTheme = themeText;
  if (found === null) return answer(404, renderChart({ title: `${title}: not found`, theme, times: [request.now - rangeMs, request.now], values: [null, null] }), request, NOT_FOUND_MAX_AGE_SECONDS);
  const step = Math.ceil(rangeMs / (CHART_POINTS - 1));
  const [range] = store.range([found.id], { start: request.now - step * (CHART_POINTS - 1), end: request.now, step });
  return answer(200, renderChart({ title: `${title}${series.unit}`, theme, times: range!.times, values: range!.values }), request, SHARE_MAX_AGE_SECONDS);
}
