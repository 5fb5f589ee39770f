import type { ImageStore } from './image-store.js';
import { ImageError } from './errors.js';
export interface PushOptions { as?: string }
export async function pushImage(_store: ImageStore, _ref: string, _opts: PushOptions): Promise<{ digest: string }> {
  throw new ImageError('UNIMPLEMENTED', 'push is not implemented yet');
}
