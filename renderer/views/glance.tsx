// Glance: the compact view of the tray window (~360×480): pinned totals with today's change, the top
// five movers, markers for stale or failing sources, "Refresh now" and a way to the full dashboard.
import { useMemo, useState } from 'react';
import type { LiveEvent, SourceHealth, SourceInfo } from '../../shared/api.js';
import type { FootprintClient } from '../api/footprint-client.js';
import { errorMessage } from '../api/errors.js';
import { useClient } from '../components/client-context.js';
import { Delta, Figure, RelativeTime } from '../components/figures.js';
import { HealthBadge } from '../components/health-badge.js';
import { ErrorNotice, Loading } from '../components/status.js';
import { useHistoryChanges } from '../hooks/use-history-changes.js';
import { useLiveEvents } from '../hooks/use-live-events.js';
import { useLoad } from '../hooks/use-load.js';
import { useNow } from '../hooks/use-now.js';
import { applyHealth } from '../model/health-status.js';
import { useSourceStatus } from '../hooks/use-source-status.js';
import { SOURCE_STATUS_TEXT, statusDetail } from '../../shared/source-status.js';
import { metricTitle } from '../../shared/names.js';
import { topMovers } from '../model/overview.js';
import { buildCards, headlineSeriesIds } from '../../shared/overview.js';
import { usePins } from '../model/pins.js';
import { DAY_MS, applyLatest, createBook, sinceLocalMidnightMs, withHistoryProbe, type SeriesBook } from '../../shared/series-book.js';
import { routeHref } from '../routing.js';
import { FirstRun } from './first-run.js';

const MOVERS = 5;
/** Cards shown when none is pinned. */
const UNPINNED_CARDS = 4;

export interface GlanceData {
  readonly sources: readonly SourceInfo[];
  readonly book: SeriesBook;
  readonly health: readonly SourceHealth[];
  /** [since local midnight, 24 h], as asked of changes(). */
  readonly windowsMs: readonly [number, number];
}

export async function loadGlance(client: FootprintClient, now = Date.now()): Promise<GlanceData> {
  const [sources, latest, health] = await Promise.all([client.sources(), client.latest(), client.health()]);
  const windowsMs: [number, number] = [sinceLocalMidnightMs(now), DAY_MS];
  const ids = headlineSeriesIds(sources, latest);
  const changes = ids.length > 0 ? await client.changes(ids, withHistoryProbe(windowsMs)) : [];
  return { sources, book: createBook(latest, changes), health, windowsMs };
}

export function applyGlanceEvent(data: GlanceData, event: LiveEvent): GlanceData {
  switch (event.type) {
    case 'samples':
      return { ...data, book: applyLatest(data.book, event.latest, data.windowsMs) };
    case 'health':
      return { ...data, health: applyHealth(data.health, event.health) };
    case 'config':
      return { ...data, sources: event.sources };
    case 'backfill':
    case 'remoteWrite':
    case 'history': // read again (useHistoryChanges), not changed in place
      return data;
  }
}

export function GlanceView() {
  const client = useClient();
  const { load, reload, update, refresh } = useLoad(() => loadGlance(client), [client]);
  const historyChanged = useHistoryChanges(() => true, refresh);
  useLiveEvents((event) => (event.type === 'history' ? historyChanged(event) : update((data) => applyGlanceEvent(data, event))));

  return (
    <div className="glance">
      <h1 className="sr-only">Glance</h1>
      {load.status === 'loading' ? (
        <Loading />
      ) : load.status === 'error' ? (
        <ErrorNotice error={load.error} onRetry={reload} />
      ) : (
        <GlanceContent data={load.data} />
      )}
      <GlanceActions />
    </div>
  );
}

