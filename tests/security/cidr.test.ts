import { addressAllowed, canonicalAddress, cidrContains, parseCidr } from '../../src/security/cidr';

describe('parseCidr', () => {
  it('parses IPv4 and IPv6 networks into canonical form', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ family: 4, network: '10.0.0.0', prefix: 8, text: '10.0.0.0/8' });
    expect(parseCidr('2001:DB8:0:0::/32')).toEqual({
      family: 6,
      network: '2001:db8::',
      prefix: 32,
      text: '2001:db8::/32',
    });
    expect(parseCidr('0.0.0.0/0').text).toBe('0.0.0.0/0');
    expect(parseCidr('::/0').text).toBe('::/0');
    // RFC 5952: the longest zero run is compressed; on a tie, the first.
    expect(parseCidr('2001:db8:0:0:1:0:0:0/128').text).toBe('2001:db8:0:0:1::/128');
    expect(parseCidr('2001:db8:0:0:1:0:0:1/128').text).toBe('2001:db8::1:0:0:1/128');
    expect(parseCidr('2001:db8:0:1:1:1:1:1/128').text).toBe('2001:db8:0:1:1:1:1:1/128');
    expect(parseCidr('1:0:0:2:0:0:0:3/128').text).toBe('1:0:0:2::3/128');
  });

  it('reads a bare address as a single host', () => {
    expect(parseCidr('127.0.0.1').text).toBe('127.0.0.1/32');
    expect(parseCidr('::1').text).toBe('::1/128');
  });

  it('stores IPv4-mapped IPv6 networks as IPv4', () => {
    expect(parseCidr('::ffff:10.0.0.0/104').text).toBe('10.0.0.0/8');
    expect(parseCidr('::ffff:127.0.0.1').text).toBe('127.0.0.1/32');
    expect(parseCidr('::ffff:0:0/96').text).toBe('0.0.0.0/0');
    // Shorter than /96 it is an IPv6 network that merely contains the mapped range.
    expect(parseCidr('::/80').family).toBe(6);
  });

  it.each([
    ['', 'invalid CIDR "": empty'],
    ['10.0.0.300/8', 'invalid CIDR "10.0.0.300/8": "10.0.0.300" is not an IPv4 or IPv6 address'],
    ['010.0.0.1', '"010.0.0.1" is not an IPv4 or IPv6 address'],
    ['10.0.0/8', '"10.0.0" is not an IPv4 or IPv6 address'],
    ['1::2::3/64', 'is not an IPv4 or IPv6 address'],
    ['[::1]/128', 'is not an IPv4 or IPv6 address'],
    ['localhost', 'is not an IPv4 or IPv6 address'],
    ['10.0.0.0/33', 'prefix length must be an integer from 0 to 32 for IPv4'],
    ['::/129', 'prefix length must be an integer from 0 to 128 for IPv6'],
    ['10.0.0.0/', 'prefix length must be an integer from 0 to 32'],
    ['10.0.0.0/08', 'prefix length must be an integer from 0 to 32'],
    ['10.0.0.0/-1', 'prefix length must be an integer from 0 to 32'],
    ['10.0.0.0/8/8', 'prefix length must be an integer'],
    ['10.0.0.1/8', 'host bits are set (did you mean 10.0.0.0/8?)'],
    ['2001:db8::1/32', 'host bits are set (did you mean 2001:db8::/32?)'],
    ['fe80::1%eth0/128', 'zone identifiers are not allowed'],
  ])('rejects %j', (text, message) => {
    expect(() => parseCidr(text)).toThrow(message);
  });
});

