CREATE TABLE "inbound_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid,
	"provider_message_id" text NOT NULL,
	"from_address" text NOT NULL,
	"to_address" text,
	"body" text DEFAULT '' NOT NULL,
	"media_count" integer DEFAULT 0 NOT NULL,
	"media_urls" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"keyword" text,
	"customer_id" uuid,
	"reply_to_message_id" uuid,
	"event_id" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_clicks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"link_index" integer NOT NULL,
	"url" text NOT NULL,
	"user_agent" text,
	"bot" boolean DEFAULT false NOT NULL,
	"bot_reason" text,
	"event_id" text,
	"clicked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "links" jsonb;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_customer_fk" FOREIGN KEY ("workspace_id","customer_id") REFERENCES "public"."customers"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_clicks" ADD CONSTRAINT "message_clicks_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_clicks" ADD CONSTRAINT "message_clicks_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inbound_messages_workspace_idx" ON "inbound_messages" USING btree ("workspace_id","received_at");--> statement-breakpoint
CREATE INDEX "inbound_messages_customer_idx" ON "inbound_messages" USING btree ("workspace_id","customer_id","received_at");--> statement-breakpoint
CREATE INDEX "message_clicks_message_idx" ON "message_clicks" USING btree ("workspace_id","message_id","clicked_at");--> statement-breakpoint
CREATE INDEX "message_clicks_human_idx" ON "message_clicks" USING btree ("workspace_id","message_id") WHERE not bot;