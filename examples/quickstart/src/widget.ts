import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where the `<threadline-chat>` script came from, for the start-up message. */
export interface WidgetBundle {
  code: string;
  source: 'built from source' | 'package dist';
}

/**
 * The `<threadline-chat>` widget as one script (`@threadline/webchat-ws/client/global`).
 *
 * In this repository the demo runs every package from source (`--conditions=@threadline/source`),
 * so it builds the widget from source too, with esbuild, in well under a second: `pnpm demo`
 * works on a fresh clone with no `pnpm build`, and the widget always matches the server code it
 * talks to. Where the source is not there (the package installed from npm), it serves the
 * built file from the package's `dist/`, as your own app would.
 */
export async function loadWidgetBundle(): Promise<WidgetBundle> {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('@threadline/webchat-ws/package.json'));
  const source = join(packageDir, 'src', 'client', 'global.ts');
  if (existsSync(source)) {
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [source],
      bundle: true,
      format: 'iife',
      globalName: 'ThreadlineChat',
      platform: 'browser',
      target: 'es2020',
      minify: true,
      write: false,
      logLevel: 'silent',
    });
    return { code: result.outputFiles[0]?.text ?? '', source: 'built from source' };
  }
  const dist = join(packageDir, 'dist', 'threadline-chat.global.js');
  if (existsSync(dist)) return { code: readFileSync(dist, 'utf8'), source: 'package dist' };
  throw new Error(
    `The web chat widget is missing: neither ${source} nor ${dist} exists. Run \`pnpm build\`.`,
  );
}
