// The Settings form of a source: which keys of its config section the UI edits and how. Each source
// module declares it (SourceInfo.ui); keys the form does not know are kept as written.
import type { SourceInfo } from '../../shared/api.js';
import type { SourceForm } from '../../shared/source-ui.js';

export type { ChoiceSpec, FieldKind, FieldSpec, FlagSpec, SourceForm } from '../../shared/source-ui.js';

/** The form the source module declares; a source that declares none is edited in the file. */
export function sourceFormFor(source: Pick<SourceInfo, 'ui'>): SourceForm | null {
  return source.ui?.form ?? null;
}
