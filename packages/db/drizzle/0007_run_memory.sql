CREATE TABLE "run_memory" (
	"workspace_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"key" text NOT NULL,
	"value" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "run_memory_pkey" PRIMARY KEY("run_id","key")
);
--> statement-breakpoint
ALTER TABLE "run_memory" ADD CONSTRAINT "run_memory_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_memory" ADD CONSTRAINT "run_memory_run_fk" FOREIGN KEY ("workspace_id","run_id") REFERENCES "public"."journey_runs"("workspace_id","id") ON DELETE cascade ON UPDATE no action;