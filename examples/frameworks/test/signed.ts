import type { TestAdapter } from '@threadline/testkit';

/** A signed webhook for `channel`, as bytes and headers, to send to a real server. */
export async function signedWebhook(
  channel: TestAdapter,
  text: string,
  id: string,
): Promise<{ body: string; headers: Record<string, string>; request: Request }> {
  const request = channel.signedRequest({
    events: [{ type: 'message', id, from: '+447700900123', text }],
  });
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = await request.text();
  // A fresh, unread Request for the fetch-native frameworks (the one above was read for `body`).
  const fresh = new Request(request.url, { method: 'POST', headers, body });
  return { body, headers, request: fresh };
}
