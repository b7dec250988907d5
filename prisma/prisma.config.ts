// Prisma CLI configuration. The JavaScript schema engine (engine: 'js') runs
// from npm packages alone; the native engine would be downloaded at run time.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';
import { NameTypeSafePool } from '../src/db/name-type-safe-pool.js';

const here = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(here, 'schema.prisma'),
  migrations: { path: path.join(here, 'migrations') },
  async adapter() {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error('DATABASE_URL is not set');
    return new PrismaPg(new NameTypeSafePool({ connectionString }));
  },
});
