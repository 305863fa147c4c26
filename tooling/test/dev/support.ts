/** Helpers for the dev-loop tests: throwaway copies of plugin projects and the `ocm-plugin dev` command in process. */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { devCommand } from '../../src/commands/dev.js';

export const ROOT = resolve(import.meta.dirname, '../../..');

export interface Project {
  readonly dir: string;
  readonly pluginDir: string;
  readonly cacheDir: string;
  /** Replaces `from` with `to` in a file of the copy (fails when `from` is not there). */
  edit(file: string, from: string, to: string): void;
}

/**
 * Copies a plugin project (package.json and src/) into a temp directory whose node_modules links to the
 * workspace's, so the copy builds like a real project and the original is never touched.
 */
export function copyProject(source: string): Project {
  const dir = mkdtempSync(join(tmpdir(), 'ocmkit-dev-'));
  cpSync(join(source, 'package.json'), join(dir, 'package.json'));
  cpSync(join(source, 'src'), join(dir, 'src'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const pluginDir = join(dir, 'plugins');
  mkdirSync(pluginDir);
  return {
    dir,
    pluginDir,
    cacheDir: join(dir, '.dev-cache'),
    edit(file, from, to) {
      const path = join(dir, file);
      const text = readFileSync(path, 'utf8');
      if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
      writeFileSync(path, text.replace(from, to));
    },
  };
}

/** Runs `ocm-plugin dev <args>` in process; returns the exit code and what it printed. */
export async function dev(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        append(chunk.toString());
        cb();
      },
    });
  try {
    const code = await devCommand(
      args,
      sink((s) => (out += s)),
      sink((s) => (err += s)),
    );
    return { code, out, err };
  } catch (e) {
    // What main.ts prints for a thrown error.
    return { code: 1, out, err: err + (e as Error).message };
  }
}

/** Resolves with `p`'s value, or rejects after `ms` with a message naming what was awaited. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms).unref())]);
}
