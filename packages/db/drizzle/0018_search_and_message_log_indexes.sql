DROP INDEX "customers_workspace_email_idx";--> statement-breakpoint
CREATE INDEX "customers_workspace_first_name_idx" ON "customers" USING btree ("workspace_id",lower(first_name) text_pattern_ops);--> statement-breakpoint
CREATE INDEX "customers_workspace_last_name_idx" ON "customers" USING btree ("workspace_id",lower(last_name) text_pattern_ops);--> statement-breakpoint
CREATE INDEX "customers_workspace_full_name_idx" ON "customers" USING btree ("workspace_id",lower(first_name || ' ' || last_name) text_pattern_ops);--> statement-breakpoint
CREATE INDEX "messages_workspace_created_idx" ON "messages" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "customers_workspace_email_idx" ON "customers" USING btree ("workspace_id",lower(email) text_pattern_ops);