import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SetupError } from './components.js';
import { prismaCli, projectRoot } from './project-paths.js';

const execFileAsync = promisify(execFile);

/** Applies the committed SQL migrations with `prisma migrate deploy`. */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  try {
    await execFileAsync(process.execPath, [prismaCli, 'migrate', 'deploy', '--config', 'prisma/prisma.config.ts'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    });
  } catch (error) {
    const output = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`
      .trim()
      .split('\n')
      .slice(-8)
      .join('\n');
    throw new SetupError(`Applying the database migrations failed:\n${output}`);
  }
}