describe('cidrContains', () => {
  it('includes both ends of an IPv4 range and excludes its neighbours', () => {
    const net = parseCidr('192.168.1.0/24');
    expect(cidrContains(net, '192.168.1.0')).toBe(true);
    expect(cidrContains(net, '192.168.1.255')).toBe(true);
    expect(cidrContains(net, '192.168.0.255')).toBe(false);
    expect(cidrContains(net, '192.168.2.0')).toBe(false);
  });

  it('handles /0 and /32', () => {
    expect(cidrContains(parseCidr('0.0.0.0/0'), '255.255.255.255')).toBe(true);
    expect(cidrContains(parseCidr('0.0.0.0/0'), '0.0.0.0')).toBe(true);
    const host = parseCidr('10.1.2.3/32');
    expect(cidrContains(host, '10.1.2.3')).toBe(true);
    expect(cidrContains(host, '10.1.2.4')).toBe(false);
    expect(cidrContains(host, '10.1.2.2')).toBe(false);
  });

  it('handles IPv6 ranges, /0 and /128', () => {
    const net = parseCidr('2001:db8::/32');
    expect(cidrContains(net, '2001:db8::')).toBe(true);
    expect(cidrContains(net, '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(cidrContains(net, '2001:db9::')).toBe(false);
    expect(cidrContains(net, '2001:db7:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(false);
    expect(cidrContains(parseCidr('::/0'), 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(cidrContains(parseCidr('::1/128'), '0:0:0:0:0:0:0:1')).toBe(true);
    expect(cidrContains(parseCidr('::1/128'), '::2')).toBe(false);
    // Boundary inside a group: /127 holds exactly ::2 and ::3.
    expect(cidrContains(parseCidr('::2/127'), '::3')).toBe(true);
    expect(cidrContains(parseCidr('::2/127'), '::4')).toBe(false);
  });

  it('matches IPv4-mapped IPv6 addresses as IPv4 (dual-stack sockets)', () => {
    const loopback = parseCidr('127.0.0.1/32');
    expect(cidrContains(loopback, '::ffff:127.0.0.1')).toBe(true);
    expect(cidrContains(loopback, '::FFFF:7f00:1')).toBe(true);
    expect(cidrContains(loopback, '::ffff:127.0.0.2')).toBe(false);
    expect(cidrContains(parseCidr('::ffff:10.0.0.0/104'), '10.255.255.255')).toBe(true);
    expect(cidrContains(parseCidr('0.0.0.0/0'), '::ffff:8.8.8.8')).toBe(true);
  });

  it('never matches across families', () => {
    expect(cidrContains(parseCidr('::/0'), '127.0.0.1')).toBe(false);
    expect(cidrContains(parseCidr('::/0'), '::ffff:127.0.0.1')).toBe(false);
    expect(cidrContains(parseCidr('0.0.0.0/0'), '::1')).toBe(false);
    // IPv4-compatible (not mapped) addresses stay IPv6.
    expect(cidrContains(parseCidr('0.0.0.0/0'), '::127.0.0.1')).toBe(false);
  });

  it('ignores an IPv6 zone in the address and rejects non-addresses', () => {
    expect(cidrContains(parseCidr('fe80::/10'), 'fe80::1%eth0')).toBe(true);
    expect(cidrContains(parseCidr('0.0.0.0/0'), 'not-an-ip')).toBe(false);
    expect(cidrContains(parseCidr('0.0.0.0/0'), '')).toBe(false);
  });
});

describe('addressAllowed', () => {
  const allowed = ['127.0.0.1/32', '::1/128', '10.0.0.0/8'].map(parseCidr);

  it('allows an address in any listed network', () => {
    expect(addressAllowed('127.0.0.1', allowed)).toBe(true);
    expect(addressAllowed('::ffff:127.0.0.1', allowed)).toBe(true);
    expect(addressAllowed('::1', allowed)).toBe(true);
    expect(addressAllowed('10.20.30.40', allowed)).toBe(true);
  });

  it('denies everything else, and everything for an empty list', () => {
    expect(addressAllowed('11.0.0.0', allowed)).toBe(false);
    expect(addressAllowed('::2', allowed)).toBe(false);
    expect(addressAllowed('garbage', allowed)).toBe(false);
    expect(addressAllowed('127.0.0.1', [])).toBe(false);
  });
});

describe('canonicalAddress', () => {
  it('unmaps, compresses and drops zones; undefined for non-addresses', () => {
    expect(canonicalAddress('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(canonicalAddress('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(canonicalAddress('fe80::1%eth0')).toBe('fe80::1');
    expect(canonicalAddress('example.com')).toBeUndefined();
  });
});
