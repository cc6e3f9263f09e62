import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createWhatsAppCloudAdapter } from '../src/index';
import {
  ACCESS_TOKEN,
  API_VERSION,
  baseOptions,
  GRAPH_BASE_URL,
  MEDIA_HOST,
  PHONE_NUMBER_ID,
  useGraphMock,
} from './graph';

const graph = useGraphMock();
beforeEach(() => graph.reset());

const adapter = createWhatsAppCloudAdapter(baseOptions);
const photo = new TextEncoder().encode('\u00ff\u00d8 not really a jpeg');
const hash = createHash('sha256').update(photo);

describe('downloadMedia', () => {
  it('looks the id up on Graph for this number, then downloads the file with the token', async () => {
    graph.addMedia('1001', {
      data: photo,
      mimeType: 'image/jpeg',
      sha256: hash.copy().digest('hex'),
    });
    const file = await adapter.downloadMedia('1001');
    expect(file).toEqual({
      mediaId: '1001',
      data: photo,
      mimeType: 'image/jpeg',
      sha256: hash.copy().digest('hex'),
      sizeBytes: photo.byteLength,
    });
    expect(graph.requests.map((r) => [r.method, r.url, r.authorization])).toEqual([
      [
        'GET',
        `${GRAPH_BASE_URL}/${API_VERSION}/1001?phone_number_id=${PHONE_NUMBER_ID}`,
        `Bearer ${ACCESS_TOKEN}`,
      ],
      ['GET', `${MEDIA_HOST}/1001?ext=1`, `Bearer ${ACCESS_TOKEN}`],
    ]);
  });

  it('accepts the hash as base64 (as webhooks carry it) and a file without one', async () => {
    graph.addMedia('1002', {
      data: photo,
      mimeType: 'image/jpeg',
      sha256: hash.copy().digest('base64'),
    });
    graph.addMedia('1003', { data: photo, mimeType: 'audio/ogg' });
    expect((await adapter.downloadMedia('1002')).data).toEqual(photo);
    expect(await adapter.downloadMedia('1003')).toMatchObject({
      mimeType: 'audio/ogg',
      sizeBytes: photo.byteLength,
    });
  });

  it('refuses bytes that do not match the hash as a retryable media error', async () => {
    graph.addMedia('1004', { data: photo, mimeType: 'image/jpeg', sha256: 'a'.repeat(64) });
    await expect(adapter.downloadMedia('1004')).rejects.toMatchObject({
      name: 'DeliveryError',
      category: 'media',
      retryable: true,
    });
  });

  it('maps an unknown media id to Graph error 100, and refuses an id that is not one', async () => {
    await expect(adapter.downloadMedia('404404')).rejects.toMatchObject({
      category: 'invalid_request',
      providerCode: '100',
    });
    await expect(adapter.downloadMedia('../me')).rejects.toMatchObject({
      category: 'invalid_request',
    });
    expect(graph.requests.map((r) => r.url)).toEqual([
      `${GRAPH_BASE_URL}/${API_VERSION}/404404?phone_number_id=${PHONE_NUMBER_ID}`,
    ]);
  });
});
