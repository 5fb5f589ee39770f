// What every registry operation needs, built once at start-up.
import type { Logger } from '@wharf/api';
import type { WatchCache } from '../cache/watch-cache.js';
import type { Storage } from '../storage/interface.js';
import type { ServiceAllocator } from './service-allocator.js';

export interface RegistryContext {
  storage: Storage;
  cache: WatchCache;
  services: ServiceAllocator;
  log: Logger;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string;
  fieldValidation: FieldValidation;
  /** Collected `Warning:` headers (unknown fields under Warn). */
  warnings: string[];
  force: boolean;
  /** Set by server-side apply, which computes managedFields itself. */
  managedFieldsSet?: boolean;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';
