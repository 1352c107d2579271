// Settings fields every source has, described once.
import type { FieldSpec } from '../../../../shared/source-ui.js';

export function apiUrlField(placeholder: string, help: string): FieldSpec {
  return { key: 'apiUrl', label: 'API address', kind: 'url', placeholder, help };
}

export function intervalField(placeholder: string): FieldSpec {
  return { key: 'interval', label: 'Poll every', kind: 'duration', placeholder, help: `A duration such as 30s, 10m, 6h or 1h30m; empty means ${placeholder}.` };
}
