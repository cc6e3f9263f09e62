/** How an emulator retries a webhook the app did not accept. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Wait before the second attempt; each later wait doubles. */
  backoffMs: number;
  /** How long one attempt may take before it counts as failed. */
  timeoutMs: number;
}

/** What happened to one webhook. */
export interface WebhookOutcome {
  ok: boolean;
  attempts: number;
  /** The last HTTP status the app answered, if it answered at all. */
  status?: number;
  /** Why the last attempt failed (network error, timeout, or a non-2xx status). */
  error?: string;
}

/** One webhook to post. */
export interface WebhookRequest {
  url: string;
  /** The exact bytes to send: signatures are computed over them. */
  body: string;
  headers: Record<string, string>;
  policy: RetryPolicy;
  /** Waits between attempts (injected so `stop()` can cancel a pending retry). */
  sleep: (ms: number) => Promise<void>;
  signal?: AbortSignal;
}

/**
 * Posts a webhook, retrying non-2xx answers and network errors with doubling backoff. Providers
 * retry for days (Meta: up to 7 with decreasing frequency); an emulator keeps it to a few quick
 * attempts so a test sees the retry behaviour and the final failure within a second.
 *
 * @example
 * ```ts
 * const outcome = await postWebhook({ url, body, headers, policy, sleep: work.sleep });
 * if (!outcome.ok) console.warn(`gave up after ${outcome.attempts} attempts: ${outcome.error}`);
 * ```
 */
export async function postWebhook(request: WebhookRequest): Promise<WebhookOutcome> {
  const { policy } = request;
  let last: WebhookOutcome = { ok: false, attempts: 0 };
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    if (attempt > 1) await request.sleep(policy.backoffMs * 2 ** (attempt - 2));
    try {
      const signals = [AbortSignal.timeout(policy.timeoutMs)];
      if (request.signal) signals.push(request.signal);
      const response = await fetch(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.any(signals),
      });
      // The body is drained so keep-alive sockets are reused and nothing leaks.
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { ok: true, attempts: attempt, status: response.status };
      last = {
        ok: false,
        attempts: attempt,
        status: response.status,
        error: `HTTP ${response.status}`,
      };
    } catch (error) {
      if (request.signal?.aborted) throw error;
      last = { ok: false, attempts: attempt, error: describeFailure(error) };
    }
  }
  return last;
}

/** `fetch failed` alone says nothing; undici puts the reason (ECONNREFUSED…) in `cause`. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
