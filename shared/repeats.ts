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
