/**
 * A DNS stand-in for mailauth's `resolver` option: TXT records by name, everything else absent.
 * Tests run without network: SPF, DMARC and DKIM keys come from here.
 */

export type DnsRecords = Record<string, string[]>;

function notFound(name: string): Error {
  return Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
}

/** Test domains: `example.com` (Ann's) and `evil.example` (a forger's), both sending from 127.0.0.1. */
export const TEST_DNS: DnsRecords = {
  'example.com': ['v=spf1 ip4:127.0.0.1 -all'],
  '_dmarc.example.com': ['v=DMARC1; p=reject'],
  'evil.example': ['v=spf1 ip4:127.0.0.1 -all'],
  'mx.example.com': ['v=spf1 ip4:127.0.0.1 -all'],
};

export function stubResolver(records: DnsRecords = TEST_DNS) {
  return async (name: string, rrtype: string): Promise<string[][]> => {
    const values = rrtype === 'TXT' ? records[name.toLowerCase()] : undefined;
    if (values === undefined) throw notFound(name);
    return values.map((value) => [value]);
  };
}
