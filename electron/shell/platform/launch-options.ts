// What the app takes from its command line and environment: the same --config / FOOTPRINT_CONFIG as
// `footprint serve` (loadConfig reads FOOTPRINT_CONFIG itself), plus options for development and tests.

type Env = Readonly<Record<string, string | undefined>>;

export interface LaunchOptions {
  /** --config FILE or --config=FILE (-c FILE). */
  readonly configFile: string | undefined;
  /** FOOTPRINT_USER_DATA_DIR: where the app keeps settings (tests use a temp dir). */
  readonly userDataDir: string | undefined;
  /** FOOTPRINT_RENDERER_URL: a Vite dev server (ignored by a packaged app). */
  readonly devServerUrl: string | undefined;
  /** FOOTPRINT_TEST_HOOKS=1: expose the shell's state to end-to-end tests (main process only). */
  readonly testHooks: boolean;
}

export function launchOptions(argv: readonly string[], env: Env): LaunchOptions {
  let configFile: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument.startsWith('--config=')) configFile = argument.slice('--config='.length);
    else if ((argument === '--config' || argument === '-c') && index + 1 < argv.length) configFile = argv[++index];
  }
  const nonEmpty = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);
  return {
    configFile: nonEmpty(configFile),
    userDataDir: nonEmpty(env.FOOTPRINT_USER_DATA_DIR),
    devServerUrl: nonEmpty(env.FOOTPRINT_RENDERER_URL),
    testHooks: env.FOOTPRINT_TEST_HOOKS === '1',
  };
}
