// How the UI presents a source, declared by the source module itself so that a new source needs no
// UI change: the Settings form (which config keys, how edited) and the Overview cards (which figures,
// grouped by which label). Plain data: it travels to the renderer inside SourceInfo.
import type { Labels } from './metrics.js';

/**
 * 'entries': the whole section is a list of entries, each with its own keys (the user-defined JSON
 * sources, `http:`); its key is '' and the Settings window edits the list with its own editor.
 */
export type FieldKind = 'list' | 'text' | 'url' | 'secret' | 'duration' | 'path' | 'flags' | 'choice' | 'entries';

/** One option of a 'choice' field: chosen when the section has any of its keys; the others' keys are dropped on save. */
export interface ChoiceSpec {
  readonly value: string;
  readonly label: string;
  /** Top-level keys of the section that belong to this option. */
  readonly keys: readonly string[];
}

export interface FlagSpec {
  readonly key: string;
  readonly label: string;
  /** The schema's default, so an untouched flag group is not written into the file. */
  readonly default: boolean;
}

export interface FieldSpec {
  readonly key: string;
  readonly label: string;
  readonly kind: FieldKind;
  readonly help?: string;
  readonly placeholder?: string;
  /** A key file the browser can upload (FootprintApi.uploadKeyFile) instead of a path typed on the server; what the file picker offers. */
  readonly upload?: { readonly accept: string; readonly label: string };
  /** A secret's usual environment variable ("GITHUB_TOKEN"), suggested as a `${VAR}` reference. */
  readonly variable?: string;
  /** What one entry of a list is called ("organization"). */
  readonly itemNoun?: string;
  readonly flags?: readonly FlagSpec[];
  /** A 'choice' field's options: a form-only field (its key is not written) choosing which fields show. */
  readonly choices?: readonly ChoiceSpec[];
  /** Shown (and saved) only while the 'choice' field `field` has `value`. */
  readonly showWhen?: { readonly field: string; readonly value: string };
}

export interface SourceForm {
  /** Why one would add the source, for the first-run screen and an unconfigured source. */
  readonly pitch: string;
  readonly fields: readonly FieldSpec[];
}

export interface HeadlineMetric {
  readonly metric: string;
  /** What the total is called on a card, e.g. "Stars". */
  readonly title: string;
  /** Only series whose labels match these (e.g. one period of a rolling count) are summed. */
  readonly where?: Labels;
}

export interface HeadlineSpec {
  /** The label whose values become cards. */
  readonly groupBy: string;
  /** What one card stands for, e.g. "owner". */
  readonly groupNoun: string;
  /** The first is the card's main figure (sparkline, sort order). */
  readonly metrics: readonly HeadlineMetric[];
  /**
   * A card shows only the figures its group has series of (user-defined sources, whose entries each
   * define their own metrics); otherwise every card shows every figure, 0 when its group has none.
   */
  readonly sparse?: boolean;
  /**
   * When the source's targets are its groups: a group's failed targets are named this prefix and the
   * group ("http/homebrew", maybe followed by " metric"). A partly failing source then marks only the
   * cards whose own targets failed; without it, every card of the source shows the source's status.
   */
  readonly groupTarget?: string;
}

/** What a source's charts hold of the time before Footprint first polled it. */
export interface SourceHistory {
  /** Metrics whose past the source reads back (backfill); the others start at the first poll. Empty: none. */
  readonly backfilled: readonly string[];
  /** One sentence for the UI beside the source's charts: what is read back, what is not, and why. */
  readonly note: string;
}

export interface SourceUi {
  readonly form: SourceForm;
  readonly overview: HeadlineSpec;
  readonly history?: SourceHistory;
}
