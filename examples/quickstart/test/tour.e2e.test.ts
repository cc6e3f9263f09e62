import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER, RE_ENGAGEMENT_TEMPLATE } from '../src/config';
import { type Demo, startDemo } from '../src/demo';
import type { InspectorState } from '../src/inspector';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = process.env.CI === 'true';
/** Screenshots for a person to look at (not compared); gitignored. */
const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url));
/** How far from the bottom a scrolled log may be and still show its newest message. */
const BOTTOM_SLACK_PX = 40;
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

/**
 * How long a poll waits for the page or the API to catch up (vitest's default is 1 s). Two cores
 * shared with other test runs, a Chromium and the demo's PGlite: a step's trace can take seconds
 * to show, and a poll that gives up sooner fails a tour that works.
 */
const POLL = { timeout: 15_000, interval: 100 } as const;
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, POLL);

/** Distance of a scroll box from its bottom (0: the newest message is in view). */
const FROM_BOTTOM = `(box) => box.scrollHeight - box.scrollTop - box.clientHeight`;

/**
 * The guided tour in a real browser, as a visitor walks it: the web chat on the home page, the
 * WhatsApp phone, the inspector's buttons, the skipped clock and the held message, at 1440 and at
 * 390 px. Each page is checked for sideways scrolling and for its newest message in view.
 */
