import type { Names } from '../names';

/**
 * One round trip per inbound message, and dead letters. Safe on a database in use: a new function
 * and a new table, nothing existing changes, so older instances in a rolling deploy keep working
 * with the per-part statements.
 *
 * `record_inbound` does in one call, in the caller's one transaction, what `dedupe.claim`,
 * `identities.resolve`, `identities.touch`, `threads.ensure`, `threads.append` and a held-message
 * lookup do in six to ten statements (see `InboundLog.record`). Any error rolls all of it back,
 * the claim included. A first contact takes the same advisory lock as `identities.resolve` (the
 * caller passes its two keys), so the two never create one person twice; a unique key lost to a
 * writer that takes no lock (`users.create`, `identities.link`) raises 23505 and the caller calls
 * again. The caller also passes the ids a first contact needs (a user, a thread), so ids still
 * come from the store's `generateId`.
 */
export function inboundRecordSchema(n: Names): string {
  const p = n.prefix;
  return `
CREATE FUNCTION ${n.recordInbound}(
  p_claim_key text, p_claim_expires_at timestamptz, p_now timestamptz,
  p_channel text, p_address text, p_kind text, p_display_name text,
  p_contact_kind text, p_contact_value text, p_lock_class int, p_lock_key int,
  p_new_user_id text, p_new_thread_id text,
  p_adapter_id text, p_reference jsonb, p_agent_id text,
  p_at timestamptz, p_text text, p_entry_channel text, p_entry_adapter_id text,
  p_delivery_id text, p_provider_message_id text, p_parts jsonb, p_media jsonb, p_metadata jsonb
) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_identity ${n.identities}%ROWTYPE;
  v_thread ${n.threads}%ROWTYPE;
  v_entry ${n.entries}%ROWTYPE;
  v_user_id text;
  v_created boolean := false;
  v_user_created boolean := false;
BEGIN
  -- The claim: a live one means a duplicate, and nothing else happens.
  INSERT INTO ${n.dedupe} AS d (key, expires_at) VALUES (p_claim_key, p_claim_expires_at)
  ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE d.expires_at <= p_now;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('duplicate', true);
  END IF;

  -- A returning sender: touch (GREATEST ignores NULL, and never moves the window back).
  UPDATE ${n.identities} SET
    last_inbound_at = GREATEST(last_inbound_at, p_at),
    last_adapter_id = p_adapter_id,
    reference = COALESCE(p_reference, reference)
  WHERE channel = p_channel AND address = p_address RETURNING * INTO v_identity;

  IF NOT FOUND THEN
    -- A first contact, under the lock identities.resolve takes; look again once we hold it.
    PERFORM pg_advisory_xact_lock(p_lock_class, p_lock_key);
    UPDATE ${n.identities} SET
      last_inbound_at = GREATEST(last_inbound_at, p_at),
      last_adapter_id = p_adapter_id,
      reference = COALESCE(p_reference, reference)
    WHERE channel = p_channel AND address = p_address RETURNING * INTO v_identity;
    IF NOT FOUND THEN
      IF p_contact_kind IS NOT NULL THEN
        SELECT user_id INTO v_user_id FROM ${n.contacts}
        WHERE kind = p_contact_kind AND value = p_contact_value;
      END IF;
      IF v_user_id IS NULL THEN
        INSERT INTO ${n.users} (id, display_name, profile, created_at, updated_at)
        VALUES (p_new_user_id, p_display_name, '{}'::jsonb, p_now, p_now);
        IF p_contact_kind IS NOT NULL THEN
          INSERT INTO ${n.contacts} (kind, value, user_id)
          VALUES (p_contact_kind, p_contact_value, p_new_user_id);
        END IF;
        v_user_id := p_new_user_id;
        v_user_created := true;
      END IF;
      INSERT INTO ${n.identities} (channel, address, kind, user_id, last_inbound_at,
        last_adapter_id, reference, created_at)
      VALUES (p_channel, p_address, p_kind, v_user_id, p_at, p_adapter_id, p_reference, p_now)
      RETURNING * INTO v_identity;
      v_created := true;
    END IF;
  END IF;

  -- The thread's next seq under its row lock, creating the thread on first use. A concurrent
  -- creator makes our insert do nothing once it commits; the update then finds its row.
  UPDATE ${n.threads} SET last_seq = last_seq + 1
  WHERE user_id = v_identity.user_id AND agent_id = p_agent_id RETURNING * INTO v_thread;
  IF NOT FOUND THEN
    INSERT INTO ${n.threads} (id, user_id, agent_id, last_seq, created_at)
    VALUES (p_new_thread_id, v_identity.user_id, p_agent_id, 1, p_now)
    ON CONFLICT (user_id, agent_id) DO NOTHING RETURNING * INTO v_thread;
    IF NOT FOUND THEN
      UPDATE ${n.threads} SET last_seq = last_seq + 1
      WHERE user_id = v_identity.user_id AND agent_id = p_agent_id RETURNING * INTO v_thread;
    END IF;
  END IF;

  INSERT INTO ${n.entries} (thread_id, seq, direction, at, text, channel, adapter_id,
    delivery_id, provider_message_id, parts, media, metadata)
  VALUES (v_thread.id, v_thread.last_seq, 'inbound', p_at, p_text, p_entry_channel,
    p_entry_adapter_id, p_delivery_id, p_provider_message_id, p_parts, p_media, p_metadata)
  RETURNING * INTO v_entry;

  RETURN jsonb_build_object(
    'duplicate', false,
    'created', v_created,
    'user_created', v_user_created,
    'identity', to_jsonb(v_identity),
    'thread', to_jsonb(v_thread),
    'entry', to_jsonb(v_entry),
    'user', (SELECT to_jsonb(u) FROM (
      SELECT u.id, u.display_name, u.profile, u.created_at, u.updated_at,
        ARRAY(SELECT c.value FROM ${n.contacts} c WHERE c.user_id = u.id AND c.kind = 'phone' ORDER BY c.ord) AS phone_numbers,
        ARRAY(SELECT c.value FROM ${n.contacts} c WHERE c.user_id = u.id AND c.kind = 'email' ORDER BY c.ord) AS emails
      FROM ${n.users} u WHERE u.id = v_identity.user_id) u),
    'has_held', EXISTS (SELECT 1 FROM ${n.held} h WHERE h.user_id = v_identity.user_id AND h.channel = p_channel)
  );
END
$fn$;

-- Failed attempts at recording a provider message; dead_at is set when they reach the limit.
-- error and message are JSON kept as text: a poison message may hold what jsonb refuses (a NUL
-- escape), and its dead letter must still be written.
CREATE TABLE ${n.inboundFailures} (
  adapter_id          text NOT NULL,
  provider_message_id text NOT NULL,
  channel             text NOT NULL,
  attempts            integer NOT NULL,
  first_failed_at     timestamptz NOT NULL,
  dead_at             timestamptz,
  error               text,
  message             text,
  PRIMARY KEY (adapter_id, provider_message_id)
);
-- deadLetters.list: newest first. Partial: attempts that never reached the limit cost it nothing.
CREATE INDEX ${p}inbound_failures_dead_idx ON ${n.inboundFailures} (dead_at DESC)
  WHERE dead_at IS NOT NULL;
`;
}
