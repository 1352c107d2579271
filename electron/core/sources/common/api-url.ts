// The `apiUrl` key every source has: an http(s) base URL (loopback fakes, proxies and on-prem servers included).
import { z } from 'zod';

/** The text with anything between "//" and "@" (a user name and password) masked, for messages. */
function withoutUserinfo(text: string): string {
  return text.replace(/^([^/?#]*\/\/)[^/?#]*@/, '$1***@');
}

/** An http(s) base URL without credentials, query or fragment; `hint` completes "… is not an http(s) base URL: use …". */
export function apiUrlSchema(hint: string) {
  return z
    .string()
    .trim()
    .superRefine((text, ctx) => {
      const url = URL.canParse(text) ? new URL(text) : null;
      if (url && (url.username !== '' || url.password !== '')) {
        // Never quoted: the address holds a password. Credentials belong in the source's own keys, masked everywhere.
        ctx.addIssue({ code: 'custom', message: 'the address holds a user name or password (user:password@host), which Footprint does not send — remove it from the address, and put a token in this source\'s token setting if it has one' });
        return;
      }
      if (url && (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '') return;
      ctx.addIssue({ code: 'custom', message: `"${withoutUserinfo(text)}" is not an http(s) base URL: use ${hint}` });
    })
    // API paths are appended to the base; a trailing slash would double theirs.
    .transform((text) => text.replace(/\/+$/, ''));
}
