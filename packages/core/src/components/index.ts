export {
  type FallbackFormat,
  type FallbackTextOptions,
  renderFallbackText,
  renderPartAsText,
} from './fallback';
export { componentItemCount, componentLabels } from './measure';
export { parseMessage } from './parse';
export * from './parts';
export { planRender, type RenderSegment } from './plan';
export { serializeParts } from './serialize';
export { splitText } from './split';
