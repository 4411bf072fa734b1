import { defineConfig } from 'drizzle-kit';

// `pnpm generate` diffs src/schema against drizzle/meta and writes the next SQL migration; no database needed.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './drizzle',
  casing: 'snake_case',
  strict: true,
});
