/**
 * Reads an agent's streamed answer to the end. Channels that cannot show text as it is generated
 * receive the finished text once; the thread always records the finished text.
 */
export async function collectText(stream: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk;
  return text;
}
