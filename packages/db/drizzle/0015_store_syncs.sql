CREATE TABLE "store_syncs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"platform" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"stage" text DEFAULT 'customers' NOT NULL,
	"cursor" text,
	"customers_imported" integer DEFAULT 0 NOT NULL,
	"orders_imported" integer DEFAULT 0 NOT NULL,
	"orders_total" integer,
	"throttled" integer DEFAULT 0 NOT NULL,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "store_syncs_platform_check" CHECK ("platform" in ('shopify')),
	CONSTRAINT "store_syncs_kind_check" CHECK ("kind" in ('backfill', 'reconcile')),
	CONSTRAINT "store_syncs_status_check" CHECK ("status" in ('running', 'done', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "store_syncs" ADD CONSTRAINT "store_syncs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "store_syncs_one_running_key" ON "store_syncs" USING btree ("workspace_id","platform") WHERE status = 'running';--> statement-breakpoint
CREATE INDEX "store_syncs_workspace_idx" ON "store_syncs" USING btree ("workspace_id","platform","started_at");