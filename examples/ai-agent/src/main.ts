// AI_MODEL=openai:gpt-4o-mini OPENAI_API_KEY=… pnpm --filter @threadline/example-ai-agent start
// Then open http://127.0.0.1:3100 and chat: the answer streams in as the model writes it.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { createThreadline, type Threadline } from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createWebChatAdapter } from '@threadline/webchat-ws';
import { createAiAgent } from './agent';
import { modelFromEnvironment } from './model';
import { handleReminders } from './tools';

const PORT = Number(process.env.PORT ?? 3100);
const model = await modelFromEnvironment();
const webchat = createWebChatAdapter({
  secret: process.env.WEBCHAT_SECRET ?? 'ai-agent-example-secret-change-me-0123456789',
  allowAnonymous: true,
});
const threadline: Threadline = createThreadline({
  store: createMemoryStore(),
  adapters: [webchat],
  agentId: 'ai-agent',
  onMessage: createAiAgent({ model, threadline: () => threadline }),
});
handleReminders(threadline);

// The widget's <script> build, from the package (in this repository: after `pnpm build`).
const widget = readFileSync(
  createRequire(import.meta.url).resolve('@threadline/webchat-ws/client/global'),
  'utf8',
);
const page = `<!doctype html><meta charset="utf-8"><title>Threadline AI agent</title>
<body style="margin:0;height:100vh"><script src="/threadline-chat.js"></script>
<threadline-chat url="ws://127.0.0.1:${PORT}/webchat" heading="Tea room assistant"
  style="display:block;height:100vh"></threadline-chat></body>`;

const handler = threadline.toNodeHandler();
const server = createServer((req, res) => {
  if (req.url === '/threadline-chat.js') {
    res.setHeader('content-type', 'text/javascript');
    res.end(widget);
  } else if (req.url === '/') {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(page);
  } else {
    handler(req, res);
  }
});
webchat.attach(server);
await threadline.start();
server.listen(PORT, '127.0.0.1', () => console.log(`AI agent: http://127.0.0.1:${PORT}`));
process.once('SIGINT', () => {
  server.close();
  void threadline.stop().then(() => process.exit(0));
});
