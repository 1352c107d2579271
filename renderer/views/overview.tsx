// Overview: a card per owner / namespace / property / package with its totals, their change over
// 24 h / 7 d / 30 d and a 30-day sparkline, biggest movers first. The core composes the cards
// (overview(): about a hundred cards travel, not every series); they are read again after each
// poll's samples, a configuration change and stored history that changed (once per burst).
// A history younger than a window shows "–" for that change with where history starts, and the
// sparklines cover the history there is (since it starts, at most 30 days).
import { useMemo } from 'react';
import type { LiveEvent, SourceHealth, SourceInfo } from '../../shared/api.js';
import type { FootprintClient } from '../api/footprint-client.js';
import { useClient } from '../components/client-context.js';
import { Delta, Figure } from '../components/figures.js';
import { formatDateTime, formatMoment } from '../format.js';
import { HealthBadge } from '../components/health-badge.js';
import { Sparkline } from '../components/sparkline.js';
import { ErrorNotice, Loading } from '../components/status.js';
import { useHistoryChanges } from '../hooks/use-history-changes.js';
import { useLiveEvents } from '../hooks/use-live-events.js';
import { useLoad } from '../hooks/use-load.js';
import { useNow } from '../hooks/use-now.js';
import { applyHealth } from '../model/health-status.js';
import { useSourceStatus } from '../hooks/use-source-status.js';
import { SOURCE_STATUS_TEXT, statusDetail } from '../../shared/source-status.js';
import { metricTitle } from '../../shared/names.js';
import { CHANGE_WINDOWS, TREND_DAYS, type OverviewCardWithTrend } from '../../shared/overview.js';
import { cardStatus, type CardStatus, withCurrent } from '../model/overview.js';
import { usePins } from '../model/pins.js';
import { DAY_MS } from '../../shared/series-book.js';
import { formatTotalRef } from '../model/totals.js';
import { routeHref } from '../routing.js';
import { FirstRun } from './first-run.js';

export interface OverviewData {
  readonly sources: readonly SourceInfo[];
  readonly health: readonly SourceHealth[];
  /** Biggest movers first, each with its sparkline. */
  readonly cards: readonly OverviewCardWithTrend[];
}

export async function loadOverview(client: FootprintClient): Promise<OverviewData> {
  const [sources, health, overview] = await Promise.all([client.sources(), client.health(), client.overview()]);
  return { sources, health, cards: overview.cards };
}

/** The data after a live event that changes it in place (the others read the cards again). */
export function applyOverviewEvent(data: OverviewData, event: LiveEvent): OverviewData {
  switch (event.type) {
    case 'health':
      return { ...data, health: applyHealth(data.health, event.health) };
    case 'config':
      return { ...data, sources: event.sources };
    case 'samples':
    case 'backfill':
    case 'remoteWrite':
    case 'history':
      return data;
  }
}

export function OverviewView() {
  const client = useClient();
  const { load, reload, update, refresh } = useLoad(() => loadOverview(client), [client]);
  // Backfilled history moves change figures and sparklines: they are read again, not left as loaded.
  const historyChanged = useHistoryChanges(() => true, refresh);
  useLiveEvents((event) => {
    if (event.type === 'history') return historyChanged(event);
    update((data) => applyOverviewEvent(data, event));
    // A poll's new values and a changed configuration change the cards: the core composes them again.
    if (event.type === 'samples' || event.type === 'config') refresh();
  });

  if (load.status === 'loading') return <Loading what="your footprint" />;
  if (load.status === 'error') return <ErrorNotice error={load.error} onRetry={reload} />;
  return <OverviewContent data={load.data} />;
}

function OverviewContent(props: { readonly data: OverviewData }) {
  const { sources, health } = props.data;
  const { pins, toggle } = usePins();
  const statusOf = useSourceStatus();
  // One clock for every card (not a timer each): their "since" and "history starts" read it.
  const now = useNow();
  const configured = sources.filter((source) => source.configured);
  // A source no longer configured keeps no card while the cards are read again.
  const cards = props.data.cards.filter((card) => configured.some((source) => source.id === card.source));
  // Every configured source shows: one without a card yet gets a card saying why.
  const statuses = new Map(
    configured.map((source) => {
      const sourceHealth = health.find((item) => item.id === source.id);
      const kind = sourceHealth ? statusOf(sourceHealth) : null;
      return [source.id, { kind, detail: sourceHealth && kind ? statusDetail(sourceHealth, kind) : null }] as const;
    }),
  );
  const withoutCards = configured.filter((source) => !cards.some((card) => card.source === source.id));

  if (configured.length === 0) return <FirstRun sources={sources} />;

  return (
    <div className="overview">
      <h1 className="sr-only">Overview</h1>
      <ul className="source-strip" aria-label="Sources">
        {configured.map((source) => {
          const status = statuses.get(source.id);
          return (
            <li key={source.id} data-testid="source-summary" data-source={source.id}>
              <a href={routeHref('health')}>{source.title}</a> {status?.kind ? <HealthBadge status={status.kind} detail={status.detail} /> : null}
            </li>
          );
        })}
      </ul>
      {cards.length === 0 && [...statuses.values()].every((status) => status.kind === null || status.kind === 'waiting') ? (
        <p className="notice" data-testid="overview-waiting">
          No values yet: the first poll of {configured.map((source) => source.title).join(', ')} has not finished. Cards appear as soon as it does; see{' '}
          <a href={routeHref('health')}>Health</a> for progress.
        </p>
      ) : (
        <div className="cards">
          {withoutCards.map((source) => (
            <SourceStatusCard key={source.id} title={source.title} status={statuses.get(source.id)!} />
          ))}
          {cards.map((card) => (
            <OverviewCardView
              key={card.key}
              card={card}
              pinned={pins.includes(card.key)}
              onTogglePin={() => toggle(card.key)}
              now={now}
              status={cardStatus(sources.find((source) => source.id === card.source)!, card.group, statuses.get(card.source) ?? { kind: null, detail: null }, health.find((item) => item.id === card.source)?.failedTargets ?? [])}
            />
          ))}
        </div>
      )}
    </div>
  );
}


