// The address the HTTP server (/metrics, /healthz, the UI) listens on, as written in the config.
import net from 'node:net';
import { z } from 'zod';
import { ConfigError } from './issues.js';

export interface ListenAddress {
  /** IP address or host name without brackets; "" means all interfaces (pass `host || undefined` to listen). */
  readonly host: string;
  readonly port: number;
  /** As written, e.g. "127.0.0.1:9171", "[::1]:9171", ":9171". */
  readonly text: string;
}

export const DEFAULT_LISTEN = '127.0.0.1:9171';

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const FORMS = `write HOST:PORT, e.g. "${DEFAULT_LISTEN}", "[::1]:9171", or ":9171" for all interfaces`;

function parsePort(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port <= 65_535 ? port : null;
}

/** Parses "HOST:PORT", "[IPv6]:PORT" or ":PORT"; an invalid address gives the problem in plain words. */
export function checkListenAddress(written: string): ListenAddress | { problem: string } {
  const text = written.trim();
  if (text === '') return { problem: `is empty — ${FORMS}` };
  let host: string;
  let portText: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close === -1) return { problem: `"${text}" has no closing ] — ${FORMS}` };
    host = text.slice(1, close);
    if (!net.isIPv6(host)) return { problem: `"${host}" in brackets is not an IPv6 address — ${FORMS}` };
    if (text[close + 1] !== ':') return { problem: `"${text}" has no port — write it after the brackets, e.g. "[${host}]:9171"` };
    portText = text.slice(close + 2);
  } else {
    const colon = text.lastIndexOf(':');
    // A bare port ("9172") is the likeliest slip: say which host to add rather than "no port".
    if (colon === -1 && parsePort(text) !== null) return { problem: `"${text}" is a port with no host — write "127.0.0.1:${text}" (this machine only) or ":${text}" (all interfaces)` };
    if (colon === -1) return { problem: `"${text}" has no port — ${FORMS}` };
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (host.includes(':')) return { problem: `"${text}": an IPv6 address needs brackets — write "[${host}]:${portText || '9171'}"` };
    const numeric = /^[\d.]+$/.test(host);
    if (host !== '' && (numeric ? !net.isIPv4(host) : !HOST_NAME.test(host))) {
      return { problem: `"${host}" is not a valid ${numeric ? 'IPv4 address' : 'host name'} — ${FORMS}` };
    }
  }
  const port = parsePort(portText);
  if (port === null) return { problem: `port "${portText}" is not a whole number from 0 to 65535 — ${FORMS}` };
  return { host, port, text };
}

/** Parses a listen address given outside the file (e.g. `--listen`); throws ConfigError naming `key`. */
export function parseListenAddress(written: string, key = 'server.listen'): ListenAddress {
  const parsed = checkListenAddress(written);
  if ('problem' in parsed) throw new ConfigError(null, [{ path: key, message: parsed.problem }]);
  return parsed;
}

/** The config field: text, parsed to a ListenAddress. */
export const listenAddressSchema = z
  .string()
  .meta({ examples: [DEFAULT_LISTEN] })
  .transform((text, ctx): ListenAddress => {
    const parsed = checkListenAddress(text);
    if ('problem' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }
    return parsed;
  });

/** Names in server.allowedHosts, at most: a reverse proxy needs one or two. */
const MAX_ALLOWED_HOSTS = 100;

/** Why `text` is not a host name or IP address as a Host header carries it (without port), or null. */
function allowedHostProblem(text: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || text.includes('/')) return `"${text}" is a URL — write the host name alone, e.g. "footprint.example.org"`;
  if (/:\d+$/.test(text) && !net.isIPv6(text)) return `"${text}" has a port — write the host name alone (any port is allowed), e.g. "${text.replace(/:\d+$/, '')}"`;
  if (text.includes('*')) return `"${text}": wildcards are not supported — list each name`;
  if (net.isIP(text.replace(/^\[(.*)\]$/, '$1')) !== 0 || HOST_NAME.test(text)) return null;
  return `"${text}" is not a host name — write a name such as "footprint.example.org"`;
}

/**
 * server.allowedHosts: names (besides localhost and IP addresses) the server answers to, e.g. the
 * name a local reverse proxy forwards; lower case, brackets off IPv6 addresses, each once.
 */
export const allowedHostsSchema = z
  .array(z.string().meta({ examples: ['footprint.example.org'] }))
  .max(MAX_ALLOWED_HOSTS, `list at most ${MAX_ALLOWED_HOSTS} names`)
  .transform((names, ctx): string[] => {
    names.forEach((name, index) => {
      const problem = allowedHostProblem(name.trim());
      if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [index] });
    });
    return [...new Set(names.map((name) => name.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1')))];
  });

/** Whether only this machine can connect (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Listening beyond this machine without an auth token would hand the UI and config writes to the network. */
export function listenExposureProblem(listen: ListenAddress, authToken: string | null, key: string): string | null {
  if (isLoopback(listen.host) || authToken) return null;
  return `${key} is ${listen.text}, which other machines can reach, so server.authToken is required — set it (e.g. authToken: "\${FOOTPRINT_AUTH_TOKEN}" with a random value of 16+ characters), or listen on 127.0.0.1`;
}
