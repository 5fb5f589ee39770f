// Under fieldValidation Warn or Ignore, Kubernetes decodes into typed structs
// and so drops fields it does not know. Wharf stores JSON, so it drops them
// explicitly, walking the kind's schema: what is stored is what Kubernetes
// would have stored.
import type { Schema } from '@wharf/api';

export function pruneUnknown(value: unknown, schema: Schema): void {
  if (value === null || typeof value !== 'object') return;
  switch (schema.type) {
    case 'object': {
      if (Array.isArray(value)) return;
      const obj = value as Record<string, unknown>;
      for (const key of Object.keys(obj)) {
        const child = schema.properties[key];
        if (!child) delete obj[key];
        else pruneUnknown(obj[key], child);
      }
      return;
    }
    case 'map': {
      if (Array.isArray(value)) return;
      for (const v of Object.values(value as Record<string, unknown>)) pruneUnknown(v, schema.values);
      return;
    }
    case 'array': {
      if (!Array.isArray(value)) return;
      for (const item of value) pruneUnknown(item, schema.items);
      return;
    }
    default:
      return;
  }
}
