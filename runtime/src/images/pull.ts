import type { ImageStore, ResolvedImage } from './image-store.js';
import { ImageError } from './errors.js';
export interface PullOptions { onProgress?: (p: unknown) => void }
export async function pullImage(_store: ImageStore, _ref: string, _opts: PullOptions): Promise<ResolvedImage> {
  throw new ImageError('UNIMPLEMENTED', 'pull is not implemented yet');
}
