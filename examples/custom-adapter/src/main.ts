import { runCustomAdapterExample } from './app';

const { thread, sent } = await runCustomAdapterExample();
console.log('What the Relay API received:');
for (const message of sent) {
  const buttons =
    message.reply_markup?.inline_keyboard
      .flat()
      .map((button) => `[${button.text}]`)
      .join(' ') ?? '';
  console.log(`  → chat ${message.chat_id}: ${message.text} ${buttons}`);
}
console.log('\nThe thread:');
for (const entry of thread)
  console.log(`  #${entry.seq} ${entry.direction.padEnd(8)} ${entry.text.replace(/\n+/g, ' / ')}`);
