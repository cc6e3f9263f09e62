export {
  type FallbackFormat,
  type FallbackTextOptions,
  renderFallbackText,
  renderPartAsText,
} from './fallback';
export { type AttachLeadsOptions, attachLeads, type LeadSegment } from './lead';
export { componentItemCount, componentLabels } from './measure';
export { parseMessage } from './parse';
export * from './parts';
export { planRender, type RenderSegment } from './plan';
export { serializeParts } from './serialize';
export { splitText } from './split';
