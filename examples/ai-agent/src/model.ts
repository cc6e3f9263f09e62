import type { LanguageModel } from 'ai';

/**
 * The model named by the environment, so the example runs on any provider the AI SDK supports:
 *
 * - `AI_MODEL=openai:gpt-4o-mini` loads `@ai-sdk/openai` (install it; its own variable, such as
 *   `OPENAI_API_KEY`, holds the key); likewise `anthropic:…`, `google:…`, `mistral:…`, or any
 *   `@ai-sdk/<provider>` package whose default export-style factory is named after it.
 * - `AI_MODEL=openai/gpt-4o-mini` (a slash) goes through the Vercel AI Gateway
 *   (`AI_GATEWAY_API_KEY`), with no provider package at all.
 */
export async function modelFromEnvironment(name = process.env.AI_MODEL): Promise<LanguageModel> {
  if (name === undefined || name.trim() === '') {
    throw new Error(
      'AI_MODEL is not set: use provider:model with the provider package installed ' +
        '(AI_MODEL=openai:gpt-4o-mini, after `pnpm add @ai-sdk/openai`) or a gateway id ' +
        '(AI_MODEL=openai/gpt-4o-mini with AI_GATEWAY_API_KEY).',
    );
  }
  const colon = name.indexOf(':');
  if (colon === -1) return name; // a gateway model id
  const provider = name.slice(0, colon);
  const modelId = name.slice(colon + 1);
  const specifier = `@ai-sdk/${provider}`;
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(
      `AI_MODEL names ${provider}, but ${specifier} is not installed: pnpm add ${specifier}`,
      {
        cause: error,
      },
    );
  }
  const factory = loaded[provider];
  if (typeof factory !== 'function') {
    throw new Error(`${specifier} has no export named ${JSON.stringify(provider)}`);
  }
  return (factory as (id: string) => LanguageModel)(modelId);
}
