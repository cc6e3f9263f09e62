import type { Threadline } from '@threadline/core';

/**
 * A Next.js App Router route handler, `app/webhooks/[adapterId]/route.ts`:
 *
 * ```ts
 * import { after } from 'next/server';
 * import { threadline } from '@/lib/threadline';
 * export const runtime = 'nodejs';
 * export const { GET, POST } = createRouteHandlers(threadline, { waitUntil: after });
 * ```
 *
 * Route handlers get the untouched Web `Request`, so it goes straight to `threadline.fetch`; never
 * call `request.json()` first (or pass what you read as `rawBody`). `after` (Next 15) lets the
 * agent's turn finish after the response, as `waitUntil` does on Vercel.
 */
export function createRouteHandlers(
  threadline: Threadline,
  options: { waitUntil?: (work: Promise<unknown>) => void } = {},
): { GET: (request: Request) => Promise<Response>; POST: (request: Request) => Promise<Response> } {
  const handle = (request: Request) =>
    threadline.fetch(request, options.waitUntil ? { waitUntil: options.waitUntil } : {});
  return { GET: handle, POST: handle };
}
