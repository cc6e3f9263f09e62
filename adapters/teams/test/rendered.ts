import type { ComponentKind } from '@threadline/core';
import type { RenderedMessage } from '@threadline/testkit';

/**
 * Activities the bot posted → what the conformance suite checks: text as the user sees it, and
 * each Adaptive Card message as one component with its item count and labels.
 */

// biome-ignore lint/suspicious/noExplicitAny: posted activities are JSON
type Json = any;

function cardComponent(activity: Json): RenderedMessage {
  const cards: Json[] = activity.attachments.map((attachment: Json) => attachment.content);
  const titleOf = (items: Json[]) =>
    items.find((item) => item.type === 'TextBlock' && item.weight === 'Bolder')?.text as string;
  if (activity.attachmentLayout === 'carousel') {
    return {
      type: 'component',
      kind: 'horizontal-list-item',
      items: cards.length,
      labels: cards.map((card) => titleOf(card.body)),
    };
  }
  const [card] = cards;
  const containers = card.body.filter((element: Json) => element.type === 'Container');
  if (containers.length > 0) {
    return {
      type: 'component',
      kind: 'list-item',
      items: containers.length,
      labels: containers.map((container: Json) => titleOf(container.items)),
    };
  }
  const imageSet = card.body.find((element: Json) => element.type === 'ImageSet');
  if (imageSet) return { type: 'component', kind: 'images', items: imageSet.images.length };
  const actions: Json[] = card.actions ?? [];
  const kind = String(actions[0]?.id ?? '').replace(/-\d+$/, '') as ComponentKind;
  const labelled = kind === 'actions' || kind === 'payment';
  return {
    type: 'component',
    kind,
    items: actions.length,
    ...(labelled ? { labels: actions.map((action) => action.title as string) } : {}),
  };
}

/** Normalises posted message activities (typing and streaming updates are left out). */
export function toRendered(activities: Json[]): RenderedMessage[] {
  return activities
    .filter((activity) => activity.type === 'message')
    .map((activity) =>
      activity.attachments?.some(
        (a: Json) => a.contentType === 'application/vnd.microsoft.card.adaptive',
      )
        ? cardComponent(activity)
        : { type: 'text', text: String(activity.text ?? '') },
    );
}
