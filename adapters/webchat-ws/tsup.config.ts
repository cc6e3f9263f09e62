import { copyFile, writeFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

/**
 * Types for the `<script>` build, so `@threadline/webchat-ws/client/global` resolves with types
 * under every module resolution: it exports nothing and declares the `window.ThreadlineChat`
 * global and the `<threadline-chat>` element.
 */
const GLOBAL_TYPES = `import type * as Client from './client.js';
import type { ThreadlineChatElement } from './client.js';
declare global {
  /** The client, as the \`<script>\` build exposes it. */
  var ThreadlineChat: typeof Client;
  interface HTMLElementTagNameMap {
    'threadline-chat': ThreadlineChatElement;
  }
}
export {};
`;

/**
 * The IIFE is plain script, valid as ES module and as CommonJS alike; in a `"type": "module"`
 * package a `.js` file is ESM, so `require` gets the same bytes under `.cjs`.
 */
async function writeGlobalEntryPoints(): Promise<void> {
  await copyFile('dist/threadline-chat.global.js', 'dist/threadline-chat.global.cjs');
  await writeFile('dist/threadline-chat.global.d.ts', GLOBAL_TYPES);
  await writeFile(
    'dist/threadline-chat.global.d.cts',
    GLOBAL_TYPES.replaceAll("'./client.js'", "'./client.cjs'"),
  );
}

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
      onSuccess: writeGlobalEntryPoints,
    },
  ),
]);
