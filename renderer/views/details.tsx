// Details: pick series (repositories, images, pages, packages) and compare them on one chart over
// 24 h … all, with a hover read-out, linear or log scale. Everything that defines the chart is in
// the hash, so a chart can be linked: #/details?series=1,2&metric=github_repo_stars&range=7d&scale=log
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { LatestSeries, RangeResult, SourceInfo } from '../../shared/api.js';
import { alignSeries, canUseLogScale, fetchWholeHistory, firstValueIndex, logHidesValues, readoutAt, trimLeadingEmpty, type SeriesPoints } from '../chart/chart-data.js';
import { UPlotChart } from '../chart/uplot-chart.js';
import { readChartTheme, seriesColor, watchColorScheme, type ChartTheme } from '../chart/chart-theme.js';
import { useClient } from '../components/client-context.js';
import { Figure } from '../components/figures.js';
import { ErrorNotice, Loading } from '../components/status.js';
import { formatExact, formatPreciseDateTime } from '../format.js';
import { useLiveEvents } from '../hooks/use-live-events.js';
import { useLoad } from '../hooks/use-load.js';
import { headlineSpecFor } from '../model/headlines.js';
import { metricTitle, seriesLongTitle, seriesSearchText, seriesTitle } from '../model/names.js';
import { RANGES, RANGE_LABELS, detailsParams, parseDetailsState, pointsForWidth, rangeSpan, type DetailsState } from '../model/details-state.js';
import { replaceRoute, routeHref } from '../routing.js';

