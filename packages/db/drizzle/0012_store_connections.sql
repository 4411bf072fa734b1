CREATE TABLE "store_connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"platform" text NOT NULL,
	"shop_domain" text NOT NULL,
	"secret_ciphertext" text NOT NULL,
	"shop_name" text,
	"last_tested_at" timestamp with time zone,
	"webhooks_registered_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "store_connections_platform_check" CHECK ("platform" in ('shopify'))
);
--> statement-breakpoint
CREATE TABLE "store_webhooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"platform" text NOT NULL,
	"webhook_id" text NOT NULL,
	"topic" text NOT NULL,
	"resource_key" text,
	"resource_updated_at" timestamp with time zone,
	"outcome" text NOT NULL,
	"event_ids" text[] NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "store_webhooks_platform_check" CHECK ("platform" in ('shopify')),
	CONSTRAINT "store_webhooks_outcome_check" CHECK ("outcome" in ('applied', 'stale', 'ignored'))
);
--> statement-breakpoint
ALTER TABLE "workspaces" ALTER COLUMN "settings" SET DEFAULT '{"quietHours":{"start":"21:00","end":"08:00"},"frequencyCaps":{"emailHours":16,"smsHours":24},"brand":{"name":"","color":"#111827","logoUrl":null,"address":""},"links":{"reviewUrl":null,"reorderUrl":null,"statusUrl":null}}'::jsonb;--> statement-breakpoint
ALTER TABLE "store_connections" ADD CONSTRAINT "store_connections_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_connections" ADD CONSTRAINT "store_connections_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_webhooks" ADD CONSTRAINT "store_webhooks_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "store_connections_workspace_platform_key" ON "store_connections" USING btree ("workspace_id","platform");--> statement-breakpoint
CREATE UNIQUE INDEX "store_webhooks_workspace_webhook_key" ON "store_webhooks" USING btree ("workspace_id","platform","webhook_id");--> statement-breakpoint
CREATE INDEX "store_webhooks_resource_idx" ON "store_webhooks" USING btree ("workspace_id","platform","resource_key","resource_updated_at");