CREATE TABLE "discount_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"code" text NOT NULL,
	"provider" text DEFAULT 'hourglass' NOT NULL,
	"kind" text NOT NULL,
	"value" numeric(14, 2) NOT NULL,
	"currency" text,
	"expires_at" timestamp with time zone,
	"customer_id" uuid NOT NULL,
	"run_id" uuid,
	"journey_id" uuid,
	"step_id" text,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"redeemed_at" timestamp with time zone,
	"redeemed_order_id" uuid,
	CONSTRAINT "discount_codes_provider_check" CHECK ("provider" in ('hourglass')),
	CONSTRAINT "discount_codes_kind_check" CHECK ("kind" in ('percent', 'amount'))
);
--> statement-breakpoint
ALTER TABLE "run_steps" ADD COLUMN "output" jsonb;--> statement-breakpoint
ALTER TABLE "discount_codes" ADD CONSTRAINT "discount_codes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discount_codes" ADD CONSTRAINT "discount_codes_customer_fk" FOREIGN KEY ("workspace_id","customer_id") REFERENCES "public"."customers"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discount_codes" ADD CONSTRAINT "discount_codes_run_fk" FOREIGN KEY ("workspace_id","run_id") REFERENCES "public"."journey_runs"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "discount_codes_workspace_code_key" ON "discount_codes" USING btree ("workspace_id",upper("code"));--> statement-breakpoint
CREATE UNIQUE INDEX "discount_codes_workspace_idempotency_key" ON "discount_codes" USING btree ("workspace_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "discount_codes_workspace_run_idx" ON "discount_codes" USING btree ("workspace_id","run_id");