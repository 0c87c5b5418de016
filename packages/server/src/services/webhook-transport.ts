import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Resolves a host name to every address it has (node:dns `lookup` with `all: true` by default;
 * tests stand in for DNS with their own).
 * @example const lookup: WebhookLookup = async () => [{ address: '93.184.216.34', family: 4 }]
 */
export type WebhookLookup = (hostname: string) => Promise<readonly LookupAddress[]>;

/** The default resolver: the operating system's, as `fetch` and node:http use. */
export const systemLookup: WebhookLookup = (hostname) => dnsLookup(hostname, { all: true });

/** The code of the error a send fails with when its target is on an internal address. */
export const WEBHOOK_INTERNAL_ADDRESS = 'WARDEN_WEBHOOK_INTERNAL_ADDRESS';

/** The delivery log's words for a target refused because it is on an internal address. */
export const INTERNAL_ADDRESS_REFUSED =
  'refused: the host resolves to an internal address (WARDEN_WEBHOOK_ALLOW_INTERNAL)';

/** True for the error of a send refused because its target is on an internal address. */
export function isInternalAddressRefusal(error: unknown): boolean {
  return (
    error instanceof Error && (error as NodeJS.ErrnoException).code === WEBHOOK_INTERNAL_ADDRESS
  );
}

/**
 * True unless `address` is a public unicast address: loopback, private, link-local (cloud
 * metadata), CGNAT, unspecified, multicast, broadcast, reserved and documentation ranges, and
 * their IPv6 equivalents, including addresses that embed IPv4 (mapped, NAT64, 6to4, Teredo).
 * Classified by ipaddr.js; anything it cannot parse counts as internal.
 */
export function isInternalAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  // An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, `::ffff:7f00:1`) is judged as its IPv4 one.
  return ipaddr.process(address).range() !== 'unicast';
}

/** Options of postWebhook. */
export interface WebhookPostOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** For the whole exchange: connection, request and response. */
  timeoutMs: number;
  /** Connect to internal addresses too (WARDEN_WEBHOOK_ALLOW_INTERNAL): no address check. */
  allowInternal: boolean;
  lookup: WebhookLookup;
}

/** What came back: the status and the `Retry-After` header, the body being read and dropped. */
export interface WebhookResponse {
  status: number;
  retryAfter: string | null;
}

/**
 * POSTs once over node:http(s) without following redirects. Unless `allowInternal`, the socket
 * connects only to addresses checked at connection time, by the lookup it resolves with, so a
 * name that answers a public address to an earlier check and an internal one now (DNS
 * rebinding) is refused: rejects with a `WARDEN_WEBHOOK_INTERNAL_ADDRESS` error, a
 * `TimeoutError`, or the network error.
 * @example const { status } = await postWebhook({ url, headers, body, timeoutMs: 10_000, allowInternal: false, lookup: systemLookup })
 */
export function postWebhook(options: WebhookPostOptions): Promise<WebhookResponse> {
  return new Promise<WebhookResponse>((resolve, reject) => {
    const url = new URL(options.url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const send =
      url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : undefined;
    if (send === undefined) {
      reject(new Error(`unsupported protocol ${url.protocol}`));
      return;
    }
    // Address literals never go through the lookup, so they are checked here.
    if (!options.allowInternal && isIP(host) !== 0 && isInternalAddress(host)) {
      reject(internalAddressError(host));
      return;
    }
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const requestOptions: RequestOptions = {
      method: 'POST',
      hostname: host,
      path: `${url.pathname}${url.search}`,
      headers: { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) },
      // A fresh connection each time: a pooled socket would skip this send's lookup.
      agent: false,
      lookup: checkedLookup(options.lookup, options.allowInternal),
    };
    if (url.port !== '') requestOptions.port = Number(url.port);
    const request = send(requestOptions, (response) => {
      const retryAfter = response.headers['retry-after'] ?? null;
      const status = response.statusCode ?? 0;
      response.on('error', (error) => settle(() => reject(error)));
      // The body is not needed; reading it to the end frees the connection.
      response.on('end', () => settle(() => resolve({ status, retryAfter })));
      response.resume();
    });
    const timer = setTimeout(() => {
      const error = new Error(`timed out after ${options.timeoutMs} ms`);
      error.name = 'TimeoutError';
      settle(() => reject(error));
      request.destroy(error);
    }, options.timeoutMs);
    request.on('error', (error) => settle(() => reject(error)));
    request.end(options.body);
  });
}

/**
 * The lookup handed to the socket: resolves with `resolve` and, unless `allowInternal`, refuses
 * the name when any of its addresses is internal, so only checked addresses reach `connect`.
 */
export function checkedLookup(resolve: WebhookLookup, allowInternal: boolean): LookupFunction {
  return (hostname, options: LookupOptions, callback) => {
    resolve(hostname)
      .then((entries) => {
        if (!allowInternal && entries.some((entry) => isInternalAddress(entry.address))) {
          throw internalAddressError(hostname);
        }
        const family = familyNumber(options.family);
        const usable = entries.filter((entry) => family === 0 || entry.family === family);
        const first = usable[0];
        if (first === undefined) {
          throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
            code: 'ENOTFOUND',
            hostname,
          });
        }
        return { usable, first };
      })
      .then(
        ({ usable, first }) => {
          if (options.all === true) callback(null, [...usable]);
          else callback(null, first.address, first.family);
        },
        (error: NodeJS.ErrnoException) => callback(error, ''),
      );
  };
}

function familyNumber(family: LookupOptions['family']): number {
  if (family === 'IPv4') return 4;
  if (family === 'IPv6') return 6;
  return family ?? 0;
}

function internalAddressError(host: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${host} resolves to an internal address`), {
    code: WEBHOOK_INTERNAL_ADDRESS,
  });
}
