-- Journey names become unique per workspace (case-insensitive) among journeys that are not archived.
-- Journeys that already share a name keep the oldest as it is and number the others "(2)", "(3)"…,
-- skipping numbers another journey of the workspace already uses.
DO $$
DECLARE
  dup record;
  n integer;
BEGIN
  FOR dup IN
    SELECT id, workspace_id, name FROM (
      SELECT id, workspace_id, name,
             row_number() OVER (PARTITION BY workspace_id, lower(name) ORDER BY created_at, id) AS rank
        FROM journeys WHERE status <> 'archived'
    ) ranked
    WHERE rank > 1
    ORDER BY workspace_id, lower(name), rank
  LOOP
    n := 2;
    WHILE EXISTS (
      SELECT 1 FROM journeys
       WHERE workspace_id = dup.workspace_id AND status <> 'archived'
         AND lower(name) = lower(dup.name || ' (' || n || ')')
    ) LOOP
      n := n + 1;
    END LOOP;
    UPDATE journeys SET name = dup.name || ' (' || n || ')' WHERE id = dup.id;
  END LOOP;
END $$;--> statement-breakpoint
CREATE UNIQUE INDEX "journeys_workspace_name_key" ON "journeys" USING btree ("workspace_id",lower("name")) WHERE status <> 'archived';
