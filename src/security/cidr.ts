import { isIP } from 'node:net';

/**
 * An IP network in CIDR notation, validated and canonicalised by `parseCidr`.
 *
 * Plain JSON-safe data (no bigint), so a parsed configuration can be logged or compared.
 * IPv4-mapped IPv6 networks (`::ffff:0:0/96` and longer, e.g. `::ffff:10.0.0.0/104`) are stored
 * as their IPv4 form (`10.0.0.0/8`), because addresses are matched in their IPv4 form too.
 */
export interface Cidr {
  readonly family: 4 | 6;
  /** Network address in canonical text (host bits zero; IPv6 lower case, RFC 5952 compressed). */
  readonly network: string;
  /** Prefix length: 0..32 for IPv4, 0..128 for IPv6. */
  readonly prefix: number;
  /** Canonical `network/prefix`, e.g. `10.0.0.0/8`, `2001:db8::/32`, `127.0.0.1/32`. */
  readonly text: string;
}

interface IpValue {
  readonly family: 4 | 6;
  readonly value: bigint;
}

const MAPPED_PREFIX = 0xffffn << 32n; // ::ffff:0:0/96
const MAPPED_MASK = ((1n << 96n) - 1n) << 32n;

/**
 * Parse `address/prefix` or a bare address (a single host: /32 for IPv4, /128 for IPv6).
 * Throws an `Error` whose message quotes the input and says exactly what is wrong: not an IP
 * address, zone identifiers (`%eth0`), a prefix out of range or not a plain decimal, or host bits
 * set beyond the prefix (`10.0.0.1/8`; the message suggests `10.0.0.0/8`).
 */
export function parseCidr(text: string): Cidr {
  const fail = (why: string): never => {
    throw new Error(`invalid CIDR "${text}": ${why}`);
  };
  if (text.length === 0) fail('empty');
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  if (addressText.includes('%')) fail('zone identifiers are not allowed');
  const parsed = parseIp(addressText);
  if (parsed === undefined) return fail(`"${addressText}" is not an IPv4 or IPv6 address`);
  const bits = parsed.family === 4 ? 32 : 128;
  let prefix = bits;
  if (slash >= 0) {
    const prefixText = text.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > bits) {
      fail(`prefix length must be an integer from 0 to ${bits} for IPv${parsed.family}`);
    }
    prefix = Number(prefixText);
  }
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((parsed.value & hostMask) !== 0n) {
    const suggestion = describe({ family: parsed.family, value: parsed.value & ~hostMask }, prefix);
    fail(`host bits are set (did you mean ${suggestion.text}?)`);
  }
  if (parsed.family === 6 && prefix >= 96 && (parsed.value & MAPPED_MASK) === MAPPED_PREFIX) {
    return describe({ family: 4, value: parsed.value & 0xffffffffn }, prefix - 96);
  }
  return describe(parsed, prefix);
}

/**
 * True when `address` (IPv4 or IPv6 text, as Node reports `socket.remoteAddress`) lies in `cidr`.
 * IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) are matched as IPv4; an IPv6 zone (`%eth0`) is
 * ignored. IPv4 addresses never match IPv6 networks (not even `::/0`) and vice versa.
 * An unparseable address matches nothing (returns false, never throws).
 */
export function cidrContains(cidr: Cidr, address: string): boolean {
  const ip = parseRemoteAddress(address);
  return ip !== undefined && contains(cidr, ip);
}

/** True when `address` lies in at least one of `allowed`; false for an empty list or a non-address. */
export function addressAllowed(address: string, allowed: readonly Cidr[]): boolean {
  const ip = parseRemoteAddress(address);
  return ip !== undefined && allowed.some((cidr) => contains(cidr, ip));
}

/**
 * The canonical text of an IP address (IPv4-mapped IPv6 shown as IPv4, zone dropped, IPv6
 * compressed), or undefined when `address` is not an IP address.
 */
export function canonicalAddress(address: string): string | undefined {
  const ip = parseRemoteAddress(address);
  return ip === undefined ? undefined : formatIp(ip);
}

const networkCache = new WeakMap<Cidr, bigint>();

function contains(cidr: Cidr, ip: IpValue): boolean {
  if (cidr.family !== ip.family) return false;
  let network = networkCache.get(cidr);
  if (network === undefined) {
    network = parseIp(cidr.network)?.value ?? -1n;
    networkCache.set(cidr, network);
  }
  const bits = cidr.family === 4 ? 32 : 128;
  const shift = BigInt(bits - cidr.prefix);
  return ip.value >> shift === network >> shift;
}

/** Remote-address parsing: zone dropped, IPv4-mapped IPv6 unmapped. */
function parseRemoteAddress(address: string): IpValue | undefined {
  const zone = address.indexOf('%');
  const ip = parseIp(zone < 0 ? address : address.slice(0, zone));
  if (ip !== undefined && ip.family === 6 && (ip.value & MAPPED_MASK) === MAPPED_PREFIX) {
    return { family: 4, value: ip.value & 0xffffffffn };
  }
  return ip;
}

/** Strict parse (node:net `isIP` rules: no leading zeros in IPv4, no brackets, no zone). */
function parseIp(text: string): IpValue | undefined {
  if (text.includes('%')) return undefined;
  const family = isIP(text);
  if (family === 4) return { family: 4, value: parseIpv4(text) };
  if (family === 6) return { family: 6, value: parseIpv6(text) };
  return undefined;
}

function parseIpv4(text: string): bigint {
  return text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

/** Assumes `text` passed `isIP(text) === 6`. */
function parseIpv6(text: string): bigint {
  let groups: number[] = [];
  const toGroups = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const piece of part.split(':')) {
      if (piece.includes('.')) {
        const v4 = Number(parseIpv4(piece));
        out.push(v4 >>> 16, v4 & 0xffff);
      } else {
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const gap = text.indexOf('::');
  if (gap < 0) {
    groups = toGroups(text);
  } else {
    const head = toGroups(text.slice(0, gap));
    const tail = toGroups(text.slice(gap + 2));
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(group), 0n);
}

function describe(ip: IpValue, prefix: number): Cidr {
  const network = formatIp(ip);
  return { family: ip.family, network, prefix, text: `${network}/${prefix}` };
}

function formatIp(ip: IpValue): string {
  if (ip.family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((ip.value >> shift) & 0xffn)).join('.');
  }
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((ip.value >> shift) & 0xffffn));
  // RFC 5952: compress the longest run (first if tied) of two or more zero groups.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
