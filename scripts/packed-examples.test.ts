import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { outsideManifest, STARTER_EXAMPLES } from './packed-examples';

const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

const tarballs = new Map([
  ['@threadline/core', { path: '/tmp/t/threadline-core-0.3.0.tgz', version: '0.3.0' }],
  ['@threadline/testkit', { path: '/tmp/t/threadline-testkit-0.3.0.tgz', version: '0.3.0' }],
]);

describe('the starter examples outside the repo', () => {
  it('points workspace dependencies at the tarballs and peers at the published caret range', () => {
    const manifest = outsideManifest(
      {
        name: 'starter',
        peerDependencies: { '@threadline/core': 'workspace:^' },
        dependencies: { 'sql.js': '^1.17.0' },
        devDependencies: {
          '@threadline/core': 'workspace:^',
          '@threadline/testkit': 'workspace:^',
        },
      },
      tarballs,
    );
    expect(manifest.peerDependencies).toEqual({ '@threadline/core': '^0.3.0' });
    expect(manifest.dependencies).toEqual({ 'sql.js': '^1.17.0' });
    expect(manifest.devDependencies).toEqual({
      '@threadline/core': 'file:/tmp/t/threadline-core-0.3.0.tgz',
      '@threadline/testkit': 'file:/tmp/t/threadline-testkit-0.3.0.tgz',
    });
  });

  it('refuses a workspace dependency that was not packed', () => {
    expect(() =>
      outsideManifest({ devDependencies: { '@threadline/nope': 'workspace:^' } }, tarballs),
    ).toThrow(/@threadline\/nope/);
  });

  it.each(STARTER_EXAMPLES)(
    'examples/%s stands alone: own tsconfig, own vitest config, core as a peer, scripts to check it',
    (example) => {
      const dir = `examples/${example}/`;
      expect(read(`${dir}tsconfig.json`)).not.toMatch(/"extends"/);
      expect(existsSync(new URL(`${dir}vitest.config.ts`, root))).toBe(true);
      const manifest = JSON.parse(read(`${dir}package.json`)) as {
        peerDependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
        scripts?: Record<string, string>;
      };
      expect(manifest.peerDependencies?.['@threadline/core']).toBeDefined();
      expect(manifest.devDependencies).toMatchObject({
        '@threadline/core': expect.any(String),
        '@threadline/testkit': expect.any(String),
        typescript: expect.any(String),
        vitest: expect.any(String),
      });
      expect(manifest.scripts).toMatchObject({ typecheck: expect.any(String), test: 'vitest run' });
    },
  );
});
