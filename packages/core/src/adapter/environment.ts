/**
 * Adapter options with environment fallbacks: each option missing (or `undefined`) in `input` is
 * taken from its environment variable, when that is set and not empty. Shared so every adapter
 * reads secrets from the environment the same way; validation stays with `parseOptions`.
 * On edge runtimes without `process`, nothing is read and the options must be given in code.
 *
 * @example
 * ```ts
 * const merged = withEnvironmentFallbacks({ appId: 'x' }, { appPassword: 'MICROSOFT_APP_PASSWORD' });
 * parseOptions(TeamsOptionsSchema, merged, 'createTeamsAdapter');
 * ```
 */
export function withEnvironmentFallbacks(
  input: object | undefined,
  fallbacks: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const env =
    (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  const fromEnvironment: Record<string, string> = {};
  for (const [option, variable] of Object.entries(fallbacks)) {
    const value = env[variable];
    if (value !== undefined && value !== '') fromEnvironment[option] = value;
  }
  const given = Object.fromEntries(
    Object.entries(input ?? {}).filter(([, value]) => value !== undefined),
  );
  return { ...fromEnvironment, ...given };
}
