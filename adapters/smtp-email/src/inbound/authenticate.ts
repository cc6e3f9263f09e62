import { authenticate } from 'mailauth';

/**
 * Is the `From:` real? On the SMTP path `mailauth` checks SPF (the connecting IP against the
 * envelope sender's domain), DKIM signatures and DMARC (alignment with the `From:` domain and its
 * published policy). On the webhook path the provider has done this; its verdict arrives as
 * `Authentication-Results` (RFC 8601) or provider fields, read by {@link verdictFromResults}.
 * Sources: https://www.rfc-editor.org/rfc/rfc7489 (DMARC), https://github.com/postalsys/mailauth
 */

/** Whether the sender may be recorded as the `From:` address, and why not. */
export interface SenderVerdict {
  trusted: boolean;
  /** Why not, e.g. `dmarc=fail (p=reject) header.from=acme.example`. */
  reason?: string;
  /** The results as `spf=… dkim=… dmarc=…`, kept in the message's metadata. */
  summary: string;
}

/** One-word outcomes of the three checks. */
export interface AuthOutcome {
  spf: string;
  dkim: string;
  dmarc: string;
  policy?: string;
  fromDomain?: string;
}

const FAILING_SPF = new Set(['fail', 'softfail']);

/**
 * The rule: DMARC `fail` is untrusted (the domain's own alignment rule says the From is not
 * theirs); without a DMARC verdict, SPF failing and no passing DKIM signature is untrusted too.
 * `none` (a domain that publishes nothing) is not a failure: it proves nothing either way.
 *
 * @example
 * ```ts
 * judge({ spf: 'fail', dkim: 'none', dmarc: 'none' }).trusted; // false
 * ```
 */
export function judge(outcome: AuthOutcome): SenderVerdict {
  const summary = `spf=${outcome.spf} dkim=${outcome.dkim} dmarc=${outcome.dmarc}`;
  if (outcome.dmarc === 'fail') {
    const policy = outcome.policy === undefined ? '' : ` (p=${outcome.policy})`;
    const domain = outcome.fromDomain === undefined ? '' : ` header.from=${outcome.fromDomain}`;
    return { trusted: false, reason: `dmarc=fail${policy}${domain}`, summary };
  }
  if (FAILING_SPF.has(outcome.spf) && outcome.dkim !== 'pass') {
    return { trusted: false, reason: `spf=${outcome.spf} and no passing dkim signature`, summary };
  }
  return { trusted: true, summary };
}

/** What the SMTP session knows about the connection. */
export interface SmtpPeer {
  ip: string;
  helo: string;
  /** The envelope sender (MAIL FROM). */
  sender: string;
  /** This server's name. */
  mta: string;
}

/** A DNS resolver as mailauth takes it. */
export type DnsResolver = (name: string, rrtype: string) => Promise<unknown>;

/**
 * Runs SPF, DKIM and DMARC on a raw message received over SMTP.
 *
 * @example
 * ```ts
 * const verdict = await verifySender(raw, { ip: '203.0.113.5', helo: 'mx.example.com', sender: 'ann@example.com', mta: 'mx.acme.example' });
 * ```
 */
export async function verifySender(
  raw: Buffer,
  peer: SmtpPeer,
  resolver?: DnsResolver,
): Promise<SenderVerdict> {
  const result = await authenticate(raw, {
    ip: peer.ip,
    helo: peer.helo,
    sender: peer.sender,
    mta: peer.mta,
    disableArc: true,
    disableBimi: true,
    ...(resolver === undefined ? {} : { resolver: resolver as never }),
  });
  const dkim = result.dkim.results.some((signature) => signature.status.result === 'pass')
    ? 'pass'
    : (result.dkim.results[0]?.status.result ?? 'none');
  const dmarc = result.dmarc === false ? undefined : result.dmarc;
  return judge({
    spf: result.spf === false ? 'none' : result.spf.status.result,
    dkim,
    dmarc: dmarc?.status.result ?? 'none',
    ...(dmarc?.policy ? { policy: dmarc.policy } : {}),
    ...(dmarc?.domain ? { fromDomain: dmarc.domain } : {}),
  });
}

/**
 * A provider's verdict from an `Authentication-Results` header (RFC 8601) or its own fields.
 *
 * @example
 * ```ts
 * verdictFromResults('mx.google.com; spf=pass smtp.mailfrom=x; dkim=pass; dmarc=fail (p=REJECT) header.from=acme.example').trusted; // false
 * ```
 */
export function verdictFromResults(header: string | undefined): SenderVerdict {
  const value = (header ?? '').toLowerCase();
  const pick = (method: string) => new RegExp(`\\b${method}=([a-z]+)`).exec(value)?.[1] ?? 'none';
  const policy = /\bdmarc=fail\s*\(p=([a-z]+)/.exec(value)?.[1];
  const fromDomain = /header\.from=([a-z0-9.-]+)/.exec(value)?.[1];
  return judge({
    spf: pick('spf'),
    dkim: pick('dkim'),
    dmarc: pick('dmarc'),
    ...(policy === undefined ? {} : { policy }),
    ...(fromDomain === undefined ? {} : { fromDomain }),
  });
}
