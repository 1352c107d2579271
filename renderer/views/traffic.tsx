// Traffic: GitHub repository views and clones per day (count and uniques) for an owner (the sum of its
// repositories) or one repository, over the whole stored history — far beyond the 14 days GitHub keeps —
// with the Details view's range buttons; the range's totals per owner and repository; the top
// referrers and popular paths (GitHub's 14-day totals); and why a repository has no traffic (e.g. the
// token cannot push to it). Linkable: #/traffic?target=acme/rocket&range=all
import { useEffect, useId, useMemo, useState } from 'react';
import type { LatestSeries, RangeResult, SourceInfo } from '../../shared/api.js';
import type { AlignedSeries } from '../chart/chart-data.js';
import { readChartTheme, seriesColor, watchColorScheme, type ChartTheme } from '../chart/chart-theme.js';
import { UPlotChart } from '../chart/uplot-chart.js';
import { useClient } from '../components/client-context.js';
import { Figure } from '../components/figures.js';
import { RangeButtons } from '../components/range-buttons.js';
import { ErrorNotice, Loading } from '../components/status.js';
import { formatDateTime, formatExact, formatUtcDay } from '../format.js';
import { useHistoryChanges } from '../hooks/use-history-changes.js';
import { useLiveEvents } from '../hooks/use-live-events.js';
import { useLoad } from '../hooks/use-load.js';
import { applyBackfill } from '../model/backfill-progress.js';
import { rangeExceedsHistory } from '../model/details-state.js';
import { applyHealth } from '../model/health-status.js';
import { DAY_MS, HISTORY_PROBE_MS, historyStartsOf } from '../../shared/series-book.js';
import {
  FIGURE_TITLES,
  TRAFFIC_FIGURES,
  dailyFigures,
  dailyRangeRequest,
  dailySeriesIds,
  dayStart,
  findTarget,
  hasDays,
  isTrafficSeries,
  parseTrafficState,
  rangeTotals,
  targetKey,
  targetRepos,
  topEntries,
  totalsTable,
  trafficDays,
  trafficNotes,
  trafficOwners,
  trafficParams,
  withoutCarriedDays,
  type DailyFigures,
  type DaySpan,
  type TrafficFigure,
  type TrafficOwner,
  type TrafficState,
  type TrafficTarget,
} from '../model/traffic.js';
import { replaceRoute, routeHref } from '../routing.js';

/** Rows of the referrer and path tables (GitHub reports its top 10 of each). */
const TOP_ROWS = 10;
/** What the empty view says: when traffic is read, and for which repositories. */
export const NO_TRAFFIC_YET = 'No traffic yet: traffic is read every 6 h for repositories your token can push to.';

interface BaseData {
  readonly sources: readonly SourceInfo[];
  readonly latest: ReadonlyMap<number, LatestSeries>;
}

type DailyLoad =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: unknown }
  | { readonly status: 'ready'; readonly key: string; readonly days: DaySpan | null; readonly historyStart: number | null; readonly result: RangeResult };

export function TrafficView(props: { readonly params: URLSearchParams }) {
  const client = useClient();
  const state = parseTrafficState(props.params);
  const base = useLoad(async (): Promise<BaseData> => {
    const [sources, latest] = await Promise.all([client.sources(), client.latest({ source: 'github' })]);
    return { sources, latest: new Map(latest.filter(isTrafficSeries).map((series) => [series.id, series])) };
  }, [client]);
  // Notes are extra: when they cannot be loaded, the traffic still shows.
  const notes = useLoad(async () => {
    const [health, backfill] = await Promise.all([client.health(), client.backfill()]);
    return { health, backfill };
  }, [client]);
  // A poll that wrote traffic asks for the days again (traffic changes every few hours at most).
  const [polls, setPolls] = useState(0);
  // Days a poll stored or revised (GitHub's 14 days, a new series): the series and the days are read again.
  const historyChanged = useHistoryChanges(
    (change) => change.source === 'github',
    () => {
      base.refresh();
      setPolls((count) => count + 1);
    },
  );
  useLiveEvents((event) => {
    if (event.type === 'history') {
      historyChanged(event);
    } else if (event.type === 'samples') {
      const traffic = event.latest.filter(isTrafficSeries);
      if (traffic.length === 0) return;
      base.update((data) => {
        const latest = new Map(data.latest);
        for (const series of traffic) latest.set(series.id, series);
        return { ...data, latest };
      });
      setPolls((count) => count + 1);
    } else if (event.type === 'config') {
      base.update((data) => ({ ...data, sources: event.sources }));
    } else if (event.type === 'health') {
      notes.update((data) => ({ ...data, health: applyHealth(data.health, event.health) }));
    } else if (event.type === 'backfill') {
      notes.update((data) => ({ ...data, backfill: applyBackfill(data.backfill, event.progress) }));
    }
  });
  const noteList = notes.load.status === 'ready' ? trafficNotes(notes.load.data.health, notes.load.data.backfill) : [];
  const setState = (next: TrafficState) => replaceRoute(routeHref('traffic', trafficParams(next)));

  if (base.load.status === 'loading') return <Loading what="traffic" />;
  if (base.load.status === 'error') return <ErrorNotice error={base.load.error} onRetry={base.reload} />;
  const data = base.load.data;
  const owners = trafficOwners(data.latest.values());
  const github = data.sources.find((source) => source.id === 'github');
  return (
    <section className="traffic" aria-labelledby="traffic-title">
      <h1 id="traffic-title">Traffic</h1>
      {owners.length === 0 ? (
        <div className="notice" data-testid="traffic-empty">
          <p>{NO_TRAFFIC_YET}</p>
          {github && !github.configured ? (
            <p>
              GitHub is not configured. <a href={routeHref('settings')}>Add it in Settings.</a>
            </p>
          ) : null}
        </div>
      ) : (
        <TrafficPanel owners={owners} latest={data.latest} state={state} polls={polls} onChange={setState} />
      )}
      <TrafficNotes notes={noteList} />
    </section>
  );
}

