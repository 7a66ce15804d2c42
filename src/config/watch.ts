// Watch a config file for changes. Editors and deploy tools often replace the file (rename over it),
// so the directory is watched and events are debounced.
import { watch, type FSWatcher } from 'node:fs';
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
