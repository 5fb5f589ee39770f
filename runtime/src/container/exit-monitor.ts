// Learns about container exits from the files conmon writes into the exit
// directory (one per container, holding the exit code). inotify tells us when
// one appears; after a restart a scan finds those written while we were down.
import { watch, promises as fs, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface ExitInfo {
  exitCode: number;
  /** Nanoseconds since the epoch: the exit file's modification time. */
  finishedAt: number;
}

export class ExitMonitor {
  private watcher: FSWatcher | undefined;

  constructor(
    readonly dir: string,
    private readonly onExit: (id: string) => void,
  ) {}

  async start(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    this.watcher = watch(this.dir, (_event, filename) => {
      if (filename && !filename.startsWith('.')) this.onExit(filename.toString());
    });
    this.watcher.unref();
  }

  stop(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  file(id: string): string {
    return path.join(this.dir, id);
  }

  /** The exit conmon recorded, or undefined while the container has not exited. */
  async read(id: string): Promise<ExitInfo | undefined> {
    const file = this.file(id);
    try {
      const [text, st] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
      // conmon creates the file and then writes; an empty read means "not yet".
      if (text.trim() === '') return undefined;
      const code = Number(text.trim());
      return { exitCode: Number.isFinite(code) ? code : 255, finishedAt: Math.round(st.mtimeMs * 1_000_000) };
    } catch {
      return undefined;
    }
  }

  async clear(id: string): Promise<void> {
    await fs.rm(this.file(id), { force: true });
  }
}
