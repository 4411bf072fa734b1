import { sql } from 'drizzle-orm';
import { type AnyPgColumn, check, foreignKey, timestamp } from 'drizzle-orm/pg-core';

/** timestamptz column returning Date. */
export const tstz = () => timestamp({ withTimezone: true, mode: 'date' });

/** created_at / updated_at pair; updated_at is bumped by drizzle on every update. */
export const timestamps = () => ({
  createdAt: tstz().notNull().defaultNow(),
  updatedAt: tstz()
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
});

/**
 * CHECK (column IN (...)): text "enums" are enforced by the database too, while staying cheaper to
 * extend than a pg enum type. Values are code constants, so inlining them is safe.
 */
export const oneOf = (table: string, column: string, values: readonly string[]) =>
  check(
    `${table}_${column}_check`,
    sql.raw(`"${column}" in (${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')})`),
  );

/**
 * Composite foreign key (workspace_id, ref) → parent (workspace_id, id): the database itself
 * refuses a row that points at another workspace's row. Nullable refs are unchecked when null.
 */
export const sameWorkspace = (
  name: string,
  columns: [AnyPgColumn, AnyPgColumn],
  parent: [AnyPgColumn, AnyPgColumn],
) => foreignKey({ name, columns, foreignColumns: parent }).onDelete('cascade');
