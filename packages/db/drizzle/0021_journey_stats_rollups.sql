CREATE TABLE "journey_stats_daily" (
	"workspace_id" uuid NOT NULL,
	"journey_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"day" date NOT NULL,
	"totals" jsonb NOT NULL,
	"nodes" jsonb NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "journey_stats_daily_pkey" PRIMARY KEY("workspace_id","journey_id","version","day")
);
--> statement-breakpoint
CREATE TABLE "journey_stats_dirty" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"journey_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"day" date NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "journey_stats_daily" ADD CONSTRAINT "journey_stats_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "journey_stats_dirty_key_idx" ON "journey_stats_dirty" USING btree ("workspace_id","journey_id","day","version");--> statement-breakpoint
CREATE INDEX "events_workspace_message_idx" ON "events" USING btree ("workspace_id",(properties->>'messageId')) WHERE type in ('message.opened', 'message.clicked', 'sms.replied');--> statement-breakpoint
CREATE INDEX "messages_workspace_address_idx" ON "messages" USING btree ("workspace_id","channel","to_address","sent_at");--> statement-breakpoint
CREATE INDEX "journey_runs_workspace_journey_started_idx" ON "journey_runs" USING btree ("workspace_id","journey_id","started_at");

--> statement-breakpoint
-- Dirty marks for journey_stats_daily. Each trigger marks, in the writer's own transaction, the
-- (journey, version, UTC start day) of every run whose analytics the change can move; see
-- queries/journeys/analytics-rollups.ts for why that keeps the rollups exact. Statement-level
-- triggers with transition tables: a bulk write adds one mark per day it touches, not one per row.
CREATE FUNCTION journey_stats_mark_runs(run_ids uuid[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO journey_stats_dirty (workspace_id, journey_id, version, day)
  SELECT DISTINCT r.workspace_id, r.journey_id, r.version, (r.started_at AT TIME ZONE 'UTC')::date
  FROM journey_runs r WHERE r.id = ANY(run_ids)
$$;
--> statement-breakpoint
CREATE FUNCTION journey_stats_runs_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO journey_stats_dirty (workspace_id, journey_id, version, day)
    SELECT DISTINCT workspace_id, journey_id, version, (started_at AT TIME ZONE 'UTC')::date FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO journey_stats_dirty (workspace_id, journey_id, version, day)
    SELECT DISTINCT workspace_id, journey_id, version, (started_at AT TIME ZONE 'UTC')::date
    FROM (SELECT workspace_id, journey_id, version, started_at FROM new_rows
          UNION ALL SELECT workspace_id, journey_id, version, started_at FROM old_rows) r;
  ELSE
    INSERT INTO journey_stats_dirty (workspace_id, journey_id, version, day)
    SELECT DISTINCT workspace_id, journey_id, version, (started_at AT TIME ZONE 'UTC')::date FROM old_rows;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Steps and discount codes belong to one run each.
CREATE FUNCTION journey_stats_run_rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM journey_stats_mark_runs(ARRAY(SELECT DISTINCT run_id FROM new_rows WHERE run_id IS NOT NULL));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM journey_stats_mark_runs(ARRAY(
      SELECT run_id FROM new_rows WHERE run_id IS NOT NULL UNION SELECT run_id FROM old_rows WHERE run_id IS NOT NULL));
  ELSE
    PERFORM journey_stats_mark_runs(ARRAY(SELECT DISTINCT run_id FROM old_rows WHERE run_id IS NOT NULL));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A message counts for its own run; and "unsubscribed after it" (analytics.ts) belongs to the last
-- message sent to an address before its unsubscribe, so a message sent at or before an existing
-- unsubscribe also moves the figure of the address's previous message.
CREATE FUNCTION journey_stats_mark_messages(run_ids uuid[], ws uuid[], channels text[], addresses text[], sent timestamptz[])
RETURNS void LANGUAGE sql AS $$
  SELECT journey_stats_mark_runs(ARRAY(
    SELECT x.run_id FROM unnest(run_ids) x(run_id) WHERE x.run_id IS NOT NULL
    UNION
    SELECT m.run_id
    FROM unnest(ws, channels, addresses, sent) c(workspace_id, channel, address, sent_at)
    JOIN suppressions su ON su.workspace_id = c.workspace_id AND su.channel = c.channel AND su.address = c.address
      AND su.reason IN ('unsubscribed', 'stop') AND su.created_at >= c.sent_at
    CROSS JOIN LATERAL (
      SELECT max(p.sent_at) AS at FROM messages p
      WHERE p.workspace_id = c.workspace_id AND p.channel = c.channel AND p.to_address = c.address AND p.sent_at < c.sent_at
    ) prev
    JOIN messages m ON m.workspace_id = c.workspace_id AND m.channel = c.channel AND m.to_address = c.address
      AND m.sent_at = prev.at
    WHERE c.sent_at IS NOT NULL AND m.run_id IS NOT NULL))
$$;
--> statement-breakpoint
CREATE FUNCTION journey_stats_messages_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM journey_stats_mark_messages(array_agg(run_id), array_agg(workspace_id), array_agg(channel),
      array_agg(to_address), array_agg(sent_at)) FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM journey_stats_mark_messages(array_agg(run_id), array_agg(workspace_id), array_agg(channel),
      array_agg(to_address), array_agg(sent_at))
    FROM (SELECT run_id, workspace_id, channel, to_address, sent_at FROM new_rows
          UNION ALL SELECT run_id, workspace_id, channel, to_address, sent_at FROM old_rows) m;
  ELSE
    PERFORM journey_stats_mark_messages(array_agg(run_id), array_agg(workspace_id), array_agg(channel),
      array_agg(to_address), array_agg(sent_at)) FROM old_rows;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- An unsubscribe (or STOP) counts for the last message(s) sent to its address before it.
CREATE FUNCTION journey_stats_mark_suppressions(ws uuid[], channels text[], addresses text[], reasons text[], created timestamptz[])
RETURNS void LANGUAGE sql AS $$
  SELECT journey_stats_mark_runs(ARRAY(
    SELECT m.run_id
    FROM unnest(ws, channels, addresses, reasons, created) su(workspace_id, channel, address, reason, created_at)
    CROSS JOIN LATERAL (
      SELECT max(p.sent_at) AS at FROM messages p
      WHERE p.workspace_id = su.workspace_id AND p.channel = su.channel AND p.to_address = su.address
        AND p.sent_at <= su.created_at
    ) last
    JOIN messages m ON m.workspace_id = su.workspace_id AND m.channel = su.channel AND m.to_address = su.address
      AND m.sent_at = last.at
    WHERE su.reason IN ('unsubscribed', 'stop') AND m.run_id IS NOT NULL))
$$;
--> statement-breakpoint
CREATE FUNCTION journey_stats_suppressions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM journey_stats_mark_suppressions(array_agg(workspace_id), array_agg(channel), array_agg(address),
      array_agg(reason), array_agg(created_at)) FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM journey_stats_mark_suppressions(array_agg(workspace_id), array_agg(channel), array_agg(address),
      array_agg(reason), array_agg(created_at))
    FROM (SELECT workspace_id, channel, address, reason, created_at FROM new_rows
          UNION ALL SELECT workspace_id, channel, address, reason, created_at FROM old_rows) s;
  ELSE
    PERFORM journey_stats_mark_suppressions(array_agg(workspace_id), array_agg(channel), array_agg(address),
      array_agg(reason), array_agg(created_at)) FROM old_rows;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Opens, clicks and replies are events carrying the message id as text (analytics.ts compares it with
-- the id's text, so nothing but a lower-case uuid can match a message).
CREATE FUNCTION journey_stats_mark_message(ws uuid, message_id text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF message_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
    PERFORM journey_stats_mark_runs(ARRAY(
      SELECT m.run_id FROM messages m WHERE m.id = message_id::uuid AND m.workspace_id = ws AND m.run_id IS NOT NULL));
  END IF;
END $$;
--> statement-breakpoint
CREATE FUNCTION journey_stats_event_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN
    PERFORM journey_stats_mark_message(NEW.workspace_id, NEW.properties->>'messageId');
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM journey_stats_mark_message(OLD.workspace_id, OLD.properties->>'messageId');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER journey_stats_insert AFTER INSERT ON journey_runs REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION journey_stats_runs_changed();
--> statement-breakpoint
CREATE TRIGGER journey_stats_update AFTER UPDATE ON journey_runs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION journey_stats_runs_changed();
--> statement-breakpoint
CREATE TRIGGER journey_stats_delete AFTER DELETE ON journey_runs REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION journey_stats_runs_changed();
--> statement-breakpoint
CREATE TRIGGER journey_stats_insert AFTER INSERT ON run_steps REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION journey_stats_run_rows_changed();
--> statement-breakpoint
CREATE TRIGGER journey_stats_update AFTER UPDATE ON run_steps REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION journey_stats_run_rows_changed();
--> statement-breakpoint
CREATE TRIGGER journey_stats_delete AFTER DELETE ON run_steps REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION journey_stats_run_rows_changed();
--> statement-breakpoint
CREATE TRIGGER journey_stats_insert AFTER INSERT ON discount_codes REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION journey_stats_run_rows_changed();
--> statement-breakpoint
CREATE TRIGGER journey_stats_update AFTER UPDATE ON discount_codes REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION journey_stats_run_rows_changed();
--> statement-breakpoint
CREATE TRIGGER journey_stats_delete AFTER DELETE ON discount_codes REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION journey_stats_run_rows_changed();
--> statement-breakpoint
CREATE TRIGGER journey_stats_insert AFTER INSERT ON messages REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION journey_stats_messages_changed();
--> statement-breakpoint
CREATE TRIGGER journey_stats_update AFTER UPDATE ON messages REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION journey_stats_messages_changed();
--> statement-breakpoint
CREATE TRIGGER journey_stats_delete AFTER DELETE ON messages REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION journey_stats_messages_changed();
--> statement-breakpoint
CREATE TRIGGER journey_stats_insert AFTER INSERT ON suppressions REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION journey_stats_suppressions_changed();
--> statement-breakpoint
CREATE TRIGGER journey_stats_update AFTER UPDATE ON suppressions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION journey_stats_suppressions_changed();
--> statement-breakpoint
CREATE TRIGGER journey_stats_delete AFTER DELETE ON suppressions REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION journey_stats_suppressions_changed();
--> statement-breakpoint
-- Row-level with WHEN on events: ingest pays nothing for the events that are not engagement.
CREATE TRIGGER journey_stats_insert AFTER INSERT ON events FOR EACH ROW
  WHEN (NEW.type IN ('message.opened', 'message.clicked', 'sms.replied'))
  EXECUTE FUNCTION journey_stats_event_changed();
--> statement-breakpoint
CREATE TRIGGER journey_stats_update AFTER UPDATE ON events FOR EACH ROW
  WHEN ((OLD.type IN ('message.opened', 'message.clicked', 'sms.replied') OR NEW.type IN ('message.opened', 'message.clicked', 'sms.replied'))
    AND (OLD.type, OLD.properties, OLD.occurred_at) IS DISTINCT FROM (NEW.type, NEW.properties, NEW.occurred_at))
  EXECUTE FUNCTION journey_stats_event_changed();
--> statement-breakpoint
CREATE TRIGGER journey_stats_delete AFTER DELETE ON events FOR EACH ROW
  WHEN (OLD.type IN ('message.opened', 'message.clicked', 'sms.replied'))
  EXECUTE FUNCTION journey_stats_event_changed();
--> statement-breakpoint
-- Every day that already has runs starts dirty: the refresher computes its rollup.
INSERT INTO journey_stats_dirty (workspace_id, journey_id, version, day)
SELECT DISTINCT workspace_id, journey_id, version, (started_at AT TIME ZONE 'UTC')::date FROM journey_runs;
