/**
 * IP address parsing for the SSRF rules. Hosts are parsed the way permissive resolvers do
 * (inet_aton: hex, octal, shortened and integer forms), because an allow-list that only knows
 * dotted decimal is exactly what those notations are used to slip past.
 */

/** What an address is, for SSRF purposes. `public` means none of the others. */
export type AddressClass =
  | 'metadata'
  | 'loopback'
  | 'unspecified'
  | 'private'
  | 'link-local'
  | 'shared'
  | 'public';

export interface ParsedIPv4 {
  /** The 32-bit address as an unsigned number. */
  value: number;
  /** Written as four plain decimal parts without leading zeros (the only honest notation). */
  canonical: boolean;
  /** A part was out of range and the address only exists if a parser wraps it (mod 2^8 / 2^32). */
  wrapped: boolean;
}

const TWO_32 = 4294967296;

function parseIPv4Part(part: string): number | null {
  if (part.length === 0 || part.length > 34) return null;
  if (/^0x[0-9a-f]*$/i.test(part)) {
    return part.length === 2 ? 0 : Number.parseInt(part.slice(2), 16);
  }
  if (/^0[0-7]+$/.test(part)) return Number.parseInt(part, 8);
  if (/^\d+$/.test(part)) return Number.parseInt(part, 10);
  return null;
}

/**
 * Parses an IPv4 address in any notation inet_aton accepts (`127.0.0.1`, `127.1`,
 * `0x7f000001`, `2130706433`, `0177.0.0.1`), plus the wrapped forms some parsers produce for
 * out-of-range parts (`425.510.425.510`). Returns null for anything else.
 *
 * @example parseIPv4('0x7f.1')?.value === 0x7f000001
 */
export function parseIPv4(host: string): ParsedIPv4 | null {
  const trimmed = host.endsWith('.') ? host.slice(0, -1) : host;
  const parts = trimmed.split('.');
  if (parts.length < 1 || parts.length > 4) return null;
  const numbers: number[] = [];
  for (const part of parts) {
    const value = parseIPv4Part(part);
    if (value === null || !Number.isFinite(value)) return null;
    numbers.push(value);
  }
  let wrapped = false;
  let value = 0;
  const last = numbers.length - 1;
  for (let index = 0; index < last; index += 1) {
    let part = numbers[index] ?? 0;
    if (part > 255) {
      wrapped = true;
      part %= 256;
    }
    value = value * 256 + part;
  }
  const remainingBytes = 4 - last;
  const limit = 256 ** remainingBytes;
  let tail = numbers[last] ?? 0;
  if (tail >= limit) {
    wrapped = true;
    tail %= limit;
  }
  value = (value * limit + tail) % TWO_32;
  const canonical =
    parts.length === 4 && parts.every((part) => /^(?:0|[1-9]\d{0,2})$/.test(part)) && !wrapped;
  return { value, canonical, wrapped };
}

/** Formats a 32-bit value as dotted decimal. */
export function formatIPv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

const METADATA_IPV4 = new Set([
  '169.254.169.254', // AWS, Azure, GCP, DigitalOcean, OpenStack, Hetzner
  '169.254.170.2', // AWS ECS task metadata
  '100.100.100.200', // Alibaba Cloud
  '192.0.0.192', // Oracle Cloud (legacy)
]);

/** Classifies an IPv4 address given as a 32-bit value. */
export function classifyIPv4(value: number): AddressClass {
  if (METADATA_IPV4.has(formatIPv4(value))) return 'metadata';
  const first = value >>> 24;
  const second = (value >>> 16) & 255;
  if (first === 127) return 'loopback';
  if (first === 0) return 'unspecified';
  if (first === 10) return 'private';
  if (first === 172 && second >= 16 && second <= 31) return 'private';
  if (first === 192 && second === 168) return 'private';
  if (first === 169 && second === 254) return 'link-local';
  if (first === 100 && second >= 64 && second <= 127) return 'shared';
  // 192.0.0.0/24 is reserved for protocol assignments and never a public web host.
  if (first === 192 && second === 0 && ((value >>> 8) & 255) === 0) return 'private';
  return 'public';
}

