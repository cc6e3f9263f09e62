import { describe, expect, it } from 'vitest';
import { attachLeads, type ComponentPart, parseMessage, planRender } from '../../src/index';

const takesLead = (part: ComponentPart) => part.type === 'actions';

describe('attachLeads', () => {
  const actions = parseMessage('::: actions\n- [Yes](reply:yes)\n- [No](reply:no)\n:::').find(
    (part) => part.type === 'actions',
  ) as ComponentPart;

  it('hands a short text to the block after it that takes a lead', () => {
    expect(
      attachLeads(
        [
          { type: 'text', text: 'Pick one:' },
          { type: 'component', part: actions },
        ],
        { takesLead, maxLeadLength: 20 },
      ),
    ).toEqual([{ type: 'component', part: actions, lead: 'Pick one:' }]);
  });

  it('keeps a text too long for a body, or before a block that takes none, as text', () => {
    const images = { type: 'images', items: [] } as unknown as ComponentPart;
    expect(
      attachLeads(
        [
          { type: 'text', text: 'A text longer than the limit' },
          { type: 'component', part: actions },
          { type: 'text', text: 'Look:' },
          { type: 'component', part: images },
          { type: 'text', text: 'Bye' },
        ],
        { takesLead, maxLeadLength: 20 },
      ),
    ).toEqual([
      { type: 'text', text: 'A text longer than the limit' },
      { type: 'component', part: actions, lead: undefined },
      { type: 'text', text: 'Look:' },
      { type: 'component', part: images, lead: undefined },
      { type: 'text', text: 'Bye' },
    ]);
  });

  it('works on what planRender gives', () => {
    const parts = parseMessage('Pick one:\n\n::: actions\n- [Yes](reply:yes)\n:::');
    const capabilities = {
      text: { maxLength: 4096 },
      components: { actions: { mode: 'native' } },
    } as unknown as Parameters<typeof planRender>[1];
    const segments = attachLeads(planRender(parts, capabilities), {
      takesLead,
      maxLeadLength: 1024,
    });
    expect(segments).toHaveLength(1);
    expect(segments[0]).toMatchObject({ type: 'component', lead: 'Pick one:' });
  });
});
