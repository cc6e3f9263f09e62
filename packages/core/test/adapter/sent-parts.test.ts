import { describe, expect, it } from 'vitest';
import { createSentParts, DeliveryError } from '../../src/index';

const failure = () =>
  new DeliveryError('part failed', { category: 'provider', provider: 'example', retryable: true });

describe('createSentParts', () => {
  it('resumes a retried delivery after the parts its first attempt sent', async () => {
    const sentParts = createSentParts();
    const parts = ['one', 'two', 'three'];
    const posted: string[] = [];
    let failOn: string | undefined = 'two';
    const sendAll = (ids: string[]) => async () => {
      for (const part of parts.slice(ids.length)) {
        if (part === failOn) throw failure();
        posted.push(part);
        ids.push(`id-${part}`);
      }
    };
    await expect(sentParts.resume('d1', (ids) => sendAll(ids)())).rejects.toThrow('part failed');
    failOn = undefined;
    const ids = await sentParts.resume('d1', (ids) => sendAll(ids)());
    expect(ids).toEqual(['id-one', 'id-two', 'id-three']);
    expect(posted).toEqual(['one', 'two', 'three']);
  });

  it('forgets a delivery once it is sent, and keeps at most limit deliveries', async () => {
    const sentParts = createSentParts(1);
    const failAfterOne = async (ids: string[]) => {
      ids.push(`id-${ids.length}`);
      throw failure();
    };
    await expect(sentParts.resume('a', failAfterOne)).rejects.toThrow();
    await expect(sentParts.resume('b', failAfterOne)).rejects.toThrow();
    const seen: string[][] = [];
    await sentParts.resume('a', async (ids) => void seen.push([...ids]));
    await sentParts.resume('b', async (ids) => void seen.push([...ids]));
    await sentParts.resume('b', async (ids) => void seen.push([...ids]));
    expect(seen).toEqual([[], ['id-0'], []]);
  });
});