/** Rows the picker lists at once; a search narrows bigger sets. */
const PICKER_LIMIT = 200;

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
      <ChartPanel latest={load.data.latest} state={state} onChange={setState} />
    </div>
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
  const ofSelection = state.series.map((id) => data.latest.get(id)?.metric).find((metric) => metric !== undefined);
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
  const matching = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return [...data.latest.values()]
      .filter((series) => series.metric === metric)
      .filter((series) => words.length === 0 || words.every((word) => seriesSearchText(series).includes(word)))
      .sort((a, b) => b.value - a.value || seriesTitle(a).localeCompare(seriesTitle(b)));
  }, [data.latest, metric, query]);

  const toggle = (id: number) => {
    const series = selected.has(id) ? state.series.filter((item) => item !== id) : [...state.series, id];
    props.onChange({ ...state, series, metric });
  };

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
      {state.series.length > 0 ? (
        <div className="chosen" aria-label="Chosen series">
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
          {matching.slice(0, PICKER_LIMIT).map((series) => (
            <li key={series.id}>
              <label>
                <input type="checkbox" checked={selected.has(series.id)} onChange={() => toggle(series.id)} data-testid="series-option" />
                <span className="picker-title">{seriesTitle(series)}</span>
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

type ChartLoad =
  | { readonly status: 'idle' }
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: unknown }
  /** `key`: the selection the points were fetched for (uPlot needs exactly one column per series). */
  | { readonly status: 'ready'; readonly key: string; readonly series: readonly SeriesPoints[] };

/** The chart's points after a live event: each charted series' new value appended at the time it was seen. */
export function appendLive(series: readonly SeriesPoints[], incoming: readonly LatestSeries[]): SeriesPoints[] {
  const byId = new Map(incoming.map((item) => [item.id, item]));
  return series.map((item) => {
    const fresh = byId.get(item.id);
    const lastTime = item.times[item.times.length - 1];
    if (!fresh || (lastTime !== undefined && fresh.lastSeen <= lastTime)) return item;
    return { id: item.id, times: [...item.times, fresh.lastSeen], values: [...item.values, fresh.value] };
  });
}

function ChartPanel(props: {
  readonly latest: ReadonlyMap<number, LatestSeries>;
  readonly state: DetailsState;
  readonly onChange: (state: DetailsState) => void;
}) {
  const client = useClient();
  const { state } = props;
  const wrapper = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<ChartLoad>({ status: 'idle' });
  const [attempt, setAttempt] = useState(0);
  const [cursor, setCursor] = useState<number | null>(null);
  const [theme, setTheme] = useState<ChartTheme | null>(null);
  const seriesKey = state.series.join(',');

  useLayoutEffect(() => {
    const read = () => {
      if (wrapper.current) setTheme(readChartTheme(wrapper.current));
    };
    read();
    // The read-out's swatches follow a light/dark switch, as the chart's lines do.
    return watchColorScheme(read);
  }, []);

  useEffect(() => {
    if (state.series.length === 0) {
      setChart({ status: 'idle' });
      return;
    }
    let current = true;
    setChart({ status: 'loading' });
    const points = pointsForWidth(wrapper.current?.clientWidth ?? 0);
    const now = Date.now();
    const span = rangeSpan(state.range, now);
    const request: Promise<RangeResult> = span
      ? client.range({ series: state.series, start: span.start, end: span.end, points })
      : fetchWholeHistory((query) => client.range(query), state.series, now, points);
    request.then(
      (result) => current && setChart({ status: 'ready', key: seriesKey, series: result.series }),
      (error: unknown) => current && setChart({ status: 'error', error }),
    );
    return () => {
      current = false;
    };
    // A new request only when what is charted changes (or on retry): live values are appended below.
  }, [client, seriesKey, state.range, attempt]);

  // Every samples event is applied as it arrives (an updater, not state holding "the last event": the
  // health event that follows each poll would replace it before an effect could see it).
  useLiveEvents((event) => {
    if (event.type !== 'samples') return;
    setChart((previous) => (previous.status === 'ready' ? { ...previous, series: appendLive(previous.series, event.latest) } : previous));
  });

  // Until the new selection's points arrive, the previous ones are not drawn under the new labels.
  const current = chart.status === 'ready' && chart.key !== seriesKey ? ({ status: 'loading' } as const) : chart;
  const aligned = useMemo(() => {
    if (current.status !== 'ready') return null;
    const all = alignSeries(current.series);
    return state.range === 'all' ? trimLeadingEmpty(all) : all;
  }, [current, state.range]);
  const hasHistory = aligned !== null && firstValueIndex(aligned) !== -1;

  const charted = state.series.map((id) => props.latest.get(id));
  const mixedMetrics = new Set(charted.map((series) => series?.metric)).size > 1;
  const labels = state.series.map((id, index) => {
    const series = charted[index];
    if (!series) return `series ${id}`;
    return mixedMetrics ? seriesLongTitle(series) : seriesTitle(series);
  });
  const logPossible = aligned ? canUseLogScale(aligned) : true;
  const scale = state.scale === 'log' && logPossible ? 'log' : 'linear';
  const readout = aligned && hasHistory ? readoutAt(aligned, cursor) : null;

  return (
    <section className="chart-panel" aria-label="Chart">
      <div className="chart-controls">
        <div role="group" aria-label="Time range" className="segmented">
          {RANGES.map((range) => (
            <button key={range} type="button" aria-pressed={state.range === range} onClick={() => props.onChange({ ...state, range })} data-testid={`range-${range}`}>
              {RANGE_LABELS[range]}
            </button>
          ))}
        </div>
        <label className="toggle">
          <input
            type="checkbox"
            checked={state.scale === 'log'}
            onChange={(event) => props.onChange({ ...state, scale: event.target.checked ? 'log' : 'linear' })}
            data-testid="log-scale"
          />
          Log scale
        </label>
        {!mixedMetrics && charted[0] ? <span className="chart-metric">{metricTitle(charted[0].metric)}</span> : null}
      </div>
      {state.scale === 'log' && !logPossible ? <p className="hint">Log scale needs values above zero: showing a linear scale.</p> : null}
      {state.scale === 'log' && logPossible && aligned && logHidesValues(aligned) ? <p className="hint">Zero values are left out on a log scale.</p> : null}
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
          <UPlotChart aligned={aligned} labels={labels} scale={scale} onCursor={setCursor} ariaLabel={`Chart of ${labels.join(', ')}`} />
        ) : (
          <p className="empty-chart" data-testid="details-no-history">
            No history in this range yet.
          </p>
        )}
      </div>
      {readout ? (
        <table className="readout" data-testid="chart-readout">
          <caption>
            <time dateTime={new Date(readout.time).toISOString()}>{formatPreciseDateTime(readout.time)}</time>
          </caption>
          <tbody>
            {labels.map((label, index) => (
              <tr key={state.series[index]}>
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
