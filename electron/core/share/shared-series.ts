// Which stored series a badge or chart path names: /badge/SOURCE/…/METRIC.svg and /chart/SOURCE/…/METRIC.svg.
// The key ("github/acme/widget/stars") is what server.public lists.
import { z } from 'zod';

export type ShareKind = 'badge' | 'chart';

export interface SharedSeries {
  readonly kind: ShareKind;
  /** The path between /badge/ and .svg, e.g. "github/acme/widget/stars"; server.public lists these. */
  readonly key: string;
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The badge's left-hand text. */
  readonly label: string;
  /** Shown after the value ("/month"), for counts over a period. */
  readonly unit: string;
}

/** The download periods npm and PyPI count over; a badge shows last_month unless ?period= says otherwise. */
export const PERIODS = { last_day: '/day', last_week: '/week', last_month: '/month' } as const;
export type PeriodName = keyof typeof PERIODS;
export const DEFAULT_PERIOD: PeriodName = 'last_month';

/** Letters, digits, "." "_" "-" (and "@" opening an npm scope); never "." or ".." alone. */
const SEGMENT = /^@?[A-Za-z0-9._-]{1,100}$/;
const MAX_SEGMENTS = 4;

/** The last path word of a user-defined metric's badge: the metric's own name (http sources). */
const ANY_METRIC = 'METRIC';
const METRIC_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface Shape {
  /** The path after the source, as names and the final metric word (ANY_METRIC: the metric's name). */
  readonly pattern: readonly string[];
  /** The metric; empty for ANY_METRIC, whose metric is the path's last word. */
  readonly metric: string;
  readonly labels: (names: readonly string[]) => Record<string, string>;
  readonly label: string;
  readonly periodic?: boolean;
}

const SHAPES: Readonly<Record<string, readonly Shape[]>> = {
  github: [
    { pattern: ['OWNER', 'REPO', 'stars'], metric: 'github_repo_stars', labels: ([user, repo]) => ({ user: user!, repo: repo! }), label: 'stars' },
    { pattern: ['OWNER', 'stars'], metric: 'github_owner_stars', labels: ([user]) => ({ user: user! }), label: 'stars' },
  ],
  dockerhub: [{ pattern: ['NAMESPACE', 'IMAGE', 'pulls'], metric: 'docker_hub_image_pulls_total', labels: ([namespace, image]) => ({ namespace: namespace!, image: image! }), label: 'docker pulls' }],
  npm: [
    { pattern: ['@SCOPE', 'PACKAGE', 'downloads'], metric: 'npm_package_downloads', labels: ([scope, name]) => ({ package: `${scope}/${name}` }), label: 'npm downloads', periodic: true },
    { pattern: ['PACKAGE', 'downloads'], metric: 'npm_package_downloads', labels: ([name]) => ({ package: name! }), label: 'npm downloads', periodic: true },
  ],
  pypi: [{ pattern: ['PACKAGE', 'downloads'], metric: 'pypi_package_downloads', labels: ([name]) => ({ package: name! }), label: 'pypi downloads', periodic: true }],
  crates: [{ pattern: ['CRATE', 'downloads'], metric: 'crates_downloads_total', labels: ([crate]) => ({ crate: crate! }), label: 'crates.io downloads' }],
  // A JSON API entry's metric, by the entry's name (its `endpoint` label) and the metric's name.
  http: [{ pattern: ['ENDPOINT', ANY_METRIC], metric: '', labels: ([endpoint]) => ({ endpoint: endpoint! }), label: '' }],
};

export class SharePathError extends Error {}

const EXAMPLES = '/badge/github/OWNER/REPO/stars.svg, /badge/github/OWNER/stars.svg, /badge/dockerhub/NAMESPACE/IMAGE/pulls.svg, /badge/npm/PACKAGE/downloads.svg, /badge/pypi/PACKAGE/downloads.svg, /badge/crates/CRATE/downloads.svg, /badge/http/ENTRY/METRIC.svg (or /chart/… with the same path)';

/** True for paths this module answers (the server sends them here before its other routes). */
export function isSharePath(pathname: string): boolean {
  return pathname.startsWith('/badge/') || pathname.startsWith('/chart/');
}

