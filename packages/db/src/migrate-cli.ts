// `tsx packages/db/src/migrate-cli.ts`: applies migrations to DATABASE_URL and prints one line.
import { migrate } from './migrate';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('migrate: DATABASE_URL is not set');
  process.exit(2);
}
try {
  const { applied, total } = await migrate(url);
  console.log(`migrate: applied ${applied} migration(s), ${total} in total`);
} catch (err) {
  console.error(`migrate: failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
