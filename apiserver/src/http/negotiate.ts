// What the client wants back: a Table (kubectl get), or the object itself.
import type { IncomingMessage } from 'node:http';

export interface Negotiated {
  table: boolean;
  /** includeObject for tables: None, Metadata (default) or Object. */
  includeObject: 'None' | 'Metadata' | 'Object';
}

export function negotiate(req: IncomingMessage, query: URLSearchParams): Negotiated {
  const accept = String(req.headers.accept ?? '');
  // Clients list media types in preference order; the first one we can serve wins.
  let table = false;
  for (const part of accept.split(',')) {
    const p = part.trim().toLowerCase();
    if (p.startsWith('application/json') && /;\s*as=table/.test(p) && /g=meta\.k8s\.io/.test(p)) {
      table = true;
      break;
    }
    if (p.startsWith('application/json') || p.startsWith('application/yaml') || p === '*/*' || p.startsWith('application/vnd.kubernetes.protobuf')) break;
  }
  const inc = query.get('includeObject');
  const includeObject = inc === 'None' || inc === 'Object' ? inc : 'Metadata';
  return { table, includeObject };
}