/** The shape a key ("npm/left-pad/downloads") names, or a SharePathError saying what is wrong with it. */
export function parseShareKey(key: string, kind: ShareKind, period: PeriodName = DEFAULT_PERIOD): SharedSeries {
  const segments = key.split('/');
  const [source, ...rest] = segments;
  if (segments.length > MAX_SEGMENTS + 1 || rest.length === 0) throw new SharePathError(`"${shown(key)}" is not a badge or chart path; use one of ${EXAMPLES}`);
  const shapes = SHAPES[source!];
  if (!shapes) throw new SharePathError(`"${shown(source!)}" is not a source with badges; use one of: ${Object.keys(SHAPES).join(', ')}`);
  const bad = rest.find((segment) => !SEGMENT.test(segment) || /^@?\.{1,2}$/.test(segment));
  if (bad !== undefined) throw new SharePathError(`"${shown(bad)}" is not a name: use letters, digits, ".", "_" and "-" (1 to 100 characters)`);
  for (const shape of SHAPES[source!]!) {
    const anyMetric = shape.pattern.at(-1) === ANY_METRIC;
    if (shape.pattern.length !== rest.length || (anyMetric ? !METRIC_NAME.test(rest.at(-1)!) : shape.pattern.at(-1) !== rest.at(-1))) continue;
    const names = rest.slice(0, -1);
    const scoped = shape.pattern[0] === '@SCOPE';
    if (names.some((name, index) => name.startsWith('@') !== (scoped && index === 0))) continue;
    const labels = shape.labels(names);
    return {
      kind,
      key,
      metric: anyMetric ? rest.at(-1)! : shape.metric,
      labels: shape.periodic ? { ...labels, period } : labels,
      label: anyMetric ? rest.at(-1)!.replaceAll('_', ' ') : shape.label,
      unit: shape.periodic ? PERIODS[period] : '',
    };
  }
  throw new SharePathError(`"${shown(key)}" is not a ${source} badge or chart path; use one of ${EXAMPLES}`);
}

/** The series a request path names; `period` is the ?period= argument (npm and PyPI only). */
export function parseSharePath(pathname: string, period: string | null): SharedSeries {
  const match = /^\/(badge|chart)\/(.+)\.svg$/.exec(pathname);
  if (!match) throw new SharePathError(`"${shown(pathname)}" is not a badge or chart path; use one of ${EXAMPLES}`);
  if (period !== null && !(period in PERIODS)) throw new SharePathError(`period "${shown(period)}" is not one of ${Object.keys(PERIODS).join(', ')}`);
  return parseShareKey(match[2]!, match[1] as ShareKind, (period ?? DEFAULT_PERIOD) as PeriodName);
}

/** Request text echoed in a message: short and on one line. */
function shown(text: string): string {
  const line = Array.from(text, (char) => (char < ' ' || char === '\u007f' ? '?' : char)).join('');
  return line.length > 100 ? `${line.slice(0, 100)}…` : line;
}

/** Entries of server.public, at most: a list for badges in READMEs, not a mirror of the store. */
export const MAX_PUBLIC_SERIES = 1_000;

/** server.public: the badge and chart keys anyone may load while server.authToken guards the rest; kept lower-case. */
export const publicSeriesSchema = z
  .array(z.string().meta({ examples: ['github/acme/widget/stars'] }))
  .max(MAX_PUBLIC_SERIES, `list at most ${MAX_PUBLIC_SERIES} badge paths`)
  .transform((keys, ctx): string[] => {
    keys.forEach((key, index) => {
      try {
        parseShareKey(key.trim().replace(/^\/?(badge|chart)\//, '').replace(/\.svg$/, ''), 'badge');
      } catch (error) {
        if (!(error instanceof SharePathError)) throw error;
        ctx.addIssue({ code: 'custom', message: `${error.message}; write the path without /badge/ and .svg, e.g. "github/acme/widget/stars"`, path: [index] });
      }
    });
    return [...new Set(keys.map(publicKey))];
  });

/** The form server.public keeps and compares (names compare case-insensitively, like the store lookup). */
export function publicKey(key: string): string {
  return key.trim().replace(/^\/?(badge|chart)\//, '').replace(/\.svg$/, '').toLowerCase();
}