describe.skipIf(!HAVE_CHROMIUM && !IN_CI)('the guided tour in Chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'threadline-tour-'));
  let demo: Demo;
  let browser: Browser;
  const base = () => demo.url.replace(/\/$/, '');
  const state = async () => (await (await fetch(`${base()}/api/state`)).json()) as InspectorState;
  const settle = async () => {
    await demo.threadline.idle();
    await demo.emulator.idle();
    await demo.threadline.idle();
  };
  const tourDone = async (step: string) =>
    (await state()).tour.find((candidate) => candidate.id === step)?.done;

  /** Sends `text` from the widget; resolves with its seq once the store recorded it (the ack). */
  const say = async (chat: Locator, input: Locator, text: string) => {
    await input.fill(text);
    await input.press('Enter');
    const mine = chat.locator('.message.from-visitor[data-seq]', { hasText: text }).last();
    await mine.waitFor();
    return Number(await mine.getAttribute('data-seq'));
  };
  /** Waits for an agent message matching `selector` (and `text`) after thread seq `after`. */
  const answered = (chat: Locator, after: number, selector: string, text = '') =>
    poll(() =>
      chat
        .locator(selector, { hasText: text })
        .evaluateAll(
          (messages, seq) =>
            messages.some((message) => Number(message.getAttribute('data-seq')) > seq),
          after,
        ),
    ).toBe(true);

  const noSidewaysScroll = async (page: Page, label: string) => {
    const widths = (await page.evaluate(
      '({ scroll: document.documentElement.scrollWidth, view: window.innerWidth })',
    )) as { scroll: number; view: number };
    expect(widths.scroll, `${label}: no horizontal scroll`).toBeLessThanOrEqual(widths.view);
  };
  const widgetFromBottom = (page: Page) =>
    page.evaluate(
      `(${FROM_BOTTOM})(document.querySelector('threadline-chat').shadowRoot.querySelector('.log'))`,
    ) as Promise<number>;
  const phoneFromBottom = (page: Page) =>
    page.evaluate(`(${FROM_BOTTOM})(document.getElementById('messages'))`) as Promise<number>;
  /** The whole page, and what the visitor sees first (the viewport), for review. */
  const shot = async (page: Page, name: string) => {
    await page.screenshot({ path: join(RESULTS, `tour-${name}.png`), fullPage: true });
    await page.screenshot({ path: join(RESULTS, `tour-${name}-top.png`) });
  };

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    demo = await startDemo({
      port: 0,
      dataDir,
      emulator: { statusDelaysMs: { sent: 5, delivered: 5, read: 5 } },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  for (const viewport of [DESKTOP, PHONE]) {
    const size = `${viewport.width}`;
    it(`walks the tour at ${size} px`, async () => {
      const page = await browser.newPage({ viewport });
      page.setDefaultTimeout(20_000);
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));

      // 1. Say hi in the web chat on the home page.
      await page.goto(demo.url);
      await page.locator('threadline-chat[data-state="open"]').waitFor();
      const chat = page.locator('threadline-chat');
      const input = page.getByRole('textbox', { name: 'Message' });
      // The answers to this visit's messages, not the ones the history (an earlier size) shows.
      const hi = await say(chat, input, `Hi from ${size}`);
      await answered(chat, hi, '.message.from-agent', 'Hi Ann!');
      const menu = await say(chat, input, `Show the menu at ${size} px`);
      await answered(chat, menu, '.message.from-agent:has(.card)');
      // The cards' pictures load after the message: the newest message stays in view.
      await poll(() => widgetFromBottom(page)).toBeLessThan(BOTTOM_SLACK_PX);
      // The step's trace (Ann's message, recorded before the agent's reply above) is in the
      // store; the page ticks it once the chat showed the reply (not at the next 2 s refresh).
      await poll(() => tourDone('webchat')).toBe(true);
      await poll(() => page.locator('#tour li.done[data-step="webchat"]').count()).toBe(1);
      await noSidewaysScroll(page, `home at ${size}`);
      await shot(page, `home-${size}`);

      // 2. Ask from the phone: a list and a photo, the newest in view once the photo has loaded.
      await page.goto(`${base()}/phone?number=${encodeURIComponent(DEMO_USER.phoneNumber)}`);
      const phoneInput = page.getByRole('textbox', { name: 'Message' });
      await phoneInput.fill('What did I say?');
      await phoneInput.press('Enter');
      await page.locator('.bubble.business', { hasText: 'on web chat' }).last().waitFor();
      await phoneInput.fill('Send me a photo');
      await phoneInput.press('Enter');
      await page.locator('.bubble.business img.media').last().waitFor();
      await poll(() => phoneFromBottom(page)).toBeLessThan(BOTTOM_SLACK_PX);
      // The business is named in the header, with its avatar, and there is a way back.
      await expect(page.locator('header .avatar').count()).resolves.toBe(1);
      await expect(page.locator('a.back').count()).resolves.toBe(1);
      await noSidewaysScroll(page, `phone at ${size}`);
      await shot(page, `phone-${size}`);
      // A reload opens the phone at its newest message too.
      await page.reload();
      await page.locator('.bubble.business img.media').last().waitFor();
      await poll(() => phoneFromBottom(page)).toBeLessThan(BOTTOM_SLACK_PX);

      // 3. Send proactively, 4. skip 25 hours, from the inspector.
      await page.goto(demo.inspectorUrl);
      await page.locator('button[data-action="proactive-whatsapp"]').click();
      await poll(() => tourDone('proactive')).toBe(true);
      await page.locator('#skip').click();
      await poll(async () => (await state()).clockOffsetHours).toBeGreaterThanOrEqual(25);
      await noSidewaysScroll(page, `inspector at ${size}`);
      await shot(page, `inspector-${size}`);

      // The phone's header follows the shared clock at once, and shows the skipped time.
      await page.goto(`${base()}/phone?number=${encodeURIComponent(DEMO_USER.phoneNumber)}`);
      await poll(() => page.locator('#status').textContent()).toContain('window closed');
      await expect(page.locator('header .clock-badge').textContent()).resolves.toMatch(/\+\d+ h/);
      // The SMS phone (on its own port) shows the skipped clock too, with its way back.
      const sms = demo.channelPages.find((channel) => channel.title === 'SMS')?.url ?? '';
      await page.goto(sms);
      await poll(() => page.locator('header .clock-badge').textContent()).toMatch(/\+\d+ h/);
      expect(await page.locator('a.back').getAttribute('href')).toBe(demo.url);
      await noSidewaysScroll(page, `SMS phone at ${size}`);
      await shot(page, `sms-${size}`);

      // 5. Send again: held behind the template; tap "Show me" on the phone. The web chat, open
      //    in another tab, shows all of it live, with WhatsApp's badge.
      const chatTab = await browser.newPage({ viewport });
      await chatTab.goto(demo.chatUrl);
      await chatTab.locator('threadline-chat[data-state="open"]').waitFor();
      await page.goto(demo.inspectorUrl);
      await page.locator('button[data-action="proactive-whatsapp"]').click();
      await page.locator('#result', { hasText: 'held' }).waitFor();
      await settle();
      await page.goto(`${base()}/phone?number=${encodeURIComponent(DEMO_USER.phoneNumber)}`);
      const showMe = page
        .locator('.bubble.business', { hasText: RE_ENGAGEMENT_TEMPLATE.name })
        .last()
        .getByRole('button', { name: RE_ENGAGEMENT_TEMPLATE.buttons[0] });
      await showMe.click();
      await page.locator('.bubble.business', { hasText: 'Welcome back' }).last().waitFor();
      await poll(() => phoneFromBottom(page)).toBeLessThan(BOTTOM_SLACK_PX);
      // Day separators on the phone: the skipped day shows.
      expect(await page.locator('#messages .day').count()).toBeGreaterThan(0);
      await poll(() => tourDone('held')).toBe(true);
      const liveChat = chatTab.locator('threadline-chat');
      // The template as a template (its name and the text Ann's phone showed), not a placeholder.
      const template = liveChat.locator('.message[data-channel="whatsapp"] .template').last();
      await template.waitFor();
      expect(await template.locator('.template-name').textContent()).toBe(
        RE_ENGAGEMENT_TEMPLATE.name,
      );
      expect(await template.locator('.template-body').textContent()).toBe(
        RE_ENGAGEMENT_TEMPLATE.body,
      );
      await liveChat
        .locator('.message.from-agent[data-channel="whatsapp"]', { hasText: 'Welcome back' })
        .last()
        .waitFor();
      await poll(() => widgetFromBottom(chatTab)).toBeLessThan(BOTTOM_SLACK_PX);
      await noSidewaysScroll(chatTab, `chat at ${size}`);
      await shot(chatTab, `chat-live-${size}`);
      await chatTab.close();
      await shot(page, `phone-after-${size}`);

      // Every other page: no sideways scroll, a way back.
      for (const path of ['/', '/chat', '/inspector', '/phone']) {
        await page.goto(`${base()}${path}`);
        await page.waitForLoadState('load');
        await noSidewaysScroll(page, `${path} at ${size}`);
        await shot(page, `${path === '/' ? 'home-end' : path.slice(1)}-${size}`);
      }
      expect(await page.locator('a.back').count(), '/phone list has a way back').toBe(1);
      // Each channel's page standing in for Ann's device fits the screen too.
      for (const channel of demo.channelPages) {
        await page.goto(channel.url);
        await page.waitForLoadState('load');
        await noSidewaysScroll(page, `${channel.title} page at ${size}`);
        await shot(page, `channel-${channel.title.replace(/\W+/g, '-').toLowerCase()}-${size}`);
      }
      expect(errors).toEqual([]);
      await page.close();
    }, 180_000);
  }

  it('finishes the tour on the other channels, and the home page ticks every step', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    page.setDefaultTimeout(20_000);
    const pageOf = (title: string) =>
      demo.channelPages.find((channel) => channel.title.startsWith(title))?.url ?? '';
    const write = async (text: string) => {
      const input = page.getByRole('textbox', { name: /message/i }).first();
      await input.fill(text);
      await input.press('Enter');
    };
    // 6. An email from the inspector, answered from Ann's inbox.
    await page.goto(demo.inspectorUrl);
    await page.locator('button[data-action="email"]').click();
    await page.locator('#result').filter({ hasText: 'Send email' }).waitFor();
    await page.goto(pageOf('Email'));
    await page.getByRole('textbox', { name: 'Reply' }).first().fill('Sounds good');
    await page.getByRole('button', { name: 'Reply' }).first().click();
    await poll(() => tourDone('email')).toBe(true);
    // 7. A text from the SMS phone; 8. a message on Messenger.
    await page.goto(pageOf('SMS'));
    await write('Hello by SMS');
    await poll(() => tourDone('sms')).toBe(true);
    // Ann's own text is a bubble of its text's size (the page's frame class once sized it too).
    const sent = page.locator('.bubble.phone', { hasText: 'Hello by SMS' }).last();
    expect((await sent.boundingBox())?.height).toBeLessThan(100);
    await page.goto(pageOf('Messenger'));
    await write('Hello on Messenger');
    await poll(() => tourDone('messenger')).toBe(true);
    // 9. Install the Teams app, then send to Ann on Teams from the inspector.
    await page.goto(pageOf('Teams'));
    await page.getByRole('button', { name: 'Install app' }).click();
    await page.goto(demo.inspectorUrl);
    await expect
      .poll(async () => {
        await page.locator('button[data-action="proactive-teams"]').click();
        return tourDone('teams');
      }, POLL)
      .toBe(true);
    await page.goto(demo.url);
    await poll(() => page.locator('#tour li.done').count()).toBe(9);
    await shot(page, 'home-done-1440');
    await page.close();
  }, 120_000);
});
