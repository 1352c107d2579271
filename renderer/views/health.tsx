// Health: per source, its state, last success, next poll, last error in plain words, failed targets,
// API budget left and consecutive failures; pause/resume and refresh per source. Rows change with
// `health` events; the buttons only ask, the event that follows shows the result. Below each source,
// its history: backfill progress (live from `backfill` events) and what its charts hold of the past.
// Below the sources, the remote-write receivers (live from `remoteWrite` events), when any is configured.
import { useState } from 'react';
import type { BackfillProgress, RemoteWriteStatus, SourceHealth, SourceInfo } from '../../shared/api.js';
import { errorMessage } from '../api/errors.js';
import { BackfillStatus } from '../components/backfill-status.js';
import { useClient } from '../components/client-context.js';
import { RelativeTime } from '../components/figures.js';
import { HealthBadge } from '../components/health-badge.js';
import { ErrorNotice, Loading } from '../components/status.js';
import { formatDuration } from '../../shared/duration.js';
import { formatDateTime, formatExact } from '../format.js';
import { useLiveEvents } from '../hooks/use-live-events.js';
import { useLoad } from '../hooks/use-load.js';
import { useNow } from '../hooks/use-now.js';
import { applyBackfill } from '../model/backfill-progress.js';
import { applyHealth } from '../model/health-status.js';
import { useSourceStatus } from '../hooks/use-source-status.js';
import { statusDetail } from '../../shared/source-status.js';
import { routeHref } from '../routing.js';
import { groupByMessage } from '../../shared/repeats.js';

/** "repo:a/x, repo:a/y, repo:a/z and 51 more". */
function namedTargets(targets: readonly string[]): string {
  const shown = targets.slice(0, 3).join(', ');
  return targets.length > 3 ? `${shown} and ${formatExact(targets.length - 3)} more` : shown;
}

const STATE_TEXT: Readonly<Record<SourceHealth['state'], string>> = {
  idle: 'waiting for the next poll',
  running: 'polling now',
  paused: 'paused',
  backoff: 'backing off after failures',
  stopped: 'stopped',
};

export function HealthView() {
  const client = useClient();
  const { load, reload, update } = useLoad(() => client.health(), [client]);
  // History is extra: when it cannot be loaded, the health rows still show.
  const history = useLoad(async () => {
    const [progress, sources] = await Promise.all([client.backfill(), client.sources()]);
    return { progress, sources };
  }, [client]);
  // Receivers are extra too: the source rows show whether or not they load.
  const receivers = useLoad(() => client.remoteWrite(), [client]);
  useLiveEvents((event) => {
    if (event.type === 'health') update((list) => applyHealth(list, event.health));
    if (event.type === 'remoteWrite') receivers.update((list) => (list.some((item) => item.name === event.status.name) ? list.map((item) => (item.name === event.status.name ? event.status : item)) : [...list, event.status]));
    if (event.type === 'backfill') history.update((data) => ({ ...data, progress: applyBackfill(data.progress, event.progress) }));
    if (event.type === 'config') history.update((data) => ({ ...data, sources: [...event.sources] }));
  });
  const historyData = history.load.status === 'ready' ? history.load.data : { progress: [], sources: [] };
  const now = useNow(15_000);

  if (load.status === 'loading') return <Loading what="source health" />;
  if (load.status === 'error') return <ErrorNotice error={load.error} onRetry={reload} />;
  return (
    <section className="health" aria-labelledby="health-title">
      <h1 id="health-title">Health</h1>
      {load.data.length === 0 ? (
        <p data-testid="health-empty">
          No source is configured, so nothing is polled. <a href={routeHref('settings')}>Add one in Settings.</a>
        </p>
      ) : (
        <div className="health-list">
          {load.data.map((health) => (
            <HealthRow
              key={health.id}
              health={health}
              now={now}
              backfill={historyData.progress.find((progress) => progress.source === health.id) ?? null}
              source={historyData.sources.find((source) => source.id === health.id) ?? null}
            />
          ))}
        </div>
      )}
      {receivers.load.status === 'ready' && receivers.load.data.length > 0 ? <RemoteWriteList receivers={receivers.load.data} now={now} /> : null}
    </section>
  );
}

/** The remoteWrite receivers: how far each has been sent, its last success and, after a failure, why and when it is tried again. */
function RemoteWriteList(props: { readonly receivers: readonly RemoteWriteStatus[]; readonly now: number }) {
  const { now } = props;
  return (
    <section className="health-list" aria-labelledby="remote-write-title">
      <h2 id="remote-write-title">Remote write</h2>
      {props.receivers.map((receiver) => (
        <article key={receiver.name} className="health-row" data-testid="remote-write-row" data-remote={receiver.name} aria-label={`remote write to ${receiver.name}`}>
          <header>
            <h3>{receiver.name}</h3>
            <span className="hint">{receiver.url}</span>
          </header>
          <dl className="facts">
            <dt>Sent up to</dt>
            <dd data-testid="remote-write-sent-until">
              <RelativeTime time={receiver.sentUntil} now={now} never="nothing yet" />
            </dd>
            <dt>Last success</dt>
            <dd data-testid="remote-write-last-success">
              <RelativeTime time={receiver.lastSuccessAt} now={now} />
            </dd>
          </dl>
          {receiver.lastError ? (
            <p className="notice notice-error" data-testid="remote-write-error">
              {receiver.lastError}
              {receiver.retryAt !== null ? (
                <span className="hint">
                  {' '}(tried again <RelativeTime time={receiver.retryAt} now={now} />; the values wait in the history)
                </span>
              ) : null}
            </p>
          ) : null}
        </article>
      ))}
    </section>
  );
}

