import type { RuntimeContext } from './context';

/**
 * How long readiness waits for the store before calling it unreachable: a probe that hangs is
 * worse than one that fails, because Kubernetes' own probe timeout (1 s by default) would then
 * report a timeout with no detail.
 */
export const READINESS_STORE_TIMEOUT_MS = 900;

/** One line of a health report. */
export interface HealthCheck {
  name: 'runtime' | 'store' | 'adapters';
  ok: boolean;
  detail: string;
}

/** What `live()` and `ready()` report; `ok` is true when every check is. */
export interface HealthReport {
  ok: boolean;
  checks: HealthCheck[];
}

/**
 * Liveness and readiness for probes (Kubernetes' `livenessProbe` / `readinessProbe`, a load
 * balancer's health check). Mount the `*Response` forms on two routes:
 *
 * @example
 * ```ts
 * app.get('/livez', () => threadline.health.liveResponse());
 * app.get('/readyz', () => threadline.health.readyResponse()); // 200 or 503, JSON report
 * ```
 */
export interface HealthApi {
  /**
   * The process can answer: no I/O, so a slow database never gets the pod restarted (that is
   * readiness's job: it takes the pod out of the load balancer instead).
   */
  live(): HealthReport;
  /** Started, the store reachable with its schema current, at least one adapter configured. */
  ready(): Promise<HealthReport>;
  /** `live()` as a `Response`: always 200. */
  liveResponse(): Response;
  /** `ready()` as a `Response`: 200 when ready, 503 otherwise, the report as JSON either way. */
  readyResponse(): Promise<Response>;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function checkStore(ctx: RuntimeContext): Promise<HealthCheck> {
  const { store } = ctx;
  try {
    // A store without its own check is probed with a one-row read of a key that never exists.
    const health = await withTimeout(
      store.health
        ? store.health()
        : store.users.get('threadline-readiness-probe').then(() => ({ ok: true, detail: 'read' })),
      READINESS_STORE_TIMEOUT_MS,
    );
    return { name: 'store', ...health };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { name: 'store', ok: false, detail: `unreachable: ${reason}` };
  }
}

const json = (report: HealthReport, status: number) =>
  new Response(JSON.stringify(report), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });

/** Builds `threadline.health` over the runtime's context and its started flag. */
export function createHealthApi(ctx: RuntimeContext, isStarted: () => boolean): HealthApi {
  const live = (): HealthReport => ({
    ok: true,
    checks: [{ name: 'runtime', ok: true, detail: `instance ${ctx.instanceId}` }],
  });
  const ready = async (): Promise<HealthReport> => {
    const adapters = ctx.adapters.all();
    const checks: HealthCheck[] = [
      {
        name: 'runtime',
        ok: isStarted(),
        detail: isStarted() ? `instance ${ctx.instanceId} started` : 'start() has not been called',
      },
      await checkStore(ctx),
      {
        name: 'adapters',
        ok: adapters.length > 0,
        detail:
          adapters.length > 0
            ? adapters.map((adapter) => `${adapter.id} (${adapter.channel})`).join(', ')
            : 'no adapters configured',
      },
    ];
    return { ok: checks.every((check) => check.ok), checks };
  };
  return {
    live,
    ready,
    liveResponse: () => json(live(), 200),
    readyResponse: async () => {
      const report = await ready();
      return json(report, report.ok ? 200 : 503);
    },
  };
}
