import * as AdaptiveCards from 'adaptivecards';

/**
 * Validates an Adaptive Card with Microsoft's own parser (`adaptivecards`) targeting schema 1.5,
 * the version Teams renders: unknown element or action types, invalid property values, elements
 * newer than 1.5 and duplicate ids are reported. Returns the problems (empty when valid).
 */
export function adaptiveCardProblems(json: object): string[] {
  const context = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_5);
  const card = new AdaptiveCards.AdaptiveCard();
  card.parse(json, context);
  const parsing = Array.from(
    { length: context.eventCount },
    (_, i) => context.getEventAt(i).message,
  );
  const validation = card.validateProperties().validationEvents.map((event) => event.message);
  const version = (json as { version?: unknown }).version === '1.5' ? [] : ['version is not 1.5'];
  return [...parsing, ...validation, ...version];
}
