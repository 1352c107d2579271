// How the UI presents the user-defined JSON sources: the Settings form edits the list of entries
// (kind 'entries'), and the Overview has one card per entry with the metrics it defines.
import type { SourceUi } from '../../../../shared/source-ui.js';
import { ENTRY_TARGET_PREFIX } from './collect.js';
import { ENDPOINT_LABEL } from './config.js';
import type { HttpConfig } from './config.js';

export const httpUi: SourceUi = {
  form: {
    pitch: 'Follow a number from any JSON API (Hugging Face downloads, Discourse users, Homebrew installs…): give its address and a JMESPath expression that picks the number.',
    fields: [{ key: '', label: 'JSON sources', kind: 'entries', itemNoun: 'JSON source' }],
  },
  overview: { groupBy: ENDPOINT_LABEL, groupNoun: 'endpoint', metrics: [], sparse: true, groupTarget: ENTRY_TARGET_PREFIX },
};

/** The cards of this configuration: each entry's metrics, titled by their names, on the entry's card. */
export function httpUiFor(config: HttpConfig): SourceUi {
  return {
    ...httpUi,
    overview: { ...httpUi.overview, metrics: config.flatMap((entry) => entry.metrics.map((metric) => ({ metric: metric.name, title: metric.name }))) },
  };
}
