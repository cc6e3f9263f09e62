import { parseInput } from '../../errors/validation';
import type { RuntimeContext } from '../context';
import type { Dispatcher } from '../outbox/dispatcher';
import {
  type ChannelSendInput,
  ChannelSendInputSchema,
  type EmailSendInput,
  EmailSendInputSchema,
  type TemplateSendInput,
  TemplateSendInputSchema,
} from './schemas';
import { type ResolvedSendOptions, sendMessage } from './send';
import type { SendOutput } from './types';

/** Sends with an approved template on a channel that has them. */
export type TemplateSender = (input: TemplateSendInput) => Promise<SendOutput>;

/**
 * `threadline.channels`: proactive and reply sends on any configured channel.
 *
 * @example
 * ```ts
 * await threadline.channels.send({ channel: 'sms', to: { phoneNumber: '+447700900123' }, text: 'Your order shipped' });
 * await threadline.channels.whatsapp.sendTemplate({ to: { userId }, templateName: 'order_update', messageContext: 'Told them the order shipped' });
 * await threadline.channels.email.send({ to: { email: 'ann@example.com' }, subject: 'Receipt', text: 'Thanks!' });
 * ```
 */
export interface ChannelsApi {
  /** Sends text (with `:::` components and optional media) on a channel. */
  send(input: ChannelSendInput): Promise<SendOutput>;
  /** Sends a provider template on any templated channel. */
  sendTemplate(channel: string, input: TemplateSendInput): Promise<SendOutput>;
  whatsapp: { sendTemplate: TemplateSender };
  email: { send(input: EmailSendInput): Promise<SendOutput> };
}

export function createChannelsApi(ctx: RuntimeContext, dispatcher: Dispatcher): ChannelsApi {
  const sendTemplate = async (channel: string, raw: TemplateSendInput): Promise<SendOutput> => {
    const input = parseInput(TemplateSendInputSchema, raw, 'template send input');
    return sendMessage(ctx, dispatcher, {
      channel,
      to: input.to,
      kind: 'template',
      origin: 'template',
      templateName: input.templateName,
      payload: {
        template: {
          name: input.templateName,
          languageCode: input.languageCode,
          ...(input.components === undefined ? {} : { components: input.components as never }),
          ...(input.category === undefined ? {} : { category: input.category }),
        },
      },
      threadText: input.messageContext ?? `[template ${input.templateName}]`,
      ...(input.options === undefined ? {} : { options: input.options as ResolvedSendOptions }),
    });
  };

  return {
    async send(raw) {
      const input = parseInput(ChannelSendInputSchema, raw, 'send input');
      const media = input.media === undefined ? {} : { media: input.media };
      return sendMessage(ctx, dispatcher, {
        channel: input.channel,
        to: input.to,
        kind: 'free-form',
        origin: 'send',
        ...(typeof input.text === 'string'
          ? { payload: { text: input.text, ...media } }
          : { payload: media, stream: input.text }),
        ...(input.options === undefined ? {} : { options: input.options as ResolvedSendOptions }),
      });
    },
    sendTemplate,
    whatsapp: { sendTemplate: (input) => sendTemplate('whatsapp', input) },
    email: {
      async send(raw) {
        const input = parseInput(EmailSendInputSchema, raw, 'email send input');
        const text = input.richBody ?? input.text;
        const subjectLine = input.subject === undefined ? '' : `Subject: ${input.subject}\n\n`;
        return sendMessage(ctx, dispatcher, {
          channel: 'email',
          to: input.to,
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
      },
    },
  };
}
