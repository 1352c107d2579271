// Details: pick series (repositories, images, pages, packages) or group totals (an owner's stars) and
// compare them on one chart over 24 h … all, with a hover read-out, linear or log scale. A history
// younger than the range is shown whole ("since <start>"); dragging across the chart zooms in (the
// span is fetched again at full detail). Everything that defines the chart is in the hash, so a chart
// can be linked: #/details?series=1,2&metric=github_repo_stars&range=7d&scale=log
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { LatestSeries, SourceInfo } from '../../shared/api.js';
import { alignSeries, appendLive, canUseLogScale, fetchLines, firstValueIndex, lineSeriesIds, logHidesValues, readoutAt, trimLeadingEmpty, type ChartLine, type SeriesPoints } from '../chart/chart-data.js';
import { UPlotChart } from '../chart/uplot-chart.js';
import { readChartTheme, seriesColor, watchColorScheme, type ChartTheme } from '../chart/chart-theme.js';
import type { ChartMarker } from '../chart/markers.js';
import { errorMessage } from '../api/errors.js';
import { useClient } from '../components/client-context.js';
import { Figure, RelativeTime } from '../components/figures.js';
import { RangeButtons } from '../components/range-buttons.js';
import { ErrorNotice, Loading } from '../components/status.js';
import { formatDateTime, formatExact, formatMoment, formatPreciseDateTime } from '../format.js';
import { historyNotes } from '../model/history-notes.js';
import { touchesAny, useHistoryChanges } from '../hooks/use-history-changes.js';
import { useLiveEvents } from '../hooks/use-live-events.js';
import { useLoad } from '../hooks/use-load.js';
import { chartMarkers, markerRequests } from '../model/chart-markers.js';
import { headlineSpecFor } from '../../shared/headlines.js';
import { metricTitle, seriesLongTitle, seriesSearchText, seriesTitle } from '../../shared/names.js';
import { repositoryFacts } from '../model/repository-facts.js';
import {
  chartSpan,
  detailsParams,
  parseDetailsState,
  pointsForWidth,
  type ChartSpan,
  type DetailsState,
  type TimeSpan,
} from '../model/details-state.js';
import { HISTORY_PROBE_MS, historyStartsOf } from '../../shared/series-book.js';
import { formatTotalRef, sameTotal, totalMembers, totalTitle, type TotalRef } from '../model/totals.js';
import { repoKeyOf } from '../model/traffic.js';
import { replaceRoute, routeHref } from '../routing.js';

/** Rows the picker lists at once; a search narrows bigger sets. */
const PICKER_LIMIT = 200;
/** The narrowest zoom (a second): finer than the time axis can label. */
const MIN_ZOOM_MS = 1_000;

interface PickerData {
  readonly sources: readonly SourceInfo[];
  readonly latest: ReadonlyMap<number, LatestSeries>;
}

export function DetailsView(props: { readonly params: URLSearchParams }) {
  const client = useClient();
  const state = parseDetailsState(props.params);
  const { load, reload, update } = useLoad(async (): Promise<PickerData> => {
    const [sources, latest] = await Promise.all([client.sources(), client.latest()]);
    return { sources, latest: new Map(latest.map((series) => [series.id, series])) };
  }, [client]);
  useLiveEvents((event) => {
    if (event.type === 'samples') {
      update((data) => {
        const latest = new Map(data.latest);
        for (const series of event.latest) latest.set(series.id, series);
        return { ...data, latest };
      });
    } else if (event.type === 'config') {
      update((data) => ({ ...data, sources: event.sources }));
    }
  });

  const setState = (next: DetailsState) => replaceRoute(routeHref('details', detailsParams(next)));

  if (load.status === 'loading') return <Loading what="series" />;
  if (load.status === 'error') return <ErrorNotice error={load.error} onRetry={reload} />;
  return (
    <div className="details">
      <h1 className="sr-only">Details</h1>
      <SeriesPicker data={load.data} state={state} onChange={setState} />
      <ChartPanel data={load.data} state={state} onChange={setState} />
      <RepositoryFactsRows data={load.data} state={state} />
    </div>
  );
}

