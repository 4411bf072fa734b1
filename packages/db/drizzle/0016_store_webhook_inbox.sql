ALTER TABLE "store_webhooks" DROP CONSTRAINT "store_webhooks_outcome_check";--> statement-breakpoint
ALTER TABLE "store_webhooks" ADD COLUMN "payload" jsonb;--> statement-breakpoint
ALTER TABLE "store_webhooks" ADD COLUMN "triggered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "store_webhooks" ADD COLUMN "error" text;--> statement-breakpoint
ALTER TABLE "store_webhooks" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "store_webhooks" ADD COLUMN "processed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "store_webhooks_pending_idx" ON "store_webhooks" USING btree ("received_at") WHERE outcome = 'pending';--> statement-breakpoint
ALTER TABLE "store_webhooks" ADD CONSTRAINT "store_webhooks_outcome_check" CHECK ("outcome" in ('pending', 'applied', 'stale', 'ignored'));