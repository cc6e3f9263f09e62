import type { ComponentPart } from './parts';

/**
 * How many items a component shows: cards, buttons, rows, links, images, files; 1 for the single
 * things (payment, flow, navigate). What `capabilities.components[kind].max` limits.
 *
 * @example
 * ```ts
 * componentItemCount({ type: 'actions', actions: [{ label: 'Yes' }, { label: 'No' }] }); // 2
 * ```
 */
export function componentItemCount(part: ComponentPart): number {
  switch (part.type) {
    case 'list-item':
    case 'horizontal-list-item':
      return part.items.length;
    case 'actions':
      return part.actions.length;
    case 'links':
      return part.links.length;
    case 'images':
      return part.images.length;
    case 'documents':
      return part.documents.length;
    case 'payment':
    case 'flow':
    case 'navigate':
      return 1;
  }
}

/**
 * The texts a channel shows as labels, what `maxLabelLength` limits: card titles, button labels,
 * the payment's text and the flow's call to action.
 *
 * @example
 * ```ts
 * componentLabels({ type: 'flow', flowId: 'f1', cta: 'Book now' }); // ['Book now']
 * ```
 */
export function componentLabels(part: ComponentPart): string[] {
  switch (part.type) {
    case 'list-item':
    case 'horizontal-list-item':
      return part.items.map((card) => card.title);
    case 'actions':
      return part.actions.map((action) => action.label);
    case 'payment':
      return [part.text];
    case 'flow':
      return [part.cta];
    default:
      return [];
  }
}
