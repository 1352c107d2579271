// The Settings editor of a section that is a list of entries (the user-defined JSON sources, `http:`):
// add, edit and remove entries, their headers (secrets: masked, kept while left as they are) and
// their metrics (name, JMESPath expression, help, labels). The core's issues show on their entry.
import { useId } from 'react';
import { emptyEntry, emptyMetric, type EntryDraft, type HeaderDraft, type MetricDraft } from '../model/entries-form.js';
import type { FieldSpec } from '../model/settings-fields.js';
import { isStoredSecret, isVariableReference, type FieldIssue } from '../model/settings-form.js';

function replaced<T>(items: readonly T[], index: number, item: T): T[] {
  return items.map((current, position) => (position === index ? item : current));
}

function removed<T>(items: readonly T[], index: number): T[] {
  return items.filter((_, position) => position !== index);
}

function TextInput(props: {
  readonly label: string;
  readonly value: string;
  readonly onChange: (text: string) => void;
  readonly testId: string;
  readonly disabled: boolean;
  readonly placeholder?: string;
  readonly type?: 'text' | 'url' | 'password';
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type={props.type ?? 'text'}
        value={props.value}
        disabled={props.disabled}
        placeholder={props.placeholder}
        spellCheck={false}
        autoComplete={props.type === 'password' ? 'off' : undefined}
        onChange={(event) => props.onChange(event.target.value)}
        data-testid={props.testId}
      />
    </div>
  );
}

function HeaderRow(props: { readonly header: HeaderDraft; readonly testId: string; readonly disabled: boolean; readonly onChange: (header: HeaderDraft | null) => void }) {
  const { header, testId } = props;
  // A ${VAR} reference is a name, not a secret: shown as text.
  const masked = !isVariableReference(header.value);
  return (
    <div className="entry-row" data-testid={testId}>
      <TextInput label="Header" value={header.name} placeholder="Authorization" disabled={props.disabled} testId={`${testId}-name`} onChange={(name) => props.onChange({ ...header, name })} />
      <TextInput label="Value (kept secret)" type={masked ? 'password' : 'text'} value={header.value} placeholder="Bearer ${MY_TOKEN}" disabled={props.disabled} testId={`${testId}-value`} onChange={(value) => props.onChange({ ...header, value })} />
      {isStoredSecret(header.value) ? <span className="hint">Stored: leave it to keep it; it is only sent to this address.</span> : null}
      <button type="button" disabled={props.disabled} onClick={() => props.onChange(null)} data-testid={`${testId}-remove`}>Remove header</button>
    </div>
  );
}

function MetricRow(props: { readonly metric: MetricDraft; readonly testId: string; readonly disabled: boolean; readonly onChange: (metric: MetricDraft | null) => void }) {
  const { metric, testId } = props;
  return (
    <div className="entry-row" data-testid={testId}>
      <TextInput label="Metric name" value={metric.name} placeholder="homebrew_installs_30d" disabled={props.disabled} testId={`${testId}-name`} onChange={(name) => props.onChange({ ...metric, name })} />
      <TextInput label="Value (JMESPath)" value={metric.value} placeholder={'analytics.install."30d".wget'} disabled={props.disabled} testId={`${testId}-value`} onChange={(value) => props.onChange({ ...metric, value })} />
      <TextInput label="Description" value={metric.help} placeholder="Installs in the last 30 days" disabled={props.disabled} testId={`${testId}-help`} onChange={(help) => props.onChange({ ...metric, help })} />
      <TextInput label="Labels" value={metric.labels} placeholder="formula=wget" disabled={props.disabled} testId={`${testId}-labels`} onChange={(labels) => props.onChange({ ...metric, labels })} />
      <button type="button" disabled={props.disabled} onClick={() => props.onChange(null)} data-testid={`${testId}-remove`}>Remove metric</button>
    </div>
  );
}

function EntryEditor(props: { readonly entry: EntryDraft; readonly index: number; readonly testId: string; readonly issues: readonly FieldIssue[]; readonly disabled: boolean; readonly onChange: (entry: EntryDraft | null) => void }) {
  const { entry, testId, disabled } = props;
  const change = (patch: Partial<EntryDraft>) => props.onChange({ ...entry, ...patch });
  return (
    <fieldset className="field entry" data-testid={testId}>
      <legend>{entry.name.trim() === '' ? `JSON source ${props.index + 1}` : entry.name}</legend>
      {props.issues.length > 0 ? (
        <ul className="field-issue" role="alert" data-testid={`${testId}-issues`}>
          {props.issues.map((issue, position) => (
            <li key={position}>{issue.at ? `${issue.at}: ${issue.message}` : issue.message}</li>
          ))}
        </ul>
      ) : null}
      <TextInput label="Name" value={entry.name} placeholder="homebrew" disabled={disabled} testId={`${testId}-name`} onChange={(name) => change({ name })} />
      <TextInput label="Address of the JSON" type="url" value={entry.url} placeholder="https://formulae.brew.sh/api/formula/wget.json" disabled={disabled} testId={`${testId}-url`} onChange={(url) => change({ url })} />
      <TextInput label="Poll every" value={entry.interval} placeholder="1h" disabled={disabled} testId={`${testId}-interval`} onChange={(interval) => change({ interval })} />
      {entry.headers.map((header, position) => (
        <HeaderRow key={position} header={header} disabled={disabled} testId={`${testId}-header-${position}`} onChange={(next) => change({ headers: next === null ? removed(entry.headers, position) : replaced(entry.headers, position, next) })} />
      ))}
      <button type="button" disabled={disabled} onClick={() => change({ headers: [...entry.headers, { name: '', value: '' }] })} data-testid={`${testId}-add-header`}>Add header</button>
      {entry.metrics.map((metric, position) => (
        <MetricRow key={position} metric={metric} disabled={disabled} testId={`${testId}-metric-${position}`} onChange={(next) => change({ metrics: next === null ? removed(entry.metrics, position) : replaced(entry.metrics, position, next) })} />
      ))}
      <button type="button" disabled={disabled} onClick={() => change({ metrics: [...entry.metrics, emptyMetric()] })} data-testid={`${testId}-add-metric`}>Add metric</button>
      <button type="button" className="danger" disabled={disabled} onClick={() => props.onChange(null)} data-testid={`${testId}-remove`}>Remove this JSON source</button>
    </fieldset>
  );
}

export function EntriesEditor(props: {
  readonly field: FieldSpec;
  readonly entries: readonly EntryDraft[];
  readonly testId: string;
  readonly issues: readonly FieldIssue[];
  readonly disabled: boolean;
  readonly onChange: (entries: readonly EntryDraft[]) => void;
}) {
  const { entries, testId } = props;
  const noun = props.field.itemNoun ?? 'entry';
  const whole = props.issues.filter((issue) => issue.index === null);
  return (
    <div className="entries" data-testid={testId}>
      {whole.length > 0 ? <p className="field-issue" role="alert">{whole.map((issue) => issue.message).join(' ')}</p> : null}
      {entries.map((entry, index) => (
        <EntryEditor
          key={index}
          entry={entry}
          index={index}
          testId={`${testId}-${index}`}
          issues={props.issues.filter((issue) => issue.index === index)}
          disabled={props.disabled}
          onChange={(next) => props.onChange(next === null ? removed(entries, index) : replaced(entries, index, next))}
        />
      ))}
      <button type="button" disabled={props.disabled} onClick={() => props.onChange([...entries, emptyEntry()])} data-testid={`${testId}-add`}>
        Add a {noun}
      </button>
    </div>
  );
}