function GlanceContent(props: { readonly data: GlanceData }) {
  const { sources, book, health, windowsMs } = props.data;
  const [todayMs, dayMs] = windowsMs;
  const now = useNow();
  const statusOf = useSourceStatus();
  const { pins } = usePins();
  const cards = useMemo(() => buildCards(sources, book, windowsMs), [sources, book, windowsMs]);
  const movers = useMemo(() => topMovers(sources, book, dayMs, MOVERS), [sources, book, dayMs]);
  if (!sources.some((source) => source.configured)) return <FirstRun sources={sources} compact />;

  const pinned = cards.filter((card) => pins.includes(card.key));
  const shown = pinned.length > 0 ? pinned : [...cards].sort((a, b) => (b.figures[0]?.total ?? 0) - (a.figures[0]?.total ?? 0)).slice(0, UNPINNED_CARDS);
  const troubled = health
    .map((item) => ({ item, status: statusOf(item) }))
    .filter(({ status }) => status !== 'ok' && status !== 'paused' && status !== 'waiting')
    .map(({ item, status }) => ({ item, status, detail: statusDetail(item, status) }));

  return (
    <>
      {troubled.length > 0 ? (
        <ul className="glance-problems" aria-label="Sources needing attention">
          {troubled.map(({ item, status, detail }) => (
            <li key={item.id} data-testid="glance-problem" data-status={status}>
              <HealthBadge status={status} detail={detail} compact /> <strong>{item.title}</strong> {SOURCE_STATUS_TEXT[status]}
              {item.lastSuccessAt !== null ? (
                <>
                  {' '}· last data <RelativeTime time={item.lastSuccessAt} now={now} />
                </>
              ) : null}
              {detail && status !== 'offline' ? <span className="glance-error">{detail}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <section aria-labelledby="glance-totals">
        <h2 id="glance-totals" className="glance-heading">
          {pinned.length > 0 ? 'Pinned' : 'Totals'} <span className="hint">today</span>
        </h2>
        {shown.length === 0 ? (
          <p className="hint">No values yet: the first poll has not finished.</p>
        ) : (
          <ul className="glance-totals">
            {shown.map((card) => {
              const main = card.figures[0]!;
              const today = main.changes.find((change) => change.windowMs === todayMs);
              return (
                <li key={card.key} data-testid="glance-total" data-card={card.key}>
                  <span className="glance-name">
                    {card.group} <span className="hint">{metricTitle(main.metric).toLowerCase()}</span>
                  </span>
                  <Figure value={main.total} className="glance-value" testId="glance-total-value" />
                  <Delta delta={today?.delta ?? null} historyStart={today?.historyStart ?? null} testId="glance-today" />
                </li>
              );
            })}
          </ul>
        )}
        {pinned.length === 0 && shown.length > 0 ? <p className="hint">Pin cards on the Overview (☆) to choose what shows here.</p> : null}
      </section>
      <section aria-labelledby="glance-movers">
        <h2 id="glance-movers" className="glance-heading">
          Top movers <span className="hint">24 h</span>
        </h2>
        {movers.length === 0 ? (
          <p className="hint">Nothing changed in the last 24 hours.</p>
        ) : (
          <ol className="glance-movers">
            {movers.map((mover) => (
              <li key={mover.series.id} data-testid="glance-mover">
                <a href={routeHref('details', { series: String(mover.series.id), range: '7d' })}>
                  {mover.title} <span className="hint">{metricTitle(mover.series.metric).toLowerCase()}</span>
                </a>
                <Delta delta={mover.delta} />
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

function GlanceActions() {
  const client = useClient();
  const [refresh, setRefresh] = useState<{ state: 'idle' | 'busy' | 'done' } | { state: 'failed'; message: string }>({ state: 'idle' });
  const refreshNow = () => {
    setRefresh({ state: 'busy' });
    client.refresh().then(
      () => setRefresh({ state: 'done' }),
      (error: unknown) => setRefresh({ state: 'failed', message: errorMessage(error) }),
    );
  };
  return (
    <footer className="glance-actions">
      <button type="button" onClick={refreshNow} disabled={refresh.state === 'busy'} data-testid="refresh-now">
        {refresh.state === 'busy' ? 'Refreshing…' : 'Refresh now'}
      </button>
      <a className="button" href={routeHref('overview')} data-testid="open-dashboard">
        Open dashboard
      </a>
      <span role="status" className="glance-status" data-testid="refresh-status">
        {refresh.state === 'done' ? 'Polling now: values update as each source answers.' : refresh.state === 'failed' ? refresh.message : ''}
      </span>
    </footer>
  );
}
