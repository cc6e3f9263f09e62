/**
 * How `@threadline/core` writes a template it sent into the thread: `[template <name>]`, then
 * optionally a line break and the text the person saw (a host that knows the template's body may
 * add it). Matched exactly, so an agent's own text is never taken for one.
 */
const TEMPLATE_TEXT = /^\[template ([^\]\s]+)\](?:\n([\s\S]+))?$/;

/**
 * A template message (a WhatsApp re-engagement template, say) drawn as one: a "Template" label
 * with its name, and its text when known, instead of the raw `[template reopen_chat]` line.
 * `undefined` when the text is not a template's.
 */
export function templateElement(doc: Document, text: string): HTMLElement | undefined {
  const match = TEMPLATE_TEXT.exec(text);
  if (match === null) return undefined;
  const box = doc.createElement('div');
  box.className = 'template';
  const label = doc.createElement('span');
  label.className = 'template-label';
  label.textContent = 'Template';
  const name = doc.createElement('span');
  name.className = 'template-name';
  name.textContent = match[1] as string;
  box.append(label, name);
  if (match[2] !== undefined) {
    const body = doc.createElement('p');
    body.className = 'template-body';
    body.textContent = match[2];
    box.appendChild(body);
  }
  return box;
}
