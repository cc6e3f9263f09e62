/**
 * Options an adapter may take from environment variables (secrets kept out of code): what the
 * host gave wins, a variable fills only an option left out. `process` is absent on some edge
 * runtimes; there everything must be given in code.
 *
 * @example
 * ```ts
 * const raw = withEnvironment(input, { accessToken: 'WHATSAPP_ACCESS_TOKEN' });
 * const options = parseOptions(Schema, raw, 'createWhatsAppCloudAdapter');
 * ```
 */
export function withEnvironment(
  input: object | undefined,
  variables: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const env =
    (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  const fallbacks: Record<string, string> = {};
  for (const [option, variable] of Object.entries(variables)) {
    const value = env[variable];
    if (value !== undefined && value !== '') fallbacks[option] = value;
  }
  const given = Object.fromEntries(
    Object.entries(input ?? {}).filter(([, value]) => value !== undefined),
  );
  return { ...fallbacks, ...given };
}
