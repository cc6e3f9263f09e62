/**
 * What a runtime's agent printed (see `reply` in `instance-config.ts`): `agent <attempt> <text>`
 * when a turn reached it, `replied <attempt> <text>` once its reply returned, `answered <attempt>
 * <text>` when a taken-over turn found its reply already in the thread.
 */
export interface TurnLine {
  attempt: number;
  /** The inbound message's text. */
  text: string;
}

/** The agent's lines of one kind, in the order the process printed them. */
export function agentLines(
  lines: readonly string[],
  kind: 'agent' | 'replied' | 'answered' = 'agent',
): TurnLine[] {
  const pattern = new RegExp(`^${kind} (\\d+) (.*)$`);
  return lines.flatMap((line) => {
    const match = pattern.exec(line);
    return match ? [{ attempt: Number(match[1]), text: match[2] ?? '' }] : [];
  });
}

/** The lines keyed by message text (the last line wins: the highest attempt). */
export function linesByText(lines: readonly TurnLine[]): Map<string, TurnLine> {
  return new Map(lines.map((line) => [line.text, line]));
}

/**
 * Threads whose turns reached the agent out of arrival order: `messages` is in arrival order per
 * sender (`from`), and a thread counts once however many of its turns were swapped.
 */
export function threadsOutOfOrder(
  lines: readonly TurnLine[],
  messages: readonly { from: string; text: string }[],
): number {
  const arrival = new Map(messages.map((m, i) => [m.text, { from: m.from, i }]));
  const last = new Map<string, number>();
  const swapped = new Set<string>();
  for (const line of lines) {
    const message = arrival.get(line.text);
    if (message === undefined) continue;
    if ((last.get(message.from) ?? -1) > message.i) swapped.add(message.from);
    last.set(message.from, Math.max(last.get(message.from) ?? -1, message.i));
  }
  return swapped.size;
}
