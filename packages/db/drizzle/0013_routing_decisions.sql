CREATE TABLE "routing_decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"journey_id" uuid NOT NULL,
	"run_id" uuid,
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"event_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "routing_decisions_outcome_check" CHECK ("outcome" in ('entered', 'not_live', 'filter', 'no_order', 'entry_rule', 'entry_segment', 'entry_period', 'already_entered', 'already_running', 'ignored'))
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "consent_note" text;--> statement-breakpoint
ALTER TABLE "routing_decisions" ADD CONSTRAINT "routing_decisions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_decisions" ADD CONSTRAINT "routing_decisions_customer_fk" FOREIGN KEY ("workspace_id","customer_id") REFERENCES "public"."customers"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_decisions" ADD CONSTRAINT "routing_decisions_journey_fk" FOREIGN KEY ("workspace_id","journey_id") REFERENCES "public"."journeys"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_decisions" ADD CONSTRAINT "routing_decisions_run_fk" FOREIGN KEY ("workspace_id","run_id") REFERENCES "public"."journey_runs"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "routing_decisions_entry_key" ON "routing_decisions" USING btree ("workspace_id","customer_id","journey_id","event_id") WHERE outcome <> 'ignored';--> statement-breakpoint
CREATE UNIQUE INDEX "routing_decisions_ignored_key" ON "routing_decisions" USING btree ("workspace_id","run_id","event_id") WHERE outcome = 'ignored';--> statement-breakpoint
CREATE INDEX "routing_decisions_workspace_customer_idx" ON "routing_decisions" USING btree ("workspace_id","customer_id","id");