// `wharf annotate`: see verbs/metadata-edit.ts.
import { runMetadataVerb } from '../verbs/metadata-edit.js';

export function run(args: string[]): Promise<number> {
  return runMetadataVerb(args, 'annotations');
}
