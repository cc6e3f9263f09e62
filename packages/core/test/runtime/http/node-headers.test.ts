import { describe, expect, it } from 'vitest';
import { NodeHeaders } from '../../../src/runtime/http/node-headers';

const RAW = {
  host: 'hooks.test',
  'content-type': 'application/json',
  'x-hub-signature-256': 'sha256=abc',
  'set-cookie': ['a=1', 'b=2'],
  'x-forwarded-for': '10.0.0.1, 10.0.0.2',
};

/** What the edge used to build: every header appended, one by one. */
function copied(): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(RAW)) {
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

describe('NodeHeaders', () => {
  it('is a Headers that reads like a full copy of Node’s headers', () => {
    const headers = new NodeHeaders(RAW);
    expect(headers).toBeInstanceOf(Headers);
    const copy = copied();
    for (const name of [...Object.keys(RAW), 'X-Hub-Signature-256', 'Content-Type', 'absent']) {
      expect(headers.get(name)).toBe(copy.get(name));
      expect(headers.has(name)).toBe(copy.has(name));
    }
  });

  it('iterates, lists cookies and feeds other Headers exactly as the copy does', () => {
    expect([...new NodeHeaders(RAW)]).toEqual([...copied()]);
    expect(new NodeHeaders(RAW).getSetCookie()).toEqual(['a=1', 'b=2']);
    const seen: string[] = [];
    new NodeHeaders(RAW).forEach((value, name) => {
      seen.push(`${name}: ${value}`);
    });
    expect(seen).toEqual([...copied()].map(([name, value]) => `${name}: ${value}`));
    expect([...new Headers(new NodeHeaders(RAW))]).toEqual([...copied()]);
    const request = new Request('http://hooks.test/', { headers: new NodeHeaders(RAW) });
    expect(request.headers.get('x-hub-signature-256')).toBe('sha256=abc');
  });

  it('takes changes like any Headers, and reads them back', () => {
    const headers = new NodeHeaders(RAW);
    headers.set('content-type', 'text/plain');
    headers.delete('x-hub-signature-256');
    headers.append('x-new', 'yes');
    expect(headers.get('content-type')).toBe('text/plain');
    expect(headers.has('x-hub-signature-256')).toBe(false);
    expect(headers.get('x-new')).toBe('yes');
    expect(headers.get('host')).toBe('hooks.test');
  });

  it('refuses an invalid header name with a TypeError, as Headers does', () => {
    expect(() => new NodeHeaders(RAW).get('bad name')).toThrow(TypeError);
    expect(() => new NodeHeaders(RAW).has('bad name')).toThrow(TypeError);
  });
});
