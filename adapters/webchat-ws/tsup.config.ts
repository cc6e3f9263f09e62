import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

export default defineConfig([
  // dist is emptied by the build script, not by tsup: the three builds run in parallel.
  // The server adapter, for Node.
  packageBuild(['src/index.ts'], { clean: false }),
  // The browser client as a module (ESM + CJS + d.ts): `@threadline/webchat-ws/client`.
  packageBuild(
    { client: 'src/client/index.ts' },
    { platform: 'browser', target: 'es2020', clean: false, tsconfig: 'tsconfig.client.json' },
  ),
  // The same client as one file for a plain <script> tag: defines <threadline-chat> and
  // exposes `window.ThreadlineChat`. `@threadline/webchat-ws/client/global`.
  packageBuild(
    { 'threadline-chat': 'src/client/global.ts' },
    {
      format: ['iife'],
      dts: false,
      platform: 'browser',
      target: 'es2020',
      clean: false,
      minify: true,
      globalName: 'ThreadlineChat',
      tsconfig: 'tsconfig.client.json',
    },
  ),
]);
