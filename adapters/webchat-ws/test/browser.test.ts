import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type AgentTurn, createThreadline, type Threadline } from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVisitorToken, createWebChatAdapter } from '../src/index';
import { SECRET } from './helpers';

/**
 * The widget end to end in real headless Chromium (Debian's `chromium`, driven by playwright-core):
 * a page loads the client bundle built from source, the visitor writes, the agent answers with
 * every `:::` component, an action button is clicked, and the server restarts while a message is
 * sent to the offline visitor, which arrives when the widget reconnects.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = process.env.CI === 'true';
const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url));

if (!HAVE_CHROMIUM && !IN_CI) {
  console.warn(
    [
      '',
      '='.repeat(78),
      `  SKIPPED: the web chat browser test needs Chromium at ${CHROMIUM}.`,
      '  Install it with `apt-get install chromium` (or set CHROMIUM_PATH). Under CI=true',
      '  this test fails instead of skipping.',
      '='.repeat(78),
      '',
    ].join('\n'),
  );
}

const USER = 'e2e-visitor';

const RICH_REPLY = `Here are your options.

::: list-item
![image](/img/tea.svg)
#Green tea
##Sencha
Fresh and grassy.
:::
::: horizontal-list-item
#Oolong
##Half-oxidised
:::
::: horizontal-list-item
#Black tea
##Assam
:::
::: horizontal-list-item
#Rooibos
##Caffeine-free
:::
::: actions
- Yes please
- No thanks
:::
::: links
[Shipping policy](https://example.com/shipping)
:::
::: images
![A teapot](/img/tea.svg)
![Cups](/img/tea.svg)
:::
::: documents
[Price list.pdf](/files/prices.pdf)
:::
::: payment
[Pay 12.00 EUR](https://pay.example.com/checkout/42)
:::
::: flow
flow_id=123
flow_cta=Book a tasting
body=Pick a time that suits you.
:::
::: navigate
![navigate](/orders?id=7)
:::`;

function teaSvg(): string {
  return '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="90"><rect width="160" height="90" fill="#7cb342"/><text x="12" y="52" font-size="20" fill="#fff" font-family="sans-serif">tea</text></svg>';
}

async function* words(...parts: string[]): AsyncIterable<string> {
  for (const part of parts) {
    await new Promise((resolve) => setTimeout(resolve, 15));
    yield part;
  }
}

async function agent({ message, reply }: AgentTurn): Promise<void> {
  if (message.text === 'hello') await reply(RICH_REPLY);
  else if (message.text === 'be nasty')
    await reply(
      '<img src=x onerror="window.pwned=1"> [click](javascript:window.pwned=2) **bold** `code`',
    );
  else if (message.text === 'stream please') await reply(words('Streaming ', 'works ', 'fine.'));
  else await reply(`You chose: ${message.text}`);
}

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)(
  'the <threadline-chat> widget in headless Chromium',
  () => {
    const store = createMemoryStore();
    let bundle = '';
    let browser: Browser;
    let page: Page;
    let http: Server;
    let threadline: Threadline;
    let port = 0;
    const pageErrors: string[] = [];

    /** Starts a runtime with the adapter on `port` (0: any), serving the test page too. */
    async function startServer(options: { beforeListen?: (t: Threadline) => Promise<void> } = {}) {
      const webchat = createWebChatAdapter({ secret: SECRET, heartbeatIntervalMs: 5_000 });
      threadline = createThreadline({ store, adapters: [webchat], onMessage: agent });
      const page = (token: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Threadline web chat</title>
<style>body { font-family: sans-serif; margin: 24px; background: #f8fafc; }
threadline-chat { --threadline-accent: #0f766e; --threadline-height: 860px; max-width: 560px; }</style>
</head><body><h1>Tea shop</h1>
<script src="/threadline-chat.js"></script>
<script>
  window.navigations = [];
  const chat = document.createElement('threadline-chat');
  chat.reconnect = { minDelayMs: 100, maxDelayMs: 400 };
  chat.onNavigate = (path, { query }) => window.navigations.push({ path, query });
  chat.setAttribute('heading', 'Tea shop support');
  chat.setAttribute('token', ${JSON.stringify(token)});
  chat.setAttribute('url', 'ws://' + location.host + '/webchat');
  document.body.append(chat);
</script></body></html>`;
      const handler = threadline.toNodeHandler();
      http = createServer((request, response) => {
        if (request.url === '/') {
          response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          void createVisitorToken({ userId: USER, ttlSeconds: 600 }, SECRET).then((token) =>
            response.end(page(token)),
          );
        } else if (request.url === '/threadline-chat.js') {
          response.writeHead(200, { 'content-type': 'text/javascript' });
          response.end(bundle);
        } else if (request.url === '/favicon.ico') {
          response.writeHead(204).end();
        } else if (request.url?.startsWith('/img/')) {
          response.writeHead(200, { 'content-type': 'image/svg+xml' });
          response.end(teaSvg());
        } else {
          handler(request, response);
        }
      });
      webchat.attach(http);
      await threadline.start();
      await options.beforeListen?.(threadline);
      await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
      port = (http.address() as AddressInfo).port;
    }

    async function stopServer() {
      await threadline.stop();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }

    const chat = () => page.locator('threadline-chat');
    const agentMessage = (text: string) => chat().locator('.message.from-agent', { hasText: text });

    beforeAll(async () => {
      const built = await build({
        entryPoints: [fileURLToPath(new URL('../src/client/global.ts', import.meta.url))],
        bundle: true,
        format: 'iife',
        globalName: 'ThreadlineChat',
        platform: 'browser',
        target: 'es2020',
        write: false,
      });
      bundle = built.outputFiles[0]?.text ?? '';
      await startServer();
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
          '--disable-quic',
          '--disable-sync',
        ],
      });
      page = await browser.newPage({ viewport: { width: 640, height: 980 } });
      page.setDefaultTimeout(5_000);
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        // Chromium logs each refused connection while the server is down: expected, not a bug.
        const refused = /^WebSocket connection to .* failed/.test(message.text());
        if (message.type() === 'error' && !refused) pageErrors.push(message.text());
      });
    }, 30_000);

    afterAll(async () => {
      await browser?.close();
      await stopServer().catch(() => undefined);
    });

    it('connects, sends a message and shows the reply with every component rendered', async () => {
      await page.goto(`http://127.0.0.1:${port}/`);
      await chat()
        .and(page.locator('[data-state="open"]'))
        .waitFor()
        .catch(async (error) => {
          throw new Error(`${error}\n${pageErrors.join('\n')}\n${await page.content()}`);
        });
      expect(await page.getByRole('status').textContent()).toBe('Connected');

      const input = page.getByRole('textbox', { name: 'Message' });
      await input.fill('hello');
      await input.press('Enter');

      const reply = agentMessage('Here are your options.');
      await reply.waitFor();
      await chat().locator('.message.from-visitor', { hasText: 'hello' }).waitFor();
      expect(await reply.locator('.cards .card').count()).toBe(1);
      expect(await reply.locator('.cards .card-title').textContent()).toBe('Green tea');
      expect(await reply.locator('.carousel [aria-roledescription="slide"]').count()).toBe(3);
      expect(await reply.getByRole('button', { name: 'Next cards' }).count()).toBe(1);
      expect(await reply.locator('.bubble > .actions button').allTextContents()).toEqual([
        'Yes please',
        'No thanks',
      ]);
      const link = reply.locator('.links a');
      expect(await link.textContent()).toBe('Shipping policy');
      expect(await link.getAttribute('href')).toBe('https://example.com/shipping');
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
      expect(await reply.locator('.gallery img').count()).toBe(2);
      expect(await reply.locator('.gallery img').first().getAttribute('alt')).toBe('A teapot');
      expect(await reply.locator('.documents a[download]').textContent()).toBe('Price list.pdf');
      expect(await reply.locator('a.payment').getAttribute('href')).toBe(
        'https://pay.example.com/checkout/42',
      );
      expect(await reply.locator('.flow button').textContent()).toBe('Book a tasting');
      // navigate is an instruction to the page, never shown.
      expect(await reply.textContent()).not.toContain('/orders');
      expect(await page.evaluate('window.navigations')).toEqual([
        { path: '/orders', query: { id: '7' } },
      ]);
      expect(await page.getByRole('log', { name: 'Conversation' }).count()).toBe(1);
      mkdirSync(RESULTS, { recursive: true });
      await reply.screenshot({ path: `${RESULTS}webchat-components.png` });
    });

    it('sends the label of an action button, shows the answer, and settles the prompt', async () => {
      const yes = page.getByRole('button', { name: 'Yes please' });
      expect(await yes.isDisabled()).toBe(false);
      await yes.click();
      await chat().locator('.message.from-visitor', { hasText: 'Yes please' }).waitFor();
      await agentMessage('You chose: Yes please').waitFor();
      // Answered: its buttons are visibly inactive, so an old offer cannot be answered again.
      expect(await yes.isDisabled()).toBe(true);
      expect(
        await agentMessage('Here are your options.').and(page.locator('.answered')).count(),
      ).toBe(1);
    });

    it('shows markup in agent text as text, and never links javascript:', async () => {
      const input = page.getByRole('textbox', { name: 'Message' });
      await input.fill('be nasty');
      await input.press('Enter');
      const reply = agentMessage('onerror');
      await reply.waitFor();
      expect(await reply.locator('img').count()).toBe(0);
      expect(await reply.locator('a').count()).toBe(0);
      expect(await reply.locator('strong').textContent()).toBe('bold');
      expect(await reply.locator('code').textContent()).toBe('code');
      expect(await page.evaluate('window.pwned')).toBeUndefined();
    });

    it('shows a streamed reply as it comes, as one message', async () => {
      const input = page.getByRole('textbox', { name: 'Message' });
      await input.fill('stream please');
      await input.press('Enter');
      await agentMessage('Streaming works fine.').and(page.locator('.received')).waitFor();
      expect(await agentMessage('Streaming works fine.').count()).toBe(1);
    });

    it('reconnects after a server restart and shows the messages it missed', async () => {
      await stopServer();
      await chat().and(page.locator('[data-state="reconnecting"]')).waitFor();
      // Written while offline: shown at once as sending, sent when the widget is back.
      const input = page.getByRole('textbox', { name: 'Message' });
      await input.fill('are you there?');
      await input.press('Enter');
      await chat()
        .locator('.message.from-visitor.sending', { hasText: 'are you there?' })
        .waitFor();
      await startServer({
        beforeListen: async (restarted) => {
          // The visitor is offline: the message is stored and replayed when they reconnect.
          await restarted.channels.send({
            channel: 'webchat',
            to: { userId: USER },
            text: 'While you were away: your tea has shipped.',
          });
        },
      });
      await agentMessage('While you were away: your tea has shipped.').waitFor({ timeout: 10_000 });
      await chat().and(page.locator('[data-state="open"]')).waitFor();
      await agentMessage('You chose: are you there?').waitFor();
      await chat().locator('.message.from-visitor.sent', { hasText: 'are you there?' }).waitFor();
      // Nothing was shown twice: the replay is deduplicated against what the widget already had
      // (the streamed reply by its delivery id).
      for (const text of [
        'Here are your options.',
        'You chose: Yes please',
        'Streaming works fine.',
        'onerror',
      ]) {
        expect(await agentMessage(text).count(), text).toBe(1);
      }
      const seqs = await chat()
        .locator('.message')
        .evaluateAll((nodes) =>
          nodes.map((node) =>
            Number((node as unknown as { dataset: { seq?: string } }).dataset.seq),
          ),
        );
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

      await input.fill('after the restart');
      await input.press('Enter');
      await agentMessage('You chose: after the restart').waitFor();

      mkdirSync(RESULTS, { recursive: true });
      await page.screenshot({ path: `${RESULTS}webchat-e2e.png`, fullPage: true });
      expect(pageErrors).toEqual([]);
    });
  },
);
