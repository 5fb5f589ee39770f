// Where the per-kind schemas come from: @wharf/api, beside the types. A kind
// without one still gets its paths and a permissive definition, because kubectl
// needs the paths to validate server-side and the server enforces the schema itself.
import { ALL_KIND_SCHEMAS, type KindSchema } from '@wharf/api';

export type KindSchemaLookup = (group: string, kind: string, version: string) => KindSchema | undefined;

/** Picks the schema that names this version exactly, else a version-less one. */
export function lookupIn(schemas: readonly KindSchema[]): KindSchemaLookup {
  return (group, kind, version) =>
    schemas.find((s) => s.group === group && s.kind === kind && s.version === version) ??
    schemas.find((s) => s.group === group && s.kind === kind && s.version === undefined);
}

/** The kind schemas exported by @wharf/api. */
export function defaultKindSchemas(): readonly KindSchema[] {
  return ALL_KIND_SCHEMAS;
}
