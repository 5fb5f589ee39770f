import type { ImageStore, ResolvedImage } from './image-store.js';
import { ImageError } from './errors.js';
export interface ImportOptions { tag?: string }
export async function importImages(_store: ImageStore, _path: string, _opts: ImportOptions): Promise<ResolvedImage[]> {
  throw new ImageError('UNIMPLEMENTED', 'import is not implemented yet');
}
