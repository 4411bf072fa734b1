CREATE TABLE "order_items" (
	"workspace_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"title" text NOT NULL,
	"url" text,
	"image_url" text,
	"price" numeric(14, 2),
	"placed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "order_items_pkey" PRIMARY KEY("workspace_id","order_id","sku")
);
--> statement-breakpoint
CREATE TABLE "product_pairs" (
	"workspace_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"other_sku" text NOT NULL,
	"buyers" integer NOT NULL,
	CONSTRAINT "product_pairs_pkey" PRIMARY KEY("workspace_id","sku","other_sku")
);
--> statement-breakpoint
CREATE TABLE "product_stats" (
	"workspace_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"buyers" integer NOT NULL,
	CONSTRAINT "product_stats_pkey" PRIMARY KEY("workspace_id","sku")
);
--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_order_fk" FOREIGN KEY ("workspace_id","order_id") REFERENCES "public"."orders"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_pairs" ADD CONSTRAINT "product_pairs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_stats" ADD CONSTRAINT "product_stats_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "order_items_customer_idx" ON "order_items" USING btree ("workspace_id","customer_id","sku");--> statement-breakpoint
CREATE INDEX "order_items_sku_recent_idx" ON "order_items" USING btree ("workspace_id","sku","placed_at","order_id");--> statement-breakpoint
CREATE INDEX "product_pairs_top_idx" ON "product_pairs" USING btree ("workspace_id","sku","buyers" DESC NULLS LAST,"other_sku");--> statement-breakpoint
CREATE INDEX "product_stats_best_idx" ON "product_stats" USING btree ("workspace_id","buyers" DESC NULLS LAST,"sku");--> statement-breakpoint
-- Backfill: the products of the orders stored before this migration (as order writes keep them from now on, queries/recommendations/order-items.ts), then the counters they imply.
INSERT INTO "order_items" ("workspace_id", "order_id", "sku", "customer_id", "title", "url", "image_url", "price", "placed_at")
SELECT DISTINCT ON (o.id, i.sku) o.workspace_id, o.id, i.sku, o.customer_id,
  coalesce(nullif(btrim(CASE WHEN jsonb_typeof(e->'name') = 'string' THEN e->>'name' END), ''),
    nullif(btrim(CASE WHEN jsonb_typeof(e->'title') = 'string' THEN e->>'title' END), ''), i.sku),
  nullif(btrim(CASE WHEN jsonb_typeof(e->'url') = 'string' THEN e->>'url' END), ''),
  nullif(btrim(CASE WHEN jsonb_typeof(e->'imageUrl') = 'string' THEN e->>'imageUrl' END), ''),
  CASE WHEN jsonb_typeof(e->'price') = 'number' AND abs((e->>'price')::numeric) < 1e12 THEN round((e->>'price')::numeric, 2) END,
  o.placed_at
FROM "orders" o,
  jsonb_array_elements(CASE WHEN jsonb_typeof(o.items) = 'array' THEN o.items ELSE '[]' END) WITH ORDINALITY AS x(e, n),
  LATERAL (SELECT CASE WHEN jsonb_typeof(e->'sku') IN ('string', 'number') THEN nullif(btrim(e->>'sku'), '') END AS sku) i
WHERE i.sku IS NOT NULL
ORDER BY o.id, i.sku, x.n;--> statement-breakpoint
INSERT INTO "product_stats" ("workspace_id", "sku", "buyers")
SELECT workspace_id, sku, count(DISTINCT customer_id)::int FROM "order_items" GROUP BY workspace_id, sku;--> statement-breakpoint
INSERT INTO "product_pairs" ("workspace_id", "sku", "other_sku", "buyers")
SELECT a.workspace_id, a.sku, b.sku, count(*)::int
FROM (SELECT DISTINCT workspace_id, customer_id, sku FROM "order_items") a
  JOIN (SELECT DISTINCT workspace_id, customer_id, sku FROM "order_items") b
    ON b.workspace_id = a.workspace_id AND b.customer_id = a.customer_id AND b.sku <> a.sku
GROUP BY a.workspace_id, a.sku, b.sku;
