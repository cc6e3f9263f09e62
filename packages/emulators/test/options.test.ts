import { describe, expect, it } from 'vitest';
import { createWhatsAppEmulator, EmulatorConfigError } from '../src';

describe('createWhatsAppEmulator options', () => {
  it('names the bad option', () => {
    const create = () =>
      createWhatsAppEmulator({ phoneNumberId: '1', accessToken: 't', appSecret: '', rate: -1 });
    expect(create).toThrow(EmulatorConfigError);
    expect(create).toThrow(/appSecret: .*; rate: /);
  });

  it('refuses an unknown option, so a typo fails loudly', () => {
    const options = { phoneNumberId: '1', accessToken: 't', appSecret: 's', webhookURL: 'x' };
    expect(() => createWhatsAppEmulator(options as never)).toThrow(/webhookURL|Unrecognized key/);
  });

  it('needs start() before its URL exists', () => {
    const emulator = createWhatsAppEmulator({
      phoneNumberId: '1',
      accessToken: 't',
      appSecret: 's',
    });
    expect(() => emulator.url).toThrow(/start\(\)/);
  });
});
