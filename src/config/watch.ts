// Watch a config file for changes. Editors and deploy tools often replace the file (rename over it),
// so the directory is watched and events are debounced.
import { type FSWatcher, statSync, watch } from 'node:fs';
import path from 'node:path';

export function watchConfigFile(file: string, onChange: () => void, debounceMs = 200): () => void {
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  const base = path.basename(abs);
  let timer: NodeJS.Timeout | undefined;
  let w: FSWatcher | undefined;
  try {
    w = watch(dir, { persistent: false }, (_event, name) => {
      if (name !== null && name !== base) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(onChange, debounceMs);
      timer.unref();
    });
    w.on('error', () => undefined);
  } catch {
    // Watching is a convenience; SIGHUP still reloads.
  }
  return () => {
    if (timer) clearTimeout(timer);
    w?.close();
  };
}

/** Watch files and directories (recursively) for any change; used for policy and data files. */
export function watchPaths(paths: readonly string[], onChange: () => void, debounceMs = 200): () => void {
  let timer: NodeJS.Timeout | undefined;
  const watchers: FSWatcher[] = [];
  const fire = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
    timer.unref();
  };
  for (const p of paths) {
    const abs = path.resolve(p);
    try {
      let isDir = false;
      try {
        isDir = statSync(abs).isDirectory();
      } catch {
        // A missing path: watch its directory so its creation is noticed.
      }
      const w = isDir
        ? watch(abs, { persistent: false, recursive: true }, fire)
        : watch(path.dirname(abs), { persistent: false }, (_e, name) => {
            if (name === null || name === path.basename(abs)) fire();
          });
      w.on('error', () => undefined);
      watchers.push(w);
    } catch {
      // Watching is a convenience; SIGHUP still reloads.
    }
  }
  return () => {
    if (timer) clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
