ALTER TABLE "messages" ALTER COLUMN "customer_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "test" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Test sends made before this column: marked by their step id; they were never the customer's.
UPDATE "messages" SET "test" = true, "customer_id" = NULL WHERE "step_id" = 'test-send' AND "run_id" IS NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_customer_check" CHECK (test or customer_id is not null);