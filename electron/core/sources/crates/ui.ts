// How the UI presents crates.io: its Settings form and its Overview cards.
import type { SourceUi } from '../../../../shared/source-ui.js';
import { apiUrlField, intervalField } from '../common/ui-fields.js';

export const cratesUi: SourceUi = {
  form: {
    pitch: 'Add Rust crates to follow their downloads on crates.io.',
    fields: [
      { key: 'crates', label: 'Crates', kind: 'list', itemNoun: 'crate', placeholder: 'serde' },
      apiUrlField('https://crates.io', 'Leave empty for crates.io.'),
      intervalField('1d'),
    ],
  },
  overview: {
    groupBy: 'crate',
    groupNoun: 'crate',
    metrics: [
      { metric: 'crates_recent_downloads', title: 'Downloads (90 days)' },
      { metric: 'crates_downloads_total', title: 'Downloads (all time)' },
    ],
  },
  history: {
    backfilled: ['crates_downloads_daily'],
    note: 'Downloads per day are read back for the last 90 days, all crates.io lists; the totals start at the first poll.',
  },
};