/** Commits, the last commit, closed issues, merged PRs, releases and contributors of each charted repository. */
function RepositoryFactsRows(props: { readonly data: PickerData; readonly state: DetailsState }) {
  const rows = repositoryFacts(props.state.series.map((id) => props.data.latest.get(id)), props.data.latest.values());
  if (rows.length === 0) return null;
  const now = Date.now();
  return (
    <section className="repository-facts" aria-label="Repository figures">
      {rows.map((row) => (
        <p key={row.repository} className="facts-row" data-testid="repository-facts">
          <span className="facts-repository">{row.repository}</span>
          {row.facts.map((fact) => (
            <span key={fact.metric} className="fact" data-testid={`fact-${fact.metric}`}>
              {fact.kind === 'time' ? (
                <>
                  {fact.label} <RelativeTime time={fact.value} now={now} />
                </>
              ) : (
                <>
                  <Figure value={fact.value} /> {fact.label}
                </>
              )}
            </span>
          ))}
        </p>
      ))}
    </section>
  );
}

/** The metrics that have series, in catalogue order, each with its source. */
function metricsWithSeries(data: PickerData): { source: SourceInfo; metrics: string[] }[] {
  const present = new Set([...data.latest.values()].map((series) => series.metric));
  return data.sources
    .map((source) => ({ source, metrics: source.metrics.map((metric) => metric.name).filter((name) => present.has(name)) }))
    .filter((group) => group.metrics.length > 0);
}

function defaultMetric(data: PickerData, state: DetailsState): string | null {
  const available = metricsWithSeries(data).flatMap((group) => group.metrics);
  if (state.metric && available.includes(state.metric)) return state.metric;
  const ofSelection = [...state.totals.map((total) => total.metric), ...state.series.map((id) => data.latest.get(id)?.metric)].find((metric) => metric !== undefined && available.includes(metric));
  if (ofSelection) return ofSelection;
  const headline = data.sources.map((source) => headlineSpecFor(source)?.metrics[0]?.metric).find((metric) => metric !== undefined && available.includes(metric));
  return headline ?? available[0] ?? null;
}

