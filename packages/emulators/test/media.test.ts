import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWhatsAppEmulator, type WhatsAppEmulator } from '../src';
import { startApp, webhookValue } from './app-server';

const PHONE_NUMBER_ID = '106540352242922';
const auth = { authorization: 'Bearer token' };
let emulator: WhatsAppEmulator;
let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  app = await startApp({ appSecret: 'secret' });
  emulator = createWhatsAppEmulator({
    phoneNumberId: PHONE_NUMBER_ID,
    accessToken: 'token',
    appSecret: 'secret',
    webhookUrl: app.webhookUrl,
  });
  await emulator.start();
});
afterAll(async () => {
  await emulator.stop();
  await app.close();
});

describe('the Media API', () => {
  it('serves a photo a person sent: lookup by id, then download with the token', async () => {
    const bytes = Buffer.from('not really a jpeg');
    await emulator
      .receiveFrom('+447700900123')
      .send({ image: { bytes, mimeType: 'image/jpeg', caption: 'My receipt' } });
    const image = webhookValue(app.received.at(-1)).messages[0].image;
    expect(image).toEqual({
      caption: 'My receipt',
      mime_type: 'image/jpeg',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      id: expect.stringMatching(/^\d{15,16}$/),
    });

    const lookup = await fetch(`${emulator.graphUrl}/${image.id}`, { headers: auth });
    const info = await lookup.json();
    expect(info).toEqual({
      messaging_product: 'whatsapp',
      url: expect.stringContaining('/whatsapp_business/attachments/?mid='),
      mime_type: 'image/jpeg',
      sha256: image.sha256,
      file_size: bytes.length,
      id: image.id,
    });
    const download = await fetch(info.url, { headers: auth });
    expect(download.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    expect((await fetch(info.url)).status).toBe(401);
    // Scoped to another business number, the same id does not exist.
    const scoped = await fetch(`${emulator.graphUrl}/${image.id}?phone_number_id=999`, {
      headers: auth,
    });
    expect(scoped.status).toBe(400);
  });

  it('answers an unknown media id as an unknown Graph object', async () => {
    const response = await fetch(`${emulator.graphUrl}/123456789012345`, { headers: auth });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it('takes a multipart upload, serves it back, and deletes it', async () => {
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', 'application/pdf');
    form.set('file', new Blob(['%PDF-1.4 menu']), 'menu.pdf');
    const upload = await fetch(`${emulator.graphUrl}/${PHONE_NUMBER_ID}/media`, {
      method: 'POST',
      headers: auth,
      body: form,
    });
    const { id } = await upload.json();
    expect(id).toMatch(/^\d+$/);
    const info = await (await fetch(`${emulator.graphUrl}/${id}`, { headers: auth })).json();
    expect(info).toMatchObject({ mime_type: 'application/pdf', file_size: 13 });
    const deleted = await fetch(`${emulator.graphUrl}/${id}`, { method: 'DELETE', headers: auth });
    expect(await deleted.json()).toEqual({ success: true });
    expect((await fetch(`${emulator.graphUrl}/${id}`, { headers: auth })).status).toBe(400);
  });

  it('refuses an upload without a file with 131053', async () => {
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    const upload = await fetch(`${emulator.graphUrl}/${PHONE_NUMBER_ID}/media`, {
      method: 'POST',
      headers: auth,
      body: form,
    });
    expect((await upload.json()).error.code).toBe(131053);
  });
});
