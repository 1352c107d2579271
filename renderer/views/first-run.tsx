// What the app shows before any source is configured: what to add, and why.
import type { SourceInfo } from '../../shared/api.js';
import { sourceFormFor } from '../model/settings-fields.js';
import { routeHref } from '../routing.js';

export function FirstRun(props: { readonly sources: readonly SourceInfo[]; readonly compact?: boolean }) {
  return (
    <section className="first-run" data-testid="first-run" aria-labelledby="first-run-title">
      <h2 id="first-run-title">Nothing to show yet</h2>
      <p>Footprint follows your projects’ numbers over time once you tell it what to watch.</p>
      {props.compact ? null : (
        <ul>
          {props.sources.map((source) => {
            const form = sourceFormFor(source);
            return (
              <li key={source.id}>
                <strong>{source.title}:</strong> {form?.pitch ?? `Add a ${source.title} section to the configuration file.`}
              </li>
            );
          })}
        </ul>
      )}
      <p>
        <a className="button primary" href={routeHref('settings')} data-testid="first-run-settings">
          Open Settings to add a source
        </a>
      </p>
    </section>
  );
}
