CREATE TABLE "system_emails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid,
	"kind" text NOT NULL,
	"to_address" text NOT NULL,
	"from_address" text NOT NULL,
	"subject" text NOT NULL,
	"body_text" text,
	"body_html" text,
	"provider" text NOT NULL,
	"provider_message_id" text,
	"status" text NOT NULL,
	"error" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "system_emails_kind_check" CHECK ("kind" in ('password_reset', 'invitation')),
	CONSTRAINT "system_emails_provider_check" CHECK ("provider" in ('outbox', 'resend', 'twilio')),
	CONSTRAINT "system_emails_status_check" CHECK ("status" in ('sent', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "system_emails" ADD CONSTRAINT "system_emails_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "system_emails_to_idx" ON "system_emails" USING btree ("to_address","created_at");--> statement-breakpoint
CREATE INDEX "system_emails_workspace_idx" ON "system_emails" USING btree ("workspace_id","created_at");