CREATE TABLE "run_step_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"step_id" text NOT NULL,
	"seq" integer DEFAULT 0 NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"attempt" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"will_retry" boolean DEFAULT false NOT NULL,
	"error" jsonb,
	"deferred_until" timestamp with time zone,
	"reason" jsonb,
	"message_id" uuid,
	CONSTRAINT "run_step_attempts_outcome_check" CHECK ("outcome" in ('ok', 'skipped', 'failed', 'deferred'))
);
--> statement-breakpoint
ALTER TABLE "run_step_attempts" ADD CONSTRAINT "run_step_attempts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_step_attempts" ADD CONSTRAINT "run_step_attempts_run_fk" FOREIGN KEY ("workspace_id","run_id") REFERENCES "public"."journey_runs"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_step_attempts" ADD CONSTRAINT "run_step_attempts_step_fk" FOREIGN KEY ("run_id","step_id","seq") REFERENCES "public"."run_steps"("run_id","step_id","seq") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "run_step_attempts_key" ON "run_step_attempts" USING btree ("run_id","step_id","seq","scheduled_at","attempt");--> statement-breakpoint
CREATE INDEX "run_step_attempts_workspace_run_idx" ON "run_step_attempts" USING btree ("workspace_id","run_id","at");