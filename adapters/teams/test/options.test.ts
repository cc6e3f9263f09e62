import { ConfigError } from '@threadline/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTeamsAdapter, teamsCapabilities } from '../src/index';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

afterEach(() => vi.unstubAllEnvs());

describe('createTeamsAdapter options', () => {
  it('names the app id when it is missing', () => {
    vi.stubEnv('MICROSOFT_APP_ID', '');
    expect(configError(() => createTeamsAdapter({ appPassword: 'x' })).message).toContain('appId');
  });

  it('needs the tenant id for a single-tenant app', () => {
    const error = configError(() =>
      createTeamsAdapter({ appId: 'a', appPassword: 'x', appType: 'SingleTenant' }),
    );
    expect(error.message).toContain('tenantId');
  });

  it('takes exactly one of a password or a certificate', () => {
    const both = configError(() =>
      createTeamsAdapter({
        appId: 'a',
        appPassword: 'x',
        certificate: { thumbprint: 't', privateKey: 'k' },
      }),
    );
    expect(both.message).toContain('appPassword');
  });

  it('reads the app id and secret from MICROSOFT_APP_* when not given', () => {
    vi.stubEnv('MICROSOFT_APP_ID', 'env-app');
    vi.stubEnv('MICROSOFT_APP_PASSWORD', 'env-secret');
    const adapter = createTeamsAdapter({});
    expect(adapter.appId).toBe('env-app');
    expect(adapter.id).toBe('teams-env-app');
  });

  it('refuses a service URL that is not a URL, naming it', () => {
    const error = configError(() =>
      createTeamsAdapter({ appId: 'a', appPassword: 'x', serviceUrls: ['not a url'] }),
    );
    expect(error.message).toContain('serviceUrls');
  });
});

describe('capabilities', () => {
  it('are warm-only through references, without a window, with per-conversation pacing', () => {
    const capabilities = teamsCapabilities({ streaming: true });
    expect(capabilities.reach).toMatchObject({ cold: 'warm-only', warmBy: 'reference' });
    expect(capabilities.window).toBeNull();
    expect(capabilities.rate.perRecipient).toEqual({ messages: 60, perSeconds: 30 });
    expect(capabilities.components.actions).toEqual({ mode: 'native', max: 6 });
    expect(capabilities.components.flow.mode).toBe('fallback');
    expect(capabilities.components.navigate.mode).toBe('drop');
  });
});
