import type { Names } from '../names';

/**
 * Every provider id of a split message (a WhatsApp text over 4,096 characters, SMS segments), so
 * a receipt for any part finds its delivery. Safe on a database already in use: the column is
 * nullable without a default (a catalogue change, no table rewrite); existing rows keep their one
 * id in `provider_message_id`, which the lookup still reads, so nothing needs backfilling; and
 * the partial index has nothing to hold yet (building it reads the table once, while writes to
 * it wait). Older instances in a rolling deploy read the column with `d.*` and ignore it.
 */
export function providerMessageIdsSchema(n: Names): string {
  const p = n.prefix;
  return `
-- NULL for a message sent as one (its id is provider_message_id); every id, the first included,
-- for a message the adapter split into several.
ALTER TABLE ${n.deliveries} ADD COLUMN provider_message_ids text[];
-- Receipts for the 2nd+ part of a split message find their delivery by containment (@>). Partial:
-- most deliveries are one message and cost it nothing.
CREATE INDEX ${p}deliveries_part_ids_idx ON ${n.deliveries} USING gin (provider_message_ids)
  WHERE provider_message_ids IS NOT NULL;
`;
}
