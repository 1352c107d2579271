// How the UI presents npm: its Settings form and its Overview cards.
import type { SourceUi } from '../../../../shared/source-ui.js';
import { apiUrlField, intervalField } from '../common/ui-fields.js';

export const npmUi: SourceUi = {
  form: {
    pitch: 'Add npm packages to follow their downloads.',
    fields: [
      { key: 'packages', label: 'Packages', kind: 'list', itemNoun: 'package', placeholder: 'left-pad or @scope/name' },
      apiUrlField('https://api.npmjs.org', 'Leave empty for npm’s.'),
      intervalField('6h'),
    ],
  },
  overview: {
    groupBy: 'package',
    groupNoun: 'package',
    metrics: [{ metric: 'npm_package_downloads', title: 'Downloads (7 days)', where: { period: 'last_week' } }],
  },
  history: {
    backfilled: ['npm_package_downloads'],
    note: 'Downloads are read back day by day to each package’s first downloads (npm counts them since 2015-01-10).',
  },
};