function SeriesPicker(props: { readonly data: PickerData; readonly state: DetailsState; readonly onChange: (state: DetailsState) => void }) {
  const { data, state } = props;
  const [query, setQuery] = useState('');
  const metric = defaultMetric(data, state);
  const groups = metricsWithSeries(data);
  const searchId = useId();
  const metricId = useId();
  const selected = new Set(state.series);
  // The metric's series in list order with their search text, made once per metric and data, not per
  // keystroke: at 10,000 repositories, titles and search texts made for every key cost ~200 ms a key.
  const listed = useMemo(() => {
    const entries = [...data.latest.values()]
      .filter((series) => series.metric === metric)
      .map((series) => ({ series, title: seriesTitle(series), text: seriesSearchText(series) }));
    return entries.sort((a, b) => b.series.value - a.series.value || a.title.localeCompare(b.title));
  }, [data.latest, metric]);
  const matching = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return words.length === 0 ? listed : listed.filter((entry) => words.every((word) => entry.text.includes(word)));
  }, [listed, query]);

  const toggle = (id: number) => {
    const series = selected.has(id) ? state.series.filter((item) => item !== id) : [...state.series, id];
    props.onChange({ ...state, series, metric });
  };
  const removeTotal = (total: TotalRef) => props.onChange({ ...state, totals: state.totals.filter((item) => !sameTotal(item, total)), metric });

  return (
    <aside className="picker" data-testid="series-picker" aria-label="Series">
      <label htmlFor={metricId}>Metric</label>
      <select id={metricId} value={metric ?? ''} onChange={(event) => props.onChange({ ...state, metric: event.target.value })} data-testid="metric-select">
        {groups.map((group) => (
          <optgroup key={group.source.id} label={group.source.title}>
            {group.metrics.map((name) => (
              <option key={name} value={name}>
                {metricTitle(name)}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <label htmlFor={searchId}>Search</label>
      <input id={searchId} type="search" value={query} placeholder="Repository, image, page, package…" onChange={(event) => setQuery(event.target.value)} data-testid="series-search" />
      {state.series.length > 0 || state.totals.length > 0 ? (
        <div className="chosen" aria-label="Chosen series">
          {state.totals.map((total) => {
            const title = `${totalTitle(total)} — ${metricTitle(total.metric)}`;
            return (
              <button key={formatTotalRef(total)} type="button" className="chip" onClick={() => removeTotal(total)} aria-label={`Remove ${title}`} data-testid="chosen-series">
                {title} ✕
              </button>
            );
          })}
          {state.series.map((id) => {
            const series = data.latest.get(id);
            const title = series ? seriesLongTitle(series) : `series ${id} (no longer collected)`;
            return (
              <button key={id} type="button" className="chip" onClick={() => toggle(id)} aria-label={`Remove ${title}`} data-testid="chosen-series">
                {title} ✕
              </button>
            );
          })}
        </div>
      ) : null}
      {matching.length === 0 ? (
        <p className="hint">{data.latest.size === 0 ? 'No series yet: values appear after the first poll.' : 'Nothing matches.'}</p>
      ) : (
        <ul className="picker-list">
          {matching.slice(0, PICKER_LIMIT).map(({ series, title }) => (
            <li key={series.id}>
              <label>
                <input type="checkbox" checked={selected.has(series.id)} onChange={() => toggle(series.id)} data-testid="series-option" />
                <span className="picker-title">{title}</span>
                <Figure value={series.value} className="picker-value" />
              </label>
            </li>
          ))}
        </ul>
      )}
      {matching.length > PICKER_LIMIT ? <p className="hint">{matching.length - PICKER_LIMIT} more: narrow the search.</p> : null}
    </aside>
  );
}

/** A line of the chart with what it is called and which metric it shows. */
interface LineSpec extends ChartLine {
  readonly metric: string | null;
  readonly title: string;
  readonly longTitle: string;
}

/** The chart's lines: each total (the sum of its group's series), then each chosen series. */
export function chartLines(state: Pick<DetailsState, 'series' | 'totals'>, data: PickerData): LineSpec[] {
  const totals = state.totals.map((total): LineSpec => ({
    key: `total:${formatTotalRef(total)}`,
    ids: totalMembers(total, data.sources, data.latest.values()).map((series) => series.id),
    metric: total.metric,
    title: totalTitle(total),
    longTitle: `${totalTitle(total)} — ${metricTitle(total.metric)}`,
  }));
  const series = state.series.map((id): LineSpec => {
    const item = data.latest.get(id);
    return {
      key: `series:${id}`,
      ids: [id],
      metric: item?.metric ?? null,
      title: item ? seriesTitle(item) : `series ${id}`,
      longTitle: item ? seriesLongTitle(item) : `series ${id}`,
    };
  });
  return [...totals, ...series];
}

type ChartLoad =
  | { readonly status: 'idle' }
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: unknown }
  /** `key`: the lines the points were fetched for (uPlot needs exactly one column per line). */
  | { readonly status: 'ready'; readonly key: string; readonly lines: readonly SeriesPoints<string>[]; readonly span: ChartSpan | null; readonly historyStart: number | null };

/** "Nov 3, 2:00 PM – Nov 5, 9:00 AM"; with seconds where the minutes alone would read the same at both ends. */
function zoomText(zoom: TimeSpan, now: number): string {
  const [start, end] = [formatMoment(zoom.start, now), formatMoment(zoom.end, now)];
  if (start !== end) return `${start} – ${end}`;
  return `${formatMoment(zoom.start, now, { seconds: true })} – ${formatMoment(zoom.end, now, { seconds: true })}`;
}

/** A dragged span, at least MIN_ZOOM_MS wide (widened around its middle). */
function zoomSpan(span: TimeSpan): TimeSpan {
  const start = Math.round(Math.min(span.start, span.end));
  const end = Math.round(Math.max(span.start, span.end));
  if (end - start >= MIN_ZOOM_MS) return { start, end };
  const middle = Math.round((start + end) / 2);
  return { start: middle - MIN_ZOOM_MS / 2, end: middle + MIN_ZOOM_MS / 2 };
}

function ChartPanel(props: { readonly data: PickerData; readonly state: DetailsState; readonly onChange: (state: DetailsState) => void }) {
  const client = useClient();
  const { state, data } = props;
  const wrapper = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<ChartLoad>({ status: 'idle' });
  const [attempt, setAttempt] = useState(0);
  const [cursor, setCursor] = useState<number | null>(null);
  const [theme, setTheme] = useState<ChartTheme | null>(null);
  const lines = chartLines(state, data);
  const drawn = lines.filter((line) => line.ids.length > 0);
  const linesKey = drawn.map((line) => `${line.key}=${line.ids.join('.')}`).join('|');
  const zoomKey = state.zoom ? `${state.zoom.start}-${state.zoom.end}` : '';
  const live = useRef({ drawn, latest: data.latest });
  live.current = { drawn, latest: data.latest };
  // A backfill (or a revised day) changed the stored past of a charted series: read it again.
  const [historyVersion, setHistoryVersion] = useState(0);
  const historyChanged = useHistoryChanges(
    (change) => touchesAny(change, live.current.drawn.flatMap((line) => line.ids)),
    () => setHistoryVersion((version) => version + 1),
  );
  const fetched = useRef('');

  useLayoutEffect(() => {
    const read = () => {
      if (wrapper.current) setTheme(readChartTheme(wrapper.current));
    };
    read();
    // The read-out's swatches follow a light/dark switch, as the chart's lines do.
    return watchColorScheme(read);
  }, []);

  useEffect(() => {
    const { drawn: requested, latest } = live.current;
    if (requested.length === 0) {
      setChart(lines.length === 0 ? { status: 'idle' } : { status: 'ready', key: linesKey, lines: [], span: null, historyStart: null });
      return;
    }
    let current = true;
    // Reading the same lines again for a changed history keeps the chart on screen until the new points are there.
    const fetchKey = JSON.stringify([linesKey, state.range, zoomKey, attempt]);
    const again = fetched.current === fetchKey;
    fetched.current = fetchKey;
    if (!again) setChart({ status: 'loading' });
    const points = pointsForWidth(wrapper.current?.clientWidth ?? 0);
    const ids = lineSeriesIds(requested);
    // The newest value seen is always on the chart, even when this machine's clock is behind the core's.
    const end = Math.max(Date.now(), ...ids.map((id) => latest.get(id)?.lastSeen ?? 0));
    const load = async () => {
      // Asked each time rather than kept: a backfill can move the start back while the view is open.
      const found = [...historyStartsOf(await client.changes(ids, [HISTORY_PROBE_MS])).values()];
      const historyStart = found.length > 0 ? Math.min(...found) : null;
      const span = chartSpan(state, historyStart, end);
      const fetched = span ? await fetchLines((request) => client.range(request), requested, span, points) : [];
      return { span, historyStart, fetched };
    };
    load().then(
      ({ span, historyStart, fetched }) => current && setChart({ status: 'ready', key: linesKey, lines: fetched, span, historyStart }),
      (error: unknown) => current && !again && setChart({ status: 'error', error }),
    );
    return () => {
      current = false;
    };
    // A new request only when what is charted changes (or on retry, or its history changed): live values are appended below.
  }, [client, linesKey, state.range, zoomKey, attempt, historyVersion]);

  // Release markers of the charted repositories, over the span on screen.
  const [markers, setMarkers] = useState<{ readonly key: string; readonly markers: readonly ChartMarker[]; readonly error: string | null }>({ key: '', markers: [], error: null });
  const readySpan = chart.status === 'ready' && chart.key === linesKey ? chart.span : null;
  const requests = readySpan ? markerRequests(state.series.map((id) => data.latest.get(id)), readySpan) : [];
  const markersKey = JSON.stringify(requests);
  useEffect(() => {
    if (requests.length === 0) return;
    let current = true;
    Promise.all(requests.map((request) => client.markers(request))).then(
      (found) => current && setMarkers({ key: markersKey, markers: chartMarkers(found, requests), error: null }),
      (error: unknown) => current && setMarkers({ key: markersKey, markers: [], error: errorMessage(error) }),
    );
    return () => {
      current = false;
    };
    // The requests are fully described by their key (and a backfill may have found more releases).
  }, [client, markersKey, historyVersion]);
  const shownMarkers = markers.key === markersKey && requests.length > 0 ? markers : { markers: [], error: null };

  // Every samples event is applied as it arrives (an updater, not state holding "the last event": the
  // health event that follows each poll would replace it before an effect could see it). A zoomed
  // chart shows a fixed span of the past: it is left as it is.
  useLiveEvents((event) => {
    if (event.type === 'history') historyChanged(event);
    if (event.type !== 'samples' || state.zoom) return;
    const { drawn: shown, latest } = live.current;
    setChart((previous) => (previous.status === 'ready' ? { ...previous, lines: appendLive(previous.lines, shown, latest, event.latest) } : previous));
  });

  // Until the new selection's points arrive, the previous ones are not drawn under the new labels.
  const current = chart.status === 'ready' && chart.key !== linesKey ? ({ status: 'loading' } as const) : chart;
  const aligned = useMemo(() => {
    if (current.status !== 'ready') return null;
    const all = alignSeries(current.lines);
    // "Since <start>": the chart begins at the first value, however young the history.
    return current.span?.sinceStart ? trimLeadingEmpty(all) : all;
  }, [current]);
  const hasHistory = aligned !== null && firstValueIndex(aligned) !== -1;
  const historyStart = current.status === 'ready' ? current.historyStart : null;
  const span = current.status === 'ready' ? current.span : null;

  const mixedMetrics = new Set(drawn.map((line) => line.metric)).size > 1;
  const notes = historyNotes(data.sources, drawn.map((line) => line.metric));
  const labels = drawn.map((line) => (mixedMetrics ? line.longTitle : line.title));
  const chartMetric = !mixedMetrics ? drawn[0]?.metric ?? null : null;
  const logPossible = aligned ? canUseLogScale(aligned) : true;
  const scale = state.scale === 'log' && logPossible ? 'log' : 'linear';
  const readout = aligned && hasHistory ? readoutAt(aligned, cursor) : null;
  const now = Date.now();
  const onZoom = (zoom: TimeSpan | null) => {
    if (zoom === null) {
      if (state.zoom) props.onChange({ ...state, zoom: null });
      return;
    }
    props.onChange({ ...state, zoom: zoomSpan(zoom) });
  };

  return (
    <section className="chart-panel" aria-label="Chart">
      <div className="chart-controls">
        <RangeButtons range={state.range} zoomed={state.zoom !== null} historyStart={historyStart} now={now} onChange={(range) => props.onChange({ ...state, range, zoom: null })} />
        {state.zoom ? (
          <span className="zoom-state">
            <span data-testid="zoom-span">
              Zoomed: {zoomText(state.zoom, now)}
            </span>{' '}
            <button type="button" onClick={() => onZoom(null)} data-testid="zoom-reset">
              Reset zoom
            </button>
          </span>
        ) : span?.sinceStart && historyStart !== null && hasHistory ? (
          <span className="range-since" title={`History starts ${formatDateTime(historyStart)}`} data-testid="range-since">
            Since {formatMoment(historyStart, now)}
          </span>
        ) : null}
        <label className="toggle">
          <input
            type="checkbox"
            checked={state.scale === 'log'}
            onChange={(event) => props.onChange({ ...state, scale: event.target.checked ? 'log' : 'linear' })}
            data-testid="log-scale"
          />
          Log scale
        </label>
        {chartMetric ? <span className="chart-metric">{metricTitle(chartMetric)}</span> : null}
      </div>
      {state.scale === 'log' && !logPossible ? <p className="hint">Log scale needs values above zero: showing a linear scale.</p> : null}
      {state.scale === 'log' && logPossible && aligned && logHidesValues(aligned) ? <p className="hint">Zero values are left out on a log scale.</p> : null}
      <TrafficLinks state={state} data={data} />
      {shownMarkers.error ? (
        <p className="hint" data-testid="markers-error">
          Releases could not be shown: {shownMarkers.error}
        </p>
      ) : null}
      <div ref={wrapper} className="chart-wrapper">
        {current.status === 'idle' ? (
          <p className="empty-chart" data-testid="details-empty">
            Choose series from the list to compare them here.
          </p>
        ) : current.status === 'loading' ? (
          <Loading what="history" />
        ) : current.status === 'error' ? (
          <ErrorNotice error={current.error} onRetry={() => setAttempt((count) => count + 1)} />
        ) : aligned && hasHistory ? (
          <UPlotChart aligned={aligned} labels={labels} scale={scale} markers={shownMarkers.markers} onCursor={setCursor} onZoom={onZoom} ariaLabel={`Chart of ${labels.join(', ')}`} />
        ) : (
          <p className="empty-chart" data-testid="details-no-history">
            {state.zoom ? 'No history in this span.' : 'No history in this range yet.'}
          </p>
        )}
      </div>
      {notes.map((note) => (
        <p key={note.source} className="hint" data-testid="details-history-note" data-source={note.source}>
          {note.note}
        </p>
      ))}
      {readout ? (
        <table className="readout" data-testid="chart-readout">
          <caption>
            <time dateTime={new Date(readout.time).toISOString()}>{formatPreciseDateTime(readout.time)}</time>
          </caption>
          <tbody>
            {labels.map((label, index) => (
              <tr key={drawn[index]!.key}>
                <th scope="row">
                  <span className="swatch" aria-hidden="true" style={theme ? { backgroundColor: seriesColor(theme, index) } : undefined} />
                  {label}
                </th>
                <td data-testid="readout-value">{readout.values[index] === null || readout.values[index] === undefined ? '–' : formatExact(readout.values[index]!)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

/** The repositories (and GitHub owners) on the chart: where their traffic is (the Traffic view). */
export function trafficTargets(state: Pick<DetailsState, 'series' | 'totals'>, latest: ReadonlyMap<number, LatestSeries>): string[] {
  const owners = state.totals.filter((total) => total.source === 'github').map((total) => total.group);
  const repos = state.series.map((id) => latest.get(id)).map((series) => (series ? repoKeyOf(series) : null));
  return [...new Set([...owners, ...repos.filter((key): key is string => key !== null)])];
}

function TrafficLinks(props: { readonly state: DetailsState; readonly data: PickerData }) {
  const targets = trafficTargets(props.state, props.data.latest);
  if (targets.length === 0) return null;
  return (
    <p className="hint related-links" data-testid="traffic-links">
      Traffic (views and clones per day):{' '}
      {targets.map((target, index) => (
        <span key={target}>
          {index > 0 ? ' · ' : null}
          <a href={routeHref('traffic', { target })} data-testid="traffic-link">
            {target}
          </a>
        </span>
      ))}
    </p>
  );
}
