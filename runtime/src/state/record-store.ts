// In-memory maps of sandboxes and containers, written through to one JSON
// file per record. Reads never touch the disk; the disk is read once at start.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJsonDir, writeJsonAtomic } from '../util/json-file.js';
import type { ContainerRecord, SandboxRecord } from './records.js';

export class RecordStore<T extends { id: string }> {
  private readonly records = new Map<string, T>();

  constructor(private readonly dir: string) {}

  async load(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    for (const r of await readJsonDir<T>(this.dir)) this.records.set(r.id, r);
  }

  get(id: string): T | undefined {
    return this.records.get(id);
  }

  all(): T[] {
    return [...this.records.values()];
  }

  async put(record: T): Promise<void> {
    this.records.set(record.id, record);
    await writeJsonAtomic(path.join(this.dir, `${record.id}.json`), record);
  }

  async delete(id: string): Promise<void> {
    this.records.delete(id);
    await fs.rm(path.join(this.dir, `${id}.json`), { force: true });
  }
}

export type SandboxStore = RecordStore<SandboxRecord>;
export type ContainerStore = RecordStore<ContainerRecord>;
