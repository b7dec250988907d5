import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { SetupError, errorText } from './background-process.js';

const DEFAULT_CHROMIUM = '/usr/bin/chromium';

const asRoot = (command: string[]) => (process.getuid?.() === 0 ? command : ['sudo', '-n', ...command]);

async function run(command: string[]): Promise<void> {
  await execa(command[0]!, command.slice(1), { env: { DEBIAN_FRONTEND: 'noninteractive' }, timeout: 15 * 60_000 });
}

/**
 * The web console's tests drive Debian's Chromium (playwright's own browser
 * download does not work here). CHROMIUM_PATH names another build; otherwise
 * the package is installed when missing, refreshing the package lists first
 * if the install can't find it.
 */
export async function ensureChromium(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<string> {
  if (env.CHROMIUM_PATH) {
    if (existsSync(env.CHROMIUM_PATH)) return env.CHROMIUM_PATH;
    throw new SetupError(`CHROMIUM_PATH names ${env.CHROMIUM_PATH}, which does not exist; point it at a Chromium binary or unset it.`);
  }
  if (existsSync(DEFAULT_CHROMIUM)) return DEFAULT_CHROMIUM;
  log('Installing Chromium for the browser tests (apt-get install chromium)…');
  const install = asRoot(['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']);
  try {
    await run(install).catch(async () => {
      await run(asRoot(['apt-get', 'update']));
      await run(install);
    });
  } catch (error) {
    throw new SetupError(
      `The browser tests need Chromium at ${DEFAULT_CHROMIUM} and installing it failed (${errorText(error).split('\n')[0]}); install it with \`sudo apt-get install chromium\` or set CHROMIUM_PATH.`,
    );
  }
  if (!existsSync(DEFAULT_CHROMIUM))
    throw new SetupError(`apt-get installed chromium but ${DEFAULT_CHROMIUM} is missing; set CHROMIUM_PATH.`);
  return DEFAULT_CHROMIUM;
}
