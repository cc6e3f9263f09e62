import { defineScript, type Script } from './connection';

/** A script for one item and the same script for a batch of items; see {@link defineBatchScripts}. */
export interface BatchScripts {
  one: Script;
  many: Script;
}

/**
 * One step as two scripts: `one` runs it for one item (`ARGV` as the step's own arguments), `many`
 * runs it for every item of a batch, in item order, in one script: one round trip, and no other
 * client's command between two items (Redis runs a script alone). `body` is the step written
 * against `A` instead of `ARGV` (`A[1]`… and `#A`); it runs as a function, so its `return` is the
 * item's answer. The first `shared` arguments are the same for every item (the outbox's base key):
 * `many`'s `ARGV` is those, then for each item its count of arguments and the arguments
 * ({@link batchArguments} writes it), and it answers the items' answers as one array.
 *
 * @example
 * ```ts
 * const SET = defineBatchScripts({ name: 'set', shared: 0, body: "return redis.call('SET', A[1], A[2])" });
 * await conn.run('example', SET.many, [], batchArguments([], [['{t}a', '1'], ['{t}b', '2']]));
 * ```
 */
export function defineBatchScripts(input: {
  name: string;
  /** Lua run first (helper functions); may read `ARGV` for the shared arguments only. */
  prelude?: string;
  shared: number;
  body: string;
}): BatchScripts {
  const step = `${input.prelude ?? ''}local function step(A)\n${input.body}\nend\n`;
  return {
    one: defineScript(input.name, `${step}return step(ARGV)`),
    many: defineScript(
      `${input.name}-many`,
      `${step}local shared = ${input.shared}
local out = {}
local i = shared + 1
while i <= #ARGV do
  local n = tonumber(ARGV[i])
  local A = {}
  for j = 1, shared do A[j] = ARGV[j] end
  for j = 1, n do A[shared + j] = ARGV[i + j] end
  local answer = step(A)
  if answer == nil then answer = false end
  out[#out + 1] = answer
  i = i + n + 1
end
return out`,
    ),
  };
}

/**
 * `many`'s arguments: the shared ones, then each item's own (its arguments after the shared
 * ones, as `one` would take them) preceded by their count.
 */
export function batchArguments(
  shared: readonly string[],
  items: readonly (readonly string[])[],
): string[] {
  const args = [...shared];
  for (const item of items) args.push(String(item.length), ...item);
  return args;
}
