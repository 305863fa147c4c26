/** The package manager that ran us (`npm create`, `pnpm create`, `yarn create`, `bun create`), for the closing hints. */
export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

/** Reads `npm_config_user_agent` (e.g. `pnpm/9.1.0 npm/? node/v20.19.0 linux x64`); npm when unknown. */
export function detectPackageManager(userAgent: string | undefined): PackageManager {
  const name = userAgent?.split(' ')[0]?.split('/')[0];
  return name === 'pnpm' || name === 'yarn' || name === 'bun' ? name : 'npm';
}

/** The commands to install dependencies and run a package script with this package manager. */
export function commands(pm: PackageManager): { install: string; run: (script: string) => string } {
  return {
    install: pm === 'yarn' ? 'yarn' : `${pm} install`,
    run: (script) => (pm === 'npm' ? (script === 'test' ? 'npm test' : `npm run ${script}`) : pm === 'bun' ? `bun run ${script}` : `${pm} ${script}`),
  };
}