function HealthRow(props: { readonly health: SourceHealth; readonly now: number; readonly backfill: BackfillProgress | null; readonly source: SourceInfo | null }) {
  const client = useClient();
  const { health, now } = props;
  const status = useSourceStatus(15_000)(health);
  const [action, setAction] = useState<{ busy: boolean; message: string | null }>({ busy: false, message: null });
  const paused = health.state === 'paused' || health.state === 'stopped';
  const run = (what: 'pause' | 'resume' | 'refresh') => {
    setAction({ busy: true, message: null });
    client[what](health.id).then(
      () => setAction({ busy: false, message: what === 'refresh' ? 'Polling now.' : null }),
      (error: unknown) => setAction({ busy: false, message: errorMessage(error) }),
    );
  };
  const budget = health.apiBudget;
  return (
    <article className="health-row" data-testid="health-row" data-source={health.id} data-state={health.state} aria-labelledby={`health-${health.id}`}>
      <header>
        <h2 id={`health-${health.id}`}>{health.title}</h2>
        <HealthBadge status={status} detail={statusDetail(health, status)} />
        <span className="hint" data-testid="health-state">
          {STATE_TEXT[health.state]}
        </span>
      </header>
      <dl className="facts">
        <dt>Last success</dt>
        <dd data-testid="health-last-success">
          <RelativeTime time={health.lastSuccessAt} now={now} />
        </dd>
        <dt>Next poll</dt>
        <dd>{paused ? 'when resumed' : <RelativeTime time={health.nextRunAt} now={now} never="not scheduled" />}</dd>
        <dt>Interval</dt>
        <dd>every {formatDuration(health.intervalMs)}</dd>
        <dt>Failures in a row</dt>
        <dd data-testid="health-failures">{health.consecutiveFailures}</dd>
        <dt>API budget left</dt>
        <dd data-testid="health-budget">
          {budget ? (
            <>
              {/* Exact, not compact ("4,972 of 5,000", not "5K of 5K"): a budget is read to the unit. */}
              <span title={formatExact(budget.remaining)}>{formatExact(budget.remaining)}</span> of <span title={formatExact(budget.limit)}>{formatExact(budget.limit)}</span>
              {budget.resetAt !== null ? (
                <>
                  {' '}· resets <RelativeTime time={budget.resetAt} now={now} />
                </>
              ) : null}
            </>
          ) : (
            'not reported'
          )}
        </dd>
      </dl>
      {health.budgetWarning ? (
        <p className="notice notice-warning" data-testid="health-budget-warning">
          {health.budgetWarning}
        </p>
      ) : null}
      {health.lastError ? (
        <p className="notice notice-error" data-testid="health-error">
          {health.lastError}
          {health.lastRunAt !== null ? <span className="hint"> ({formatDateTime(health.lastRunAt)})</span> : null}
        </p>
      ) : null}
      {health.failedTargets.length > 0 ? (
        <details open={health.failedTargets.length <= 3}>
          <summary>
            {formatExact(health.failedTargets.length)} target{health.failedTargets.length === 1 ? '' : 's'} failed
          </summary>
          <ul className="failed-targets" data-testid="health-failed-targets">
            {/* Targets that failed for the same reason share one line, counted (× 54). */}
            {groupByMessage(health.failedTargets).map((group) => (
              <li key={group.targets[0]}>
                <strong>{namedTargets(group.targets)}</strong>
                {group.targets.length > 1 ? ` (× ${formatExact(group.targets.length)})` : ''}: {group.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {health.notes && health.notes.length > 0 ? (
        <details open={health.notes.length <= 3}>
          <summary>
            {formatExact(health.notes.length + (health.moreNotes ?? 0))} note{health.notes.length + (health.moreNotes ?? 0) === 1 ? '' : 's'} (not failures)
          </summary>
          <ul className="failed-targets" data-testid="health-notes">
            {health.notes.map((note) => (
              <li key={note.target}>
                <strong>{note.target}</strong>: {note.message}
              </li>
            ))}
            {health.moreNotes ? <li>and {formatExact(health.moreNotes)} more</li> : null}
          </ul>
        </details>
      ) : null}
      <div className="row-actions">
        <button type="button" disabled={action.busy} onClick={() => run(paused ? 'resume' : 'pause')} data-testid={paused ? 'resume-source' : 'pause-source'}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" disabled={action.busy || paused} onClick={() => run('refresh')} data-testid="refresh-source">
          Refresh now
        </button>
        <span role="status" className="hint">
          {action.message ?? ''}
        </span>
      </div>
      <BackfillStatus progress={props.backfill} history={props.source?.ui?.history ?? null} now={now} />
    </article>
  );
}
