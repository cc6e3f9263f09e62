import { z } from 'zod';

/**
 * Options of the email emulator: the people whose inboxes it shows, and where their replies go
 * (the app's SMTP listener, or its raw MIME webhook with the relay signature).
 */
export const EmailEmulatorOptionsSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    /** The SMTP port the app sends to (`0` picks one). */
    smtpPort: z.number().int().nonnegative().default(0),
    /** The inbox page's HTTP port (`0` picks one). */
    httpPort: z.number().int().nonnegative().default(0),
    /** Addresses whose inboxes exist, e.g. `['ann@example.com']`. Mail to others is refused (550). */
    inboxes: z.array(z.email()).min(1),
    /** Where replies and bounces go. */
    app: z
      .object({
        /** The app's SMTP listener. */
        smtp: z
          .object({ host: z.string().default('127.0.0.1'), port: z.number().int().positive() })
          .strict()
          .optional(),
        /** The app's raw MIME route and its secret (`x-threadline-signature: t=…,v1=…`). */
        webhook: z
          .object({ url: z.url(), secret: z.string().min(16) })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
    /** The name the emulator's mail server uses (HELO, bounce sender). */
    serverName: z.string().default('mx.emulator.test'),
  })
  .strict();

export type EmailEmulatorOptions = z.input<typeof EmailEmulatorOptionsSchema>;
export type ResolvedEmailEmulatorOptions = z.output<typeof EmailEmulatorOptionsSchema>;