function TrafficNotes(props: { readonly notes: readonly { readonly target: string; readonly message: string }[] }) {
  if (props.notes.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="traffic-notes-title" data-testid="traffic-notes">
      <h2 id="traffic-notes-title">Repositories without traffic</h2>
      <ul className="failed-targets">
        {props.notes.map((note) => (
          <li key={`${note.target} ${note.message}`} data-testid="traffic-note">
            <strong>{note.target}</strong>: {note.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

function TrafficPanel(props: { readonly owners: readonly TrafficOwner[]; readonly latest: ReadonlyMap<number, LatestSeries>; readonly state: TrafficState; readonly polls: number; readonly onChange: (state: TrafficState) => void }) {
  const client = useClient();
  const { owners, latest, state } = props;
  const target = findTarget(owners, state.target)!;
  const ids = useMemo(() => dailySeriesIds(owners.flatMap((owner) => owner.repos)), [owners]);
  const idsKey = ids.join(',');
  const [daily, setDaily] = useState<DailyLoad>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const loadKey = `${idsKey}|${state.range}`;

  useEffect(() => {
    let current = true;
    const load = async () => {
      if (ids.length === 0) return { days: null, historyStart: null, result: { series: [] } };
      // Asked each time: a poll may have stored an older day since (GitHub's 14 days on a first poll).
      const starts = [...historyStartsOf(await client.changes(ids, [HISTORY_PROBE_MS])).values()];
      const historyStart = starts.length > 0 ? Math.min(...starts) : null;
      // A day's value is stored at the end of the day: today's is ahead of the clock.
      const end = Math.max(Date.now(), ...ids.map((id) => latest.get(id)?.lastSeen ?? 0));
      const days = trafficDays(state.range, historyStart, end);
      const lastSeen = new Map(ids.map((id) => [id, latest.get(id)?.lastSeen ?? end]));
      const result = days ? withoutCarriedDays(await client.range(dailyRangeRequest(ids, days)), lastSeen) : { series: [] };
      return { days, historyStart, result };
    };
    load().then(
      (loaded) => current && setDaily({ status: 'ready', key: loadKey, ...loaded }),
      (error: unknown) => current && setDaily({ status: 'error', error }),
    );
    return () => {
      current = false;
    };
    // New days are asked when the series, the range or the stored traffic change (or on retry).
  }, [client, loadKey, props.polls, attempt]);

  const now = Date.now();
  const ready = daily.status === 'ready' && daily.key === loadKey ? daily : null;
  const historyStart = ready?.historyStart ?? null;
  const selectId = useId();
  return (
    <>
      <div className="chart-controls traffic-controls">
        <label htmlFor={selectId}>Show</label>
        <select id={selectId} value={targetKey(target)} onChange={(event) => props.onChange({ ...state, target: event.target.value })} data-testid="traffic-target">
          {owners.map((owner) => (
            <optgroup key={owner.user} label={owner.user}>
              <option value={owner.user}>{owner.user} (all repositories)</option>
              {owner.repos.map((repo) => (
                <option key={repo.key} value={repo.key}>
                  {repo.key}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <RangeButtons range={state.range} historyStart={historyStart} now={now} onChange={(range) => props.onChange({ ...state, range })} />
        {ready?.days && historyStart !== null && (state.range === 'all' || rangeExceedsHistory(state.range, historyStart, now)) ? (
          <span className="range-since" title={`History starts ${formatDateTime(historyStart)}`} data-testid="range-since">
            Since {formatUtcDay(dayStart(ready.days.first))}
          </span>
        ) : null}
      </div>
      {daily.status === 'error' ? (
        <ErrorNotice error={daily.error} onRetry={() => setAttempt((count) => count + 1)} />
      ) : ready === null ? (
        <Loading what="traffic history" />
      ) : (
        <TrafficData owners={owners} latest={latest} target={target} days={ready.days} result={ready.result} onTarget={(key) => props.onChange({ ...state, target: key })} />
      )}
    </>
  );
}

function TrafficData(props: {
  readonly owners: readonly TrafficOwner[];
  readonly latest: ReadonlyMap<number, LatestSeries>;
  readonly target: TrafficTarget;
  readonly days: DaySpan | null;
  readonly result: RangeResult;
  readonly onTarget: (key: string) => void;
}) {
  const { target, days, result } = props;
  const repos = targetRepos(target);
  const figures = useMemo(() => (days ? dailyFigures(result, repos, days) : null), [result, days, repos]);
  const table = useMemo(() => (days ? totalsTable(result, props.owners, days) : []), [result, days, props.owners]);
  const repoKeys = new Set(repos.map((repo) => repo.key));
  const referrers = topEntries(props.latest.values(), 'referrer', repoKeys);
  const paths = topEntries(props.latest.values(), 'path', repoKeys);
  const title = target.kind === 'owner' ? `${target.owner.user} (all repositories)` : target.repo.key;
  const spanText = days ? `${formatUtcDay(dayStart(days.first))} – ${formatUtcDay(dayStart(days.last))}` : '';
  return (
    <>
      <section className="panel" aria-labelledby="traffic-target-title" data-testid="traffic-summary" data-target={targetKey(target)}>
        <h2 id="traffic-target-title">
          {title} <span className="hint">{spanText} (UTC days)</span>
        </h2>
        {figures && hasDays(figures) ? (
          <>
            <RangeTotals figures={figures} />
            <DailyCharts figures={figures} days={days!} title={title} />
            <DailyTable figures={figures} days={days!} />
          </>
        ) : (
          <p className="empty-chart" data-testid="traffic-no-days">
            No traffic in this range.
          </p>
        )}
      </section>
      <div className="traffic-tops">
        <TopTable kind="referrer" title="Top referrers" entries={referrers} showRepo={target.kind === 'owner'} />
        <TopTable kind="path" title="Popular paths" entries={paths} showRepo={target.kind === 'owner'} />
      </div>
      {days ? <TotalsTable table={table} selected={targetKey(target)} onTarget={props.onTarget} /> : null}
    </>
  );
}

function RangeTotals(props: { readonly figures: DailyFigures }) {
  const totals = rangeTotals(props.figures);
  return (
    <dl className="traffic-totals" data-testid="traffic-totals">
      {TRAFFIC_FIGURES.map((figure) => (
        <div key={figure}>
          <dt>{FIGURE_TITLES[figure]}</dt>
          <dd data-testid={`total-${figure}`} data-value={totals[figure]}>
            <Figure value={totals[figure]} />
          </dd>
        </div>
      ))}
      <p className="hint">Unique visitors and cloners are summed over the days: someone who came back on two days counts twice.</p>
    </dl>
  );
}

/** The figures of two charts: views (count and unique) and clones (count and unique). */
const CHARTS: readonly { readonly title: string; readonly figures: readonly [TrafficFigure, TrafficFigure] }[] = [
  { title: 'Views', figures: ['views', 'viewsUnique'] },
  { title: 'Clones', figures: ['clones', 'clonesUnique'] },
];

function DailyCharts(props: { readonly figures: DailyFigures; readonly days: DaySpan; readonly title: string }) {
  const { figures, days } = props;
  const [cursor, setCursor] = useState<number | null>(null);
  const [theme, setTheme] = useState<ChartTheme | null>(null);
  useEffect(() => {
    const read = () => setTheme(readChartTheme(document.documentElement));
    read();
    return watchColorScheme(read);
  }, []);
  // Each day's bar sits in the middle of its day.
  const times = useMemo(() => Array.from({ length: figures.views.length }, (_, index) => dayStart(days.first + index) + DAY_MS / 2), [figures, days]);
  return (
    <div className="traffic-charts">
      {CHARTS.map((chart) => {
        const aligned: AlignedSeries<TrafficFigure> = { ids: chart.figures, times, columns: chart.figures.map((figure) => figures[figure]) };
        const labels = chart.figures.map((figure) => FIGURE_TITLES[figure]);
        const at = cursor ?? times.length - 1;
        return (
          <figure key={chart.title} className="traffic-chart" data-testid="traffic-chart" data-chart={chart.title}>
            <figcaption>
              <strong>{chart.title}</strong>{' '}
              <span className="hint">
                {formatUtcDay(times[at]!)}:{' '}
                {chart.figures.map((figure, index) => (
                  <span key={figure} className="traffic-readout" data-testid={`readout-${figure}`}>
                    <span className="swatch" aria-hidden="true" style={theme ? { backgroundColor: seriesColor(theme, index) } : undefined} />
                    {FIGURE_TITLES[figure]} {figures[figure][at] === null || figures[figure][at] === undefined ? '–' : formatExact(figures[figure][at]!)}
                  </span>
                ))}
              </span>
            </figcaption>
            <UPlotChart aligned={aligned} labels={labels} scale="linear" kind="bars" height={220} onCursor={setCursor} ariaLabel={`${chart.title} per day of ${props.title}`} testId="traffic-bars" />
          </figure>
        );
      })}
    </div>
  );
}

/** Every day as numbers (the charts are pictures): newest first, in a disclosure. */
function DailyTable(props: { readonly figures: DailyFigures; readonly days: DaySpan }) {
  const { figures, days } = props;
  const rows = Array.from({ length: figures.views.length }, (_, index) => figures.views.length - 1 - index).filter((index) => TRAFFIC_FIGURES.some((figure) => figures[figure][index] !== null));
  return (
    <details className="traffic-days">
      <summary>Every day as a table ({formatExact(rows.length)} days with traffic)</summary>
      <table className="data-table" data-testid="traffic-days">
        <thead>
          <tr>
            <th scope="col">Day (UTC)</th>
            <FigureHeaders />
          </tr>
        </thead>
        <tbody>
          {rows.map((index) => {
            const day = dayStart(days.first + index);
            return (
              <tr key={index} data-testid="traffic-day" data-day={new Date(day).toISOString().slice(0, 10)}>
                <th scope="row">{formatUtcDay(day)}</th>
                {TRAFFIC_FIGURES.map((figure) => (
                  <td key={figure} data-figure={figure}>
                    {figures[figure][index] === null ? '–' : formatExact(figures[figure][index]!)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </details>
  );
}

function TopTable(props: { readonly kind: 'referrer' | 'path'; readonly title: string; readonly entries: readonly { readonly repo: string; readonly name: string; readonly views: number }[]; readonly showRepo: boolean }) {
  const shown = props.entries.slice(0, TOP_ROWS);
  return (
    <section className="panel" aria-label={props.title} data-testid={`traffic-${props.kind}s`}>
      <h2>
        {props.title} <span className="hint">last 14 days</span>
      </h2>
      {shown.length === 0 ? (
        <p className="hint">None reported by GitHub for the last 14 days.</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{props.kind === 'referrer' ? 'Referrer' : 'Path'}</th>
              {props.showRepo ? <th scope="col">Repository</th> : null}
              <th scope="col">Views</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((entry) => (
              <tr key={`${entry.repo} ${entry.name}`} data-testid={`${props.kind}-row`}>
                <th scope="row" className="traffic-name">
                  {entry.name}
                </th>
                {props.showRepo ? <td className="traffic-repo">{entry.repo}</td> : null}
                <td>{formatExact(entry.views)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.entries.length > TOP_ROWS ? <p className="hint">{formatExact(props.entries.length - TOP_ROWS)} more: choose one repository.</p> : null}
    </section>
  );
}

function TotalsTable(props: { readonly table: ReturnType<typeof totalsTable>; readonly selected: string; readonly onTarget: (key: string) => void }) {
  return (
    <section className="panel" aria-labelledby="traffic-table-title">
      <h2 id="traffic-table-title">
        Repositories <span className="hint">totals of the range</span>
      </h2>
      <table className="data-table" data-testid="traffic-table">
        <thead>
          <tr>
            <th scope="col">Owner / repository</th>
            <FigureHeaders />
          </tr>
        </thead>
        {props.table.map((owner) => (
          <tbody key={owner.key}>
            {[owner, ...owner.repos].map((row) => (
              <tr key={row.key} className={row === owner ? 'owner-row' : undefined} aria-current={row.key === props.selected ? 'true' : undefined} data-testid="traffic-row" data-key={row.key}>
                <th scope="row">
                  <a
                    href={routeHref('traffic', { target: row.key })}
                    onClick={(event) => {
                      event.preventDefault();
                      props.onTarget(row.key);
                    }}
                  >
                    {row === owner ? `${row.title} (all)` : row.title}
                  </a>
                </th>
                {TRAFFIC_FIGURES.map((figure) => (
                  <td key={figure} data-figure={figure}>
                    {formatExact(row.totals[figure])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </section>
  );
}

/** The four figures' column headers, in the order every traffic table shows them. */
function FigureHeaders() {
  return (
    <>
      {TRAFFIC_FIGURES.map((figure) => (
        <th key={figure} scope="col">
          {FIGURE_TITLES[figure]}
        </th>
      ))}
    </>
  );
}
