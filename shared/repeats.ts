// Repeated messages said once with a count ("Cannot return null for … (× 54)"), in first-seen order:
// for logs and the screen, where 54 copies of one error hide everything else.

export interface CountedMessage {
  readonly message: string;
  readonly count: number;
}

export function countRepeats(messages: Iterable<string>): CountedMessage[] {
  const counts = new Map<string, number>();
  for (const message of messages) counts.set(message, (counts.get(message) ?? 0) + 1);
  return [...counts].map(([message, count]) => ({ message, count }));
}

/** "a (× 54); b": each distinct message once, with how often it came when more than once. */
export function collapseRepeats(messages: Iterable<string>, separator = '; '): string {
  return countRepeats(messages)
    .map(({ message, count }) => (count > 1 ? `${message} (× ${count.toLocaleString('en-US')})` : message))
    .join(separator);
}

export interface TargetsWithMessage {
  readonly message: string;
  readonly targets: readonly string[];
}

/** Targets that failed for the same reason, together, in first-seen order: one line for 54 alike failures. */
export function groupByMessage(items: readonly { readonly target: string; readonly message: string }[]): TargetsWithMessage[] {
  const groups = new Map<string, string[]>();
  for (const item of items) {
    const targets = groups.get(item.message);
    if (targets) targets.push(item.target);
    else groups.set(item.message, [item.target]);
  }
  return [...groups].map(([message, targets]) => ({ message, targets }));
}
