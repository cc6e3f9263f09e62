import { parseOptions } from '../errors/validation';
import { type Capabilities, CapabilitiesSchema } from './schema';

/**
 * Validates a capabilities object once, when an adapter is built, so a mistake in a limit is a
 * {@link ConfigError} at start-up rather than a wrong render later.
 *
 * @example
 * ```ts
 * export const capabilities = defineCapabilities({ reach: { cold: 'free-form', addressBy: ['userId', 'phoneNumber'], identity: 'phone' }, … });
 * ```
 */
export function defineCapabilities(input: Capabilities): Capabilities {
  return parseOptions(CapabilitiesSchema, input, 'capabilities');
}
