import type { ImageStore } from './image-store.js';
import { ImageError } from './errors.js';
export interface ExportOptions { name?: string }
export async function exportImage(_store: ImageStore, _ref: string, _dest: string, _opts: ExportOptions): Promise<void> {
  throw new ImageError('UNIMPLEMENTED', 'export is not implemented yet');
}
