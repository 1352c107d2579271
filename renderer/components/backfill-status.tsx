// One source's history in Health: how far its backfill got (tasks, units, requests, time left), what
// could not be read and why, Pause/Resume/Re-run, and the source's note on what its charts hold of the
// past. The buttons only ask; the `backfill` event that follows shows the result.
import { useState } from 'react';
import type { BackfillProgress } from '../../shared/api.js';
import type { SourceHistory } from '../../shared/source-ui.js';
import { errorMessage } from '../api/errors.js';
import { formatExact, formatRelative } from '../format.js';
import { BACKFILL_STATE_TEXT } from '../model/backfill-progress.js';
import { useClient } from './client-context.js';
import { Figure, RelativeTime } from './figures.js';

export function BackfillStatus(props: { readonly progress: BackfillProgress | null; readonly history: SourceHistory | null; readonly now: number }) {
  const { progress, history, now } = props;
  if (progress === null && history === null) return null;
  return (
    <section className="backfill" data-testid="backfill" data-state={progress?.state ?? 'none'} aria-label="History">
      <h3>History</h3>
      {history ? (
        <p className="hint" data-testid="history-note">
          {history.note}
        </p>
      ) : null}
      {progress ? <BackfillProgressView progress={progress} now={now} /> : null}
    </section>
  );
}

function BackfillProgressView(props: { readonly progress: BackfillProgress; readonly now: number }) {
  const client = useClient();
  const { progress, now } = props;
  const [action, setAction] = useState<{ busy: boolean; message: string | null }>({ busy: false, message: null });
  const run = (what: 'pauseBackfill' | 'resumeBackfill' | 'rerunBackfill') => {
    setAction({ busy: true, message: null });
    client[what](progress.source).then(
      () => setAction({ busy: false, message: what === 'rerunBackfill' ? 'Reading the history again.' : null }),
      (error: unknown) => setAction({ busy: false, message: errorMessage(error) }),
    );
  };
  const { tasks, units } = progress;
  const unavailable = progress.problems.filter((problem) => problem.state === 'unavailable');
  const failed = progress.problems.filter((problem) => problem.state === 'failed');
  return (
    <>
      <dl className="facts">
        <dt>Backfill</dt>
        <dd data-testid="backfill-state">
          {BACKFILL_STATE_TEXT[progress.state]}
          {progress.paused && progress.state !== 'paused' ? ' (paused)' : ''}
          {progress.resumeAt !== null && progress.state !== 'done' ? (
            <>
              {' '}· goes on <RelativeTime time={progress.resumeAt} now={now} />
            </>
          ) : null}
        </dd>
        <dt>Tasks</dt>
        <dd data-testid="backfill-tasks">
          {formatExact(tasks.done)} of {formatExact(tasks.total)} done
          {tasks.unavailable > 0 ? ` · ${formatExact(tasks.unavailable)} unavailable` : ''}
          {tasks.failed > 0 ? ` · ${formatExact(tasks.failed)} failed` : ''}
        </dd>
        <dt>Read</dt>
        <dd data-testid="backfill-units">
          <Figure value={units.done} />
          {units.total !== null ? (
            <>
              {' '}of <Figure value={units.total} />
            </>
          ) : (
            ' so far'
          )}
        </dd>
        <dt>Time left</dt>
        {/* Nothing planned yet (before the first successful poll): no time left can be told, not "about now". */}
        <dd data-testid="backfill-eta">{progress.state === 'done' ? 'none' : progress.etaMs === null || tasks.total === 0 ? 'not known yet' : `about ${formatRelative(now + progress.etaMs, now).replace(/^in /, '')}`}</dd>
        <dt>Requests spent</dt>
        <dd data-testid="backfill-requests">{formatExact(progress.requests)}</dd>
      </dl>
      {/* Waiting for a poll, the state line above says all the message would. */}
      {progress.message && progress.state !== 'waiting-for-poll' ? (
        <p className="hint" data-testid="backfill-message">
          {progress.message}
        </p>
      ) : null}
      {progress.problems.length > 0 ? (
        <details open={progress.problems.length <= 3}>
          <summary>
            {problemSummary(unavailable.length, failed.length, progress.moreProblems)}
          </summary>
          <ul className="failed-targets" data-testid="backfill-problems">
            {progress.problems.map((problem) => (
              <li key={problem.task} data-state={problem.state}>
                <strong>{problem.title}</strong>: {problem.reason}
                {problem.state === 'failed' && problem.retryAt !== null ? (
                  <span className="hint">
                    {' '}(tried again <RelativeTime time={problem.retryAt} now={now} />)
                  </span>
                ) : null}
              </li>
            ))}
            {progress.moreProblems > 0 ? <li>and {formatExact(progress.moreProblems)} more</li> : null}
          </ul>
        </details>
      ) : null}
      <div className="row-actions">
        <button
          type="button"
          disabled={action.busy}
          onClick={() => run(progress.paused ? 'resumeBackfill' : 'pauseBackfill')}
          data-testid={progress.paused ? 'resume-backfill' : 'pause-backfill'}
        >
          {progress.paused ? 'Resume backfill' : 'Pause backfill'}
        </button>
        <button type="button" disabled={action.busy} onClick={() => run('rerunBackfill')} data-testid="rerun-backfill">
          Re-run backfill
        </button>
        <span role="status" className="hint">
          {action.message ?? ''}
        </span>
      </div>
    </>
  );
}

function problemSummary(unavailable: number, failed: number, more: number): string {
  const parts: string[] = [];
  if (unavailable > 0) parts.push(`${formatExact(unavailable)} could not be read`);
  if (failed > 0) parts.push(`${formatExact(failed)} failed`);
  const text = parts.join(', ');
  return more > 0 ? `${text} (and ${formatExact(more)} more)` : text;
}
