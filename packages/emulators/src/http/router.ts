import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a route handler receives. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The `:name` segments of the matched pattern, decoded. */
  params: Record<string, string>;
}

/** Handles one matched request. */
export type RouteHandler = (context: RouteContext) => void | Promise<void>;

/** The outcome of {@link Router.handle}: a provider answers the misses in its own error format. */
export type RouteOutcome = 'handled' | 'method-not-allowed' | 'not-found';

/** A first-match router over `/literal/:param` patterns. */
export interface Router {
  route(method: string, pattern: string, handler: RouteHandler): Router;
  /** Dispatches on `path` (which may differ from `url.pathname`, e.g. with a version stripped). */
  handle(context: Omit<RouteContext, 'params'>, path: string): Promise<RouteOutcome>;
}

interface Route {
  method: string;
  segments: string[];
  handler: RouteHandler;
}

function split(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function match(route: Route, segments: string[]): Record<string, string> | undefined {
  if (route.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, expected] of route.segments.entries()) {
    const actual = segments[index] as string;
    if (expected.startsWith(':')) params[expected.slice(1)] = decodeURIComponent(actual);
    else if (expected !== actual) return undefined;
  }
  return params;
}

/**
 * Creates a {@link Router}. Deliberately tiny: each emulator has a handful of routes, and a
 * framework dependency would be the only one in the package besides zod.
 *
 * @example
 * ```ts
 * const router = createRouter().route('GET', '/phone/:number', ({ res, params }) => {
 *   res.end(params.number);
 * });
 * const outcome = await router.handle({ req, res, url }, url.pathname);
 * ```
 */
export function createRouter(): Router {
  const routes: Route[] = [];
  const router: Router = {
    route(method, pattern, handler) {
      routes.push({ method: method.toUpperCase(), segments: split(pattern), handler });
      return router;
    },
    async handle(context, path) {
      const segments = split(path);
      let pathMatched = false;
      for (const route of routes) {
        const params = match(route, segments);
        if (params === undefined) continue;
        pathMatched = true;
        if (route.method !== context.req.method) continue;
        await route.handler({ ...context, params });
        return 'handled';
      }
      return pathMatched ? 'method-not-allowed' : 'not-found';
    },
  };
  return router;
}
