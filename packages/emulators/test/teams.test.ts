import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamsEmulator, type TeamsEmulator } from '../src/index';

/**
 * The Teams emulator's wire format, checked from outside: its tokens verify against its own
 * JWKS, its token endpoint checks the secret, its Bot Connector checks the bearer token and the
 * conversation, and activities reach the bot signed.
 */

const APP_ID = 'emulated-bot';
let teams: TeamsEmulator;
let bot: Server;
const received: Array<{ authorization: string | undefined; body: Record<string, unknown> }> = [];

beforeAll(async () => {
  bot = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => {
      data += chunk;
    });
    req.on('end', () => {
      received.push({ authorization: req.headers.authorization, body: JSON.parse(data) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
  const { port } = bot.address() as AddressInfo;
  teams = createTeamsEmulator({
    appId: APP_ID,
    appPassword: 'secret',
    botUrl: `http://127.0.0.1:${port}/api/messages`,
  });
  await teams.start();
});

afterAll(async () => {
  await teams.stop();
  await new Promise((resolve) => bot.close(resolve));
});

async function token(secret = 'secret'): Promise<Response> {
  return fetch(teams.adapterOptions().endpoints.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: APP_ID,
      client_secret: secret,
      scope: 'https://api.botframework.com/.default',
    }),
  });
}

describe('Teams emulator', () => {
  it('posts a signed conversationUpdate on install, verifiable with its JWKS', async () => {
    expect((await teams.install('Ann')).status).toBe(200);
    const last = received.at(-1);
    expect(last?.body).toMatchObject({
      type: 'conversationUpdate',
      membersAdded: [{ id: `28:${APP_ID}` }, { id: teams.person('Ann').id }],
      serviceUrl: teams.serviceUrl,
    });
    const metadata = await (await fetch(teams.adapterOptions().endpoints.openIdMetadataUrl)).json();
    const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri));
    const { payload } = await jwtVerify(String(last?.authorization).replace('Bearer ', ''), jwks, {
      issuer: 'https://api.botframework.com',
      audience: APP_ID,
    });
    expect(payload.serviceurl).toBe(teams.serviceUrl);
  });

  it('issues tokens for the right secret only', async () => {
    expect((await token('wrong')).status).toBe(401);
    const ok = await (await token()).json();
    expect(ok).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
  });

  it('records what the bot posts with a valid token, and refuses the rest like Teams', async () => {
    const { access_token } = await (await token()).json();
    const ann = teams.person('Ann');
    const post = (conversation: string, auth = `Bearer ${access_token}`) =>
      fetch(`${teams.serviceUrl}v3/conversations/${encodeURIComponent(conversation)}/activities`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: auth },
        body: JSON.stringify({ type: 'message', text: 'hello Ann' }),
      });
    expect((await post(ann.conversationId, 'Bearer nope')).status).toBe(401);
    expect((await post('a:unknown')).status).toBe(404);
    const created = await post(ann.conversationId);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id: expect.any(String) });
    expect(teams.sent('Ann').map((activity) => activity.text)).toEqual(['hello Ann']);

    teams.failNext({ status: 429, code: 'TooManyRequests', retryAfter: '3' });
    const throttled = await post(ann.conversationId);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('3');

    await teams.uninstall('Ann');
    const removed = await post(ann.conversationId);
    expect(removed.status).toBe(403);
    expect(await removed.json()).toMatchObject({ error: { code: 'BotNotInConversationRoster' } });
  });

  it('serves a chat page per person', async () => {
    const page = await fetch(teams.chatPageUrl('Ann'));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Install app');
    const chat = await (await fetch(`${teams.url}/api/chat?name=Ann`)).json();
    expect(chat).toMatchObject({ installed: false, chat: [{ from: 'bot', text: 'hello Ann' }] });
  });
});
