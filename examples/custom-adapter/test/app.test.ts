import { describe, expect, it } from 'vitest';
import { runCustomAdapterExample } from '../src/app';

describe('examples/custom-adapter', () => {
  it('answers a Relay user with a keyboard, then answers the button they tapped', async () => {
    const { thread, sent } = await runCustomAdapterExample();

    expect(sent.map((message) => message.text)).toEqual([
      'Hi Ann! When would you like to come?',
      'Booked: Today 7pm. See you then!',
    ]);
    expect(
      sent[0]?.reply_markup?.inline_keyboard.flat().map((button) => button.callback_data),
    ).toEqual(['Today 7pm', 'Tomorrow 1pm']);
    expect(thread.map((entry) => [entry.direction, entry.channel])).toEqual([
      ['inbound', 'relay'],
      ['outbound', 'relay'],
      ['inbound', 'relay'],
      ['outbound', 'relay'],
    ]);
  });
});
