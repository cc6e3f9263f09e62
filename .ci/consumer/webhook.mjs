// A user's first webhook, from the tarballs alone: WhatsApp → createThreadline → memory store,
// served by node:http. Exits non-zero unless the signed message is answered 200 and recorded.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { createThreadline } from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createWhatsAppCloudAdapter } from '@threadline/whatsapp-cloud';

const appSecret = 'consumer-app-secret';
const whatsapp = createWhatsAppCloudAdapter({
  phoneNumberId: '106540352242922',
  accessToken: 'consumer-token',
  appSecret,
  verifyToken: 'consumer-verify',
});
const threadline = createThreadline({ store: createMemoryStore(), adapters: [whatsapp] });
const recorded = new Promise((resolve) => threadline.on('message.received', resolve));
const server = createServer(threadline.toNodeHandler());
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
await threadline.start();

const body = JSON.stringify({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '102290129340398',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
            contacts: [{ profile: { name: 'Ann' }, wa_id: '447700900123' }],
            messages: [
              {
                from: '447700900123',
                id: 'wamid.consumer-smoke-1',
                timestamp: String(Math.floor(Date.now() / 1000)),
                type: 'text',
                text: { body: 'hello from a tarball' },
              },
            ],
          },
        },
      ],
    },
  ],
});
const signature = `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
const { port } = server.address();
const response = await fetch(`http://127.0.0.1:${port}/webhooks/${whatsapp.id}`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
  body,
});
const event = await Promise.race([
  recorded,
  new Promise((_, reject) => setTimeout(() => reject(new Error('not recorded in 5 s')), 5000)),
]);
await threadline.stop();
server.close();
if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
if (event.message.text !== 'hello from a tarball') throw new Error('wrong text recorded');
console.log(`webhook: 200, recorded as seq ${event.seq} for user ${event.userId}`);