/** A configured source with no figures (its first poll failed, or has not finished): its status and error. */
function SourceStatusCard(props: { readonly title: string; readonly status: CardStatus }) {
  const { kind, detail } = props.status;
  return (
    <article className="card" data-testid="source-card" data-status={kind ?? 'waiting'} aria-label={props.title}>
      <header className="card-header">
        <h2 className="card-title">{props.title}</h2>
        {kind ? <HealthBadge status={kind} detail={detail} /> : null}
      </header>
      <p className={kind === 'failed' || kind === 'partial' ? 'source-problem' : 'hint'} data-testid="source-card-message">
        {detail ?? (kind === 'waiting' || kind === null ? 'No values yet: the first poll has not finished.' : `No values yet (${SOURCE_STATUS_TEXT[kind]}).`)}
      </p>
      <a className="card-link" href={routeHref('health')}>
        Open in Health
      </a>
    </article>
  );
}

/** On a card whose source is not ok: its status and why, so a failing source is seen where its figures are. */
function CardStatusLine(props: { readonly status: CardStatus }) {
  const { kind, detail } = props.status;
  // Offline is said once per source (the source line), not on every card; paused is the user's choice.
  if (kind === null || kind === 'ok' || kind === 'waiting' || kind === 'offline' || kind === 'paused') return null;
  return (
    <p className="source-problem" data-testid="card-status" data-status={kind}>
      <HealthBadge status={kind} detail={detail} /> {detail}
    </p>
  );
}

function OverviewCardView(props: {
  readonly card: OverviewCardWithTrend;
  readonly pinned: boolean;
  readonly onTogglePin: () => void;
  readonly status: CardStatus;
  readonly now: number;
}) {
  const { card, now } = props;
  const main = card.figures[0];
  // Where the card's history starts, when some change cannot be told yet because of it.
  const historyStart = card.figures.flatMap((figure) => figure.changes.map((change) => change.historyStart)).find((start) => start !== null) ?? null;
  // The sparkline covers the history there is: "since <start>" when that is less than its 30 days.
  const trendSince = card.historyStart !== null && card.historyStart > now - TREND_DAYS * DAY_MS ? card.historyStart : null;
  const trend = useMemo(() => (main ? withCurrent(card.trend, card.lastSeen, main.total) : null), [main, card]);
  const headingId = `card-${card.key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  return (
    <article className="card" data-testid="overview-card" data-card={card.key} aria-labelledby={headingId}>
      <header className="card-header">
        <h2 id={headingId} className="card-title">
          {card.group}
        </h2>
        <span className="card-subtitle">
          {card.sourceTitle} {card.groupNoun}
        </span>
        <button
          type="button"
          className="pin"
          aria-pressed={props.pinned}
          aria-label={props.pinned ? `Unpin ${card.group}` : `Pin ${card.group} to the glance view`}
          title={props.pinned ? 'Pinned to the glance view' : 'Pin to the glance view'}
          onClick={props.onTogglePin}
          data-testid="pin-card"
        >
          {props.pinned ? '★' : '☆'}
        </button>
      </header>
      <CardStatusLine status={props.status} />
      {card.figures.map((figure, index) => (
        <div key={figure.metric} className={index === 0 ? 'figure figure-main' : 'figure'} data-metric={figure.metric}>
          <span className="figure-title">{figure.title}</span>
          <Figure value={figure.total} className="figure-value" testId={index === 0 ? 'card-total' : 'card-figure'} />
          <span className="figure-changes">
            {figure.changes.map((change) => (
              <Delta
                key={change.windowMs}
                delta={change.delta}
                base={change.base}
                historyStart={change.historyStart}
                label={CHANGE_WINDOWS.find((window) => window.ms === change.windowMs)?.label ?? ''}
                testId={`card-change-${change.windowMs}`}
              />
            ))}
          </span>
        </div>
      ))}
      {historyStart !== null ? (
        <p className="history-start hint" title={formatDateTime(historyStart)} data-testid="card-history-start">
          history starts {formatMoment(historyStart, now)}
        </p>
      ) : null}
      {main && trend ? (
        <Sparkline trend={trend} label={`${metricTitle(main.metric)} of ${card.group} ${trendSince !== null ? `since ${formatMoment(trendSince, now)}` : `over the last ${TREND_DAYS} days`}`} />
      ) : null}
      {main && main.seriesIds.length > 0 ? (
        <a className="card-link" href={routeHref('details', { totals: formatTotalRef({ source: card.source, group: card.group, metric: main.metric }), metric: main.metric })}>
          Open in Details
        </a>
      ) : null}
    </article>
  );
}
