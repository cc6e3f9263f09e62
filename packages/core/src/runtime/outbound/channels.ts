import { parseInput, ValidationError } from '../../errors/validation';
import type { TemplateMessage } from '../../message/outbound';
import type { RuntimeContext } from '../context';
import type { Dispatcher } from '../outbox/dispatcher';
import type { DeliveryPayload } from '../outbox/payload';
import { type AdmissionPlace, sendAdmission } from './admission';
import { plainTextSend } from './fast-input';
import {
  DEPRECATED_POSITIONAL_SEND_TEMPLATE,
  DeprecationLog,
  liftChannelIdentifier,
  nestTemplateFields,
} from './legacy';
import type { SendOutput } from './result';
import {
  type ChannelSendInput,
  ChannelSendInputSchema,
  type ChannelTemplateSendInput,
  ChannelTemplateSendInputSchema,
  type EmailSendInput,
  EmailSendInputSchema,
  type TemplateSendInput,
} from './schemas';
import { type ResolvedSendOptions, type SendRequest, sendMessage, withWarnings } from './send';

/** Sends with an approved template on a channel that has them. */
export type TemplateSender = (input: TemplateSendInput) => Promise<SendOutput>;

/**
 * `threadline.channels`: proactive and reply sends on any configured channel. Every send names the
 * channel (`channel`, or the `channels.<name>` it is called on), optionally the sender (`from`: an
 * adapter id), and a template as `template: { name, languageCode, … }` (see `docs/naming.md`).
 *
 * @example
 * ```ts
 * await threadline.channels.send({ channel: 'sms', to: { phoneNumber: '+447700900123' }, text: 'Your order shipped' });
 * await threadline.channels.whatsapp.sendTemplate({
 *   to: { userId }, from: 'whatsapp-106540352242922',
 *   template: { name: 'order_update', languageCode: 'en_US' }, messageContext: 'Told them the order shipped',
 * });
 * await threadline.channels.email.send({ to: { email: 'ann@example.com' }, subject: 'Receipt', text: 'Thanks!' });
 * ```
 */
export interface ChannelsApi {
  /** Sends text (with `:::` components and optional media) on a channel. */
  send(input: ChannelSendInput): Promise<SendOutput>;
  /** Sends a provider template on any templated channel. */
  sendTemplate(input: ChannelTemplateSendInput): Promise<SendOutput>;
  /** @deprecated Use `sendTemplate({ channel, ...input })`. Removed in the next minor. */
  sendTemplate(channel: string, input: TemplateSendInput): Promise<SendOutput>;
  whatsapp: { sendTemplate: TemplateSender };
  email: { send(input: EmailSendInput): Promise<SendOutput> };
}

export function createChannelsApi(ctx: RuntimeContext, dispatcher: Dispatcher): ChannelsApi {
  const admission = sendAdmission(ctx);
  /**
   * Sends through the admission gate (see `SendAdmission`), after validation so bad input fails at
   * once. A streamed text is not gated: its sender may itself be waiting for other sends.
   */
  const admitted = async (request: SendRequest): Promise<SendOutput> => {
    if (request.stream !== undefined) return sendMessage(ctx, dispatcher, request);
    const entered = admission.enter();
    const place: AdmissionPlace = entered instanceof Promise ? await entered : entered;
    try {
      request.admission = place;
      return await sendMessage(ctx, dispatcher, request);
    } finally {
      place.release();
    }
  };

  const sendTemplate = async (raw: unknown, log: DeprecationLog): Promise<SendOutput> => {
    const normalised = liftChannelIdentifier(nestTemplateFields(raw, log), log);
    const input = parseInput(ChannelTemplateSendInputSchema, normalised, 'template send input');
    const { template } = input;
    const message: TemplateMessage = {
      name: template.name,
      languageCode: template.languageCode,
      ...(template.components === undefined ? {} : { components: template.components as never }),
      ...(template.values === undefined ? {} : { values: template.values }),
      ...(template.category === undefined ? {} : { category: template.category }),
    };
    const output = await admitted({
      channel: input.channel,
      to: input.to,
      ...(input.from === undefined ? {} : { from: input.from }),
      kind: 'template',
      origin: 'template',
      templateName: template.name,
      payload: { template: message },
      threadText: input.messageContext ?? `[template ${template.name}]`,
      ...(input.options === undefined ? {} : { options: input.options as ResolvedSendOptions }),
    });
    return withWarnings(output, log.warnings());
  };

  return {
    async send(raw) {
      const log = new DeprecationLog(ctx);
      // The usual shape is checked by hand; anything else (and every mistake) goes to zod.
      const input =
        plainTextSend(raw) ??
        parseInput(ChannelSendInputSchema, liftChannelIdentifier(raw, log), 'send input');
      const payload: DeliveryPayload = {};
      const request: SendRequest = {
        channel: input.channel,
        to: input.to,
        kind: 'free-form',
        origin: 'send',
        payload,
      };
      if (typeof input.text === 'string') payload.text = input.text;
      else request.stream = input.text;
      if (input.media !== undefined) payload.media = input.media;
      if (input.from !== undefined) request.from = input.from;
      if (input.options !== undefined) request.options = input.options as ResolvedSendOptions;
      const output = await admitted(request);
      return withWarnings(output, log.warnings());
    },
    sendTemplate(first: ChannelTemplateSendInput | string, second?: TemplateSendInput) {
      const log = new DeprecationLog(ctx);
      if (typeof first !== 'string') return sendTemplate(first, log);
      log.use(DEPRECATED_POSITIONAL_SEND_TEMPLATE);
      if (typeof second !== 'object' || second === null) {
        throw new ValidationError('template send input', [
          { path: 'input', message: 'give the send as an object after the channel' },
        ]);
      }
      return sendTemplate({ ...second, channel: first }, log);
    },
    whatsapp: {
      sendTemplate: (input) =>
        sendTemplate(
          typeof input === 'object' && input !== null ? { ...input, channel: 'whatsapp' } : input,
          new DeprecationLog(ctx),
        ),
    },
    email: {
      async send(raw) {
        const log = new DeprecationLog(ctx);
        const input = parseInput(
          EmailSendInputSchema,
          liftChannelIdentifier(raw, log),
          'email send input',
        );
        const text = input.richBody ?? input.text;
        const subjectLine = input.subject === undefined ? '' : `Subject: ${input.subject}\n\n`;
        const output = await admitted({
          channel: 'email',
          to: input.to,
          ...(input.from === undefined ? {} : { from: input.from }),
          kind: 'free-form',
          origin: 'send',
          payload: {
            ...(text === undefined ? {} : { text }),
            email: {
              ...(input.subject === undefined ? {} : { subject: input.subject }),
              ...(input.html === undefined ? {} : { html: input.html }),
              ...(input.cc === undefined ? {} : { cc: input.cc }),
              ...(input.bcc === undefined ? {} : { bcc: input.bcc }),
              ...(input.attachments === undefined ? {} : { attachments: input.attachments }),
              ...(input.inReplyTo === undefined ? {} : { inReplyTo: input.inReplyTo }),
              ...(input.references === undefined ? {} : { references: input.references }),
            },
          },
          threadText: `${subjectLine}${text ?? input.html ?? ''}`,
          ...(input.options === undefined ? {} : { options: input.options as ResolvedSendOptions }),
        });
        return withWarnings(output, log.warnings());
      },
    },
  };
}
