import { execa } from 'execa';
import { SetupError, tail } from './background-process.js';
import { prismaCli, projectRoot } from './project-paths.js';

/** Applies the committed SQL migrations with `prisma migrate deploy`. */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const result = await execa(process.execPath, [prismaCli, 'migrate', 'deploy', '--config', 'prisma/prisma.config.ts'], {
    cwd: projectRoot,
    env: { DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    all: true,
    reject: false,
  });
  if (result.failed) throw new SetupError(`Applying the database migrations failed:\n${tail(String(result.all), 8)}`);
}
