/**
 * Why a `#!` script or an executable cannot be started, found before running it: the interpreter its `#!` line names
 * (directly or through `env`) resolved the way the kernel and `env` will, on the PATH the plugin gets.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export interface Interpreter {
  /** The `#!` line as written, without `#!`. */
  readonly line: string;
  /** The program that will run the script (after `env`'s PATH search), when found. */
  readonly resolved?: string;
  /** Why it cannot run, when it cannot. */
  readonly problem?: string;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` on `path` (a PATH string), like `env` and `execvp` search. */
export function searchPath(name: string, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    const candidate = join(dir || '.', name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** Resolves a script's `#!` line (without the `#!`) against `path`, the PATH the plugin is started with. */
export function resolveInterpreter(line: string, path: string): Interpreter {
  const words = line.split(/[ \t]+/).filter(Boolean);
  const program = words[0];
  if (!program) return { line, problem: 'the #! line names no interpreter' };
  if (!isAbsolute(program))
    return {
      line,
      problem: `the #! line names "${program}", a relative path: the kernel resolves it against the working directory the ocm CLI starts the plugin in`,
    };
  if (!isExecutableFile(program))
    return { line, problem: `the #! line names ${program}, which ${statOk(program) ? 'is not an executable file' : 'does not exist'} on this machine` };
  if (!/(^|\/)env$/.test(program)) return { line, resolved: program };
  // `env [-S] [-i] [NAME=value…] command`: the first word that is neither an option nor an assignment.
  const command = words.slice(1).find((w) => !w.startsWith('-') && !w.includes('='));
  if (!command) return { line, resolved: program };
  if (command.includes('/'))
    return isExecutableFile(command) ? { line, resolved: command } : { line, problem: `env runs ${command}, which does not exist or is not executable` };
  const found = searchPath(command, path);
  return found ? { line, resolved: found } : { line, problem: `env finds no "${command}" on the plugin's PATH (searched ${path || '<empty>'})` };
}

function statOk(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** What a failed spawn (`error` event) means for a file that exists: ENOENT then points at the interpreter. */
export function spawnProblem(error: NodeJS.ErrnoException | string, file: string): string {
  const code = typeof error === 'string' ? /\b(E[A-Z]+)\b/.exec(error)?.[1] : error.code;
  const message = typeof error === 'string' ? error : error.message;
  switch (code) {
    case 'ENOENT':
      return statOk(file) ? `the kernel found no interpreter for ${file} (${message})` : `${file} disappeared (${message})`;
    case 'EACCES':
      return `permission denied (${message}): the file or its interpreter is not executable, or its file system is mounted noexec`;
    case 'ENOEXEC':
      return `the kernel cannot execute it (${message}): not a native executable for this machine and no #! line`;
    default:
      return message;
  }
}