/**
 * Parses an IPv6 address (without brackets or zone) into eight 16-bit groups. Accepts `::`
 * compression and an embedded IPv4 tail (`::ffff:127.0.0.1`).
 */
export function parseIPv6(text: string): number[] | null {
  if (text.length === 0 || text.length > 64 || text.indexOf(':') < 0) return null;
  const doubleColon = text.indexOf('::');
  if (doubleColon >= 0 && text.indexOf('::', doubleColon + 1) >= 0) return null;
  const parseSide = (side: string): number[] | null => {
    if (side.length === 0) return [];
    const groups: number[] = [];
    const pieces = side.split(':');
    for (let index = 0; index < pieces.length; index += 1) {
      const piece = pieces[index] ?? '';
      if (index === pieces.length - 1 && piece.indexOf('.') >= 0) {
        if (!/^\d{1,3}(?:\.\d{1,3}){3}$/.test(piece)) return null;
        const v4 = parseIPv4(piece);
        if (v4 === null || !v4.canonical) return null;
        groups.push(v4.value >>> 16, v4.value & 0xffff);
        continue;
      }
      if (!/^[0-9a-f]{1,4}$/i.test(piece)) return null;
      groups.push(Number.parseInt(piece, 16));
    }
    return groups;
  };
  if (doubleColon >= 0) {
    const head = parseSide(text.slice(0, doubleColon));
    const tail = parseSide(text.slice(doubleColon + 2));
    if (head === null || tail === null || head.length + tail.length > 7) return null;
    const zeros = new Array<number>(8 - head.length - tail.length).fill(0);
    return [...head, ...zeros, ...tail];
  }
  const groups = parseSide(text);
  return groups !== null && groups.length === 8 ? groups : null;
}

export interface IPv6Classification {
  addressClass: AddressClass;
  /** Set when the address carries an IPv4 address (mapped, compatible, NAT64, 6to4). */
  embeddedIPv4?: number;
}

/** Classifies an IPv6 address given as eight groups. */
export function classifyIPv6(groups: readonly number[]): IPv6Classification {
  const group = (index: number): number => groups[index] ?? 0;
  const v4From = (highIndex: number): number => group(highIndex) * 65536 + group(highIndex + 1);
  const allZeroUpTo = (end: number): boolean => groups.slice(0, end).every((value) => value === 0);
  // AWS IMDS over IPv6: fd00:ec2::254.
  if (
    group(0) === 0xfd00 &&
    group(1) === 0x0ec2 &&
    groups.slice(2, 7).every((value) => value === 0) &&
    group(7) === 0x254
  ) {
    return { addressClass: 'metadata' };
  }
  if (allZeroUpTo(7) && group(7) === 1) return { addressClass: 'loopback' };
  if (allZeroUpTo(8)) return { addressClass: 'unspecified' };
  if (allZeroUpTo(5) && group(5) === 0xffff) {
    const embedded = v4From(6);
    return { addressClass: classifyIPv4(embedded), embeddedIPv4: embedded };
  }
  if (allZeroUpTo(6)) {
    const embedded = v4From(6);
    return { addressClass: classifyIPv4(embedded), embeddedIPv4: embedded };
  }
  if (
    group(0) === 0x64 &&
    group(1) === 0xff9b &&
    groups.slice(2, 6).every((value) => value === 0)
  ) {
    const embedded = v4From(6);
    return { addressClass: classifyIPv4(embedded), embeddedIPv4: embedded };
  }
  if (group(0) === 0x2002) {
    const embedded = v4From(1);
    const embeddedClass = classifyIPv4(embedded);
    if (embeddedClass !== 'public') return { addressClass: embeddedClass, embeddedIPv4: embedded };
  }
  if ((group(0) & 0xfe00) === 0xfc00) return { addressClass: 'private' };
  if ((group(0) & 0xffc0) === 0xfe80) return { addressClass: 'link-local' };
  // Site-local (fec0::/10) is deprecated but still routed inside some networks.
  if ((group(0) & 0xffc0) === 0xfec0) return { addressClass: 'private' };
  return { addressClass: 'public' };
}
