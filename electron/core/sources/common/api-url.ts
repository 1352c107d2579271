// The `apiUrl` key every source has: an http(s) base URL (loopback fakes, proxies and on-prem servers included).
import { z } from 'zod';

/** An http(s) base URL without query or fragment; `hint` completes "… is not an http(s) base URL: use …". */
export function apiUrlSchema(hint: string) {
  return z
    .string()
    .trim()
    .superRefine((text, ctx) => {
      const url = URL.canParse(text) ? new URL(text) : null;
      if (url && (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '') return;
      ctx.addIssue({ code: 'custom', message: `"${text}" is not an http(s) base URL: use ${hint}` });
    })
    // API paths are appended to the base; a trailing slash would double theirs.
    .transform((text) => text.replace(/\/+$/, ''));
}
