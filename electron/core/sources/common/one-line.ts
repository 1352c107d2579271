// Text an API sent, made fit for a status line: a proxy's HTML error page must not flood the status view.

export const ONE_LINE_LIMIT = 200;

/** The text without tags and runs of whitespace, cut to `limit` characters with "…". */
export function oneLine(text: string, limit = ONE_LINE_LIMIT): string {
  const flat = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > limit ? `${flat.slice(0, limit)}…` : flat;
}
