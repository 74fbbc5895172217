/**
 * Which IP addresses a webhook may be sent to (the SSRF guard). Pure: parsing and range checks
 * only; resolving host names and connecting is the infrastructure's job.
 */
export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'metadata'
  | 'cgnat'
  | 'unique_local'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'reserved'
  | 'invalid';

type V4Range = [base: number, prefix: number, cls: AddressClass];

const v4 = (text: string): number => {
  const parsed = parseIpv4(text);
  if (parsed === null) throw new Error(`bad IPv4 literal ${text}`);
  return parsed;
};

/** Most specific first. Cloud metadata endpoints are named so logs say what was refused. */
const V4_RANGES: V4Range[] = [
  [v4('169.254.169.254'), 32, 'metadata'], // AWS, GCP, Azure, OpenStack, …
  [v4('168.63.129.16'), 32, 'metadata'], // Azure wire server
  [v4('100.100.100.200'), 32, 'metadata'], // Alibaba Cloud
  [v4('255.255.255.255'), 32, 'broadcast'],
  [v4('0.0.0.0'), 8, 'unspecified'], // "this network"
  [v4('10.0.0.0'), 8, 'private'],
  [v4('100.64.0.0'), 10, 'cgnat'],
  [v4('127.0.0.0'), 8, 'loopback'],
  [v4('169.254.0.0'), 16, 'link_local'],
  [v4('172.16.0.0'), 12, 'private'],
  [v4('192.0.0.0'), 24, 'reserved'], // IETF protocol assignments
  [v4('192.0.2.0'), 24, 'documentation'],
  [v4('192.88.99.0'), 24, 'reserved'], // 6to4 relay anycast
  [v4('192.168.0.0'), 16, 'private'],
  [v4('198.18.0.0'), 15, 'reserved'], // benchmarking
  [v4('198.51.100.0'), 24, 'documentation'],
  [v4('203.0.113.0'), 24, 'documentation'],
  [v4('224.0.0.0'), 4, 'multicast'],
  [v4('240.0.0.0'), 4, 'reserved'],
];

/** Dotted quad only (what DNS answers and the WHATWG URL parser produce); anything else → null. */
export function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith('0'))) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return value;
}

function inV4(address: number, base: number, prefix: number): boolean {
  if (prefix === 0) return true;
  const size = 2 ** (32 - prefix);
  return Math.floor(address / size) === Math.floor(base / size);
}

function classifyV4(address: number): AddressClass {
  for (const [base, prefix, cls] of V4_RANGES) if (inV4(address, base, prefix)) return cls;
  return 'public';
}

/** Eight 16-bit groups, or null. Accepts `::` compression and a dotted IPv4 tail; no zone ids. */
export function parseIpv6(text: string): number[] | null {
  let s = text;
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (!s.includes(':') || s.includes('%')) return null;
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  const last = s.slice(lastColon + 1);
  if (last.includes('.')) {
    const ip4 = parseIpv4(last);
    if (ip4 === null) return null;
    tail = [Math.floor(ip4 / 65536), ip4 % 65536];
    s = s.slice(0, lastColon + 1); // keep a trailing '::', drop a single trailing ':'
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const groups = part.split(':');
    const out: number[] = [];
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if (head === null || rest === null) return null;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 2) {
    if (known > 7) return null;
    return [...head, ...new Array<number>(8 - known).fill(0), ...rest, ...tail];
  }
  return known === 8 ? [...head, ...tail] : null;
}

function embeddedV4(groups: number[], hi: number): number {
  return groups[hi] * 65536 + groups[hi + 1];
}

function classifyV6(g: number[]): AddressClass {
  const allZero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (allZero(0, 8)) return 'unspecified';
  if (allZero(0, 7) && g[7] === 1) return 'loopback';
  // IPv4-mapped ::ffff:a.b.c.d and the deprecated IPv4-compatible ::a.b.c.d: judge the IPv4 address.
  if (allZero(0, 5) && g[5] === 0xffff) return classifyV4(embeddedV4(g, 6));
  if (allZero(0, 6)) return classifyV4(embeddedV4(g, 6));
  // NAT64 (64:ff9b::/96) reaches the embedded IPv4 address; local-use NAT64 (64:ff9b:1::/48) is site-specific.
  if (g[0] === 0x64 && g[1] === 0xff9b && allZero(2, 6)) return classifyV4(embeddedV4(g, 6));
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'reserved';
  // 6to4 (2002::/16) tunnels to the IPv4 address in bits 16..47.
  if (g[0] === 0x2002) return classifyV4(embeddedV4(g, 1));
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'documentation';
  if (g[0] === 0x2001 && g[1] === 0) return 'reserved'; // Teredo: the real target is obfuscated
  if (g[0] === 0x0100 && allZero(1, 4)) return 'reserved'; // discard-only 100::/64
  if (g[0] === 0xfd00 && g[1] === 0x0ec2 && allZero(2, 7) && g[7] === 0x254) return 'metadata'; // AWS IMDS over IPv6
  if ((g[0] & 0xfe00) === 0xfc00) return 'unique_local';
  if ((g[0] & 0xffc0) === 0xfe80) return 'link_local';
  if ((g[0] & 0xffc0) === 0xfec0) return 'private'; // deprecated site-local
  if ((g[0] & 0xff00) === 0xff00) return 'multicast';
  if ((g[0] & 0xe000) === 0x2000) return 'public'; // global unicast 2000::/3
  return 'reserved';
}

/** Classifies an IPv4 or IPv6 literal (brackets allowed); anything else is `invalid`. */
export function classifyIpAddress(address: string): AddressClass {
  const ip4 = parseIpv4(address);
  if (ip4 !== null) return classifyV4(ip4);
  const ip6 = parseIpv6(address);
  if (ip6 !== null) return classifyV6(ip6);
  return 'invalid';
}

export function isPublicAddress(address: string): boolean {
  return classifyIpAddress(address) === 'public';
}

/** Is this host an IP literal (as the WHATWG URL parser leaves it)? */
export function isIpLiteral(host: string): boolean {
  return parseIpv4(host) !== null || parseIpv6(host) !== null;
}
