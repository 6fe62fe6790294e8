import { addressAllowed, type Cidr } from '../../src/security/cidr';

/**
 * The address a request comes from. `X-Forwarded-For` is believed only when the peer is a trusted
 * proxy, and then only as far back as the chain stays within trusted proxies: the right-most
 * untrusted hop is the client (anything left of it could be forged by that client).
 */
export function clientAddress(peer: string, forwardedFor: string | undefined, trustedProxies: readonly Cidr[]): string {
  if (!forwardedFor || trustedProxies.length === 0 || !addressAllowed(peer, trustedProxies)) return peer;
  const hops = forwardedFor
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (!addressAllowed(hop, trustedProxies)) return hop;
  }
  return hops[0] ?? peer;
}
