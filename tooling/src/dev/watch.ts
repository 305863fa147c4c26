/**
 * Exit on change: a serve hook that watches the plugin's source files and, once one changed and no request has
 * been in flight for `quietMs`, stops the plugin the way SIGINT does (in-flight work finishes, socket removed,
 * exit 0). The host's next start of the plugin runs the new code.
 */
import { watch, type FSWatcher } from 'node:fs';
import { sameStamp, stampOf, type Stamp } from './dev-bundle.js';
import type { ServeHook } from '@ocm-plugin-kit/sdk/hooks';

export interface WatchOptions {
  /** Files to watch, with their stamps at build time. */
  readonly files: Readonly<Record<string, Stamp>>;
  readonly quietMs: number;
  /** How often the in-flight count is checked while waiting for quiet. */
  readonly pollMs?: number;
}

export function stopOnChange(options: WatchOptions): ServeHook {
  return (ctx) => {
    const watchers: FSWatcher[] = [];
    let changed: string | undefined;
    const stopWhenQuiet = () => {
      const poll = options.pollMs ?? 25;
      let quietFor = 0;
      const timer = setInterval(() => {
        quietFor = ctx.inFlight() === 0 ? quietFor + poll : 0;
        if (quietFor >= options.quietMs) {
          clearInterval(timer);
          ctx.stop(`source changed: ${changed}`);
        }
      }, poll);
    };
    const check = (file: string) => {
      if (changed !== undefined || sameStamp(stampOf(file), options.files[file])) return;
      changed = file;
      for (const w of watchers) w.close();
      ctx.log.info({ file }, 'source changed: the plugin stops once no request is in flight; its next start runs the new code');
      stopWhenQuiet();
    };
    for (const file of Object.keys(options.files)) {
      try {
        // An editor that saves by renaming replaces the file: the 'rename' event fires and the stamp differs.
        const w = watch(file, { persistent: false }, () => check(file));
        w.on('error', () => check(file));
        watchers.push(w);
      } catch {
        // Deleted since the build: that is a change.
      }
      check(file);
    }
  };
}
