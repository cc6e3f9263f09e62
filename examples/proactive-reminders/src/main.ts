import { parseMessage, renderFallbackText } from '@threadline/core';
import { runRemindersExample } from './scenario';

const { story, threads, deliveries } = await runRemindersExample();
console.log('What happened (clinic time):\n');
for (const line of story) console.log(`  ${line}`);
for (const [name, entries] of Object.entries(threads)) {
  console.log(`\n${name}'s thread:`);
  for (const entry of entries) {
    const who = entry.direction === 'inbound' ? 'patient' : 'clinic ';
    const text = renderFallbackText(parseMessage(entry.text)).replace(/\n+/g, ' / ');
    const template = deliveries[name]?.find((d) => d.id === entry.deliveryId)?.templateName;
    console.log(`  #${entry.seq} ${who} ${template ? `[template ${template}] ` : ''}${text}`);
  }
}
