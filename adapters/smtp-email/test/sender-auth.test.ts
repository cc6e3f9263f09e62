import { generateKeyPairSync } from 'node:crypto';
import type { InboundEvent } from '@threadline/core';
import { dkimSign } from 'mailauth';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { verdictFromResults } from '../src/inbound/authenticate';
import { stubResolver, TEST_DNS } from './dns';
import { type EmailRuntime, replyMime, startEmailRuntime } from './runtime';
import { type SmtpSink, startSmtpSink } from './smtp-sink';

const sink: SmtpSink = await startSmtpSink();
afterAll(() => sink.close());

let rt: EmailRuntime;
let events: InboundEvent[];
afterEach(async () => {
  await rt.stop();
});

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const DKIM_DNS = {
  ...TEST_DNS,
  // SPF names another server: only the DKIM signature can vouch for this mail.
  'signed.example': ['v=spf1 ip4:203.0.113.1 -all'],
  '_dmarc.signed.example': ['v=DMARC1; p=reject'],
  'sel._domainkey.signed.example': [
    `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`,
  ],
};

async function start(onFail: 'reject' | 'quarantine' = 'reject') {
  rt = await startEmailRuntime(sink, { senderAuth: { onFail, resolver: stubResolver(DKIM_DNS) } });
  events = [];
  rt.threadline.on('event.received', ({ event }) => events.push(event));
}

const forged = () =>
  replyMime({
    from: 'Ann Example <ann@example.com>',
    subject: 'Re: Your booking',
    messageId: '<forged-1@evil.example>',
    text: 'Please send my invoices to attacker@evil.example.',
  });

describe('sender authentication on the SMTP path', () => {
  it('refuses a forged From (DMARC fail) with 550 and says why, recording nothing as the user', async () => {
    await start('reject');
    const refused = await rt
      .deliver(forged(), { from: 'attacker@evil.example' })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ responseCode: 550 });
    expect(String((refused as Error).message)).toContain('dmarc=fail');
    expect(rt.turns).toHaveLength(0);
    expect(
      await rt.store.identities.get({ channel: 'email', address: 'ann@example.com' }),
    ).toBeNull();
    expect(events).toEqual([
      expect.objectContaining({
        type: 'unsupported',
        reason: 'sender authentication failed: dmarc=fail (p=reject) header.from=example.com',
        from: { address: 'ann@example.com' },
      }),
    ]);
  });

  it('quarantines a forged From when told to: accepted, reported, not recorded as the user', async () => {
    await start('quarantine');
    await rt.deliver(forged(), { from: 'attacker@evil.example' });
    expect(rt.turns).toHaveLength(0);
    expect(
      await rt.store.identities.get({ channel: 'email', address: 'ann@example.com' }),
    ).toBeNull();
    expect(events[0]).toMatchObject({
      type: 'unsupported',
      reason: expect.stringContaining('dmarc=fail'),
    });
  });

  it('trusts mail whose DKIM signature passes even when SPF fails', async () => {
    await start();
    const unsigned = Buffer.from(
      replyMime({
        from: 'Carol <carol@signed.example>',
        subject: 'Signed',
        messageId: '<signed-1@signed.example>',
        text: 'Signed and sealed.',
      }),
    );
    // mailauth 4's signer reads `signatureData`; its bundled types describe only the flat form.
    const signed = await dkimSign(unsigned, {
      signatureData: [
        {
          signingDomain: 'signed.example',
          selector: 'sel',
          privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        },
      ],
    } as unknown as Parameters<typeof dkimSign>[1]);
    await rt.deliver(Buffer.concat([Buffer.from(signed.signatures), unsigned]), {
      from: 'carol@signed.example',
    });
    expect(rt.turns.map((turn) => turn.message.text)).toEqual(['Signed and sealed.']);
    expect(rt.turns[0]?.message.metadata).toMatchObject({ auth: 'spf=fail dkim=pass dmarc=pass' });
  });
});

describe("a provider's verdict", () => {
  it('reads Authentication-Results (RFC 8601)', () => {
    expect(
      verdictFromResults(
        'mx.google.com; dkim=pass header.i=@example.com; spf=pass smtp.mailfrom=example.com; dmarc=pass (p=REJECT) header.from=example.com',
      ),
    ).toEqual({ trusted: true, summary: 'spf=pass dkim=pass dmarc=pass' });
    expect(
      verdictFromResults(
        'mx.example.net; spf=fail smtp.mailfrom=evil.example; dkim=none; dmarc=fail (p=QUARANTINE) header.from=example.com',
      ),
    ).toMatchObject({
      trusted: false,
      reason: 'dmarc=fail (p=quarantine) header.from=example.com',
    });
    expect(verdictFromResults('mx; spf=softfail; dkim=fail')).toMatchObject({ trusted: false });
    expect(verdictFromResults(undefined)).toMatchObject({
      trusted: true,
      summary: 'spf=none dkim=none dmarc=none',
    });
  });
});
