// Where the per-kind schemas come from. They are written in @wharf/api beside
// the types; until a kind has one, its document still carries the paths and a
// permissive definition, because kubectl needs the paths to validate
// server-side and the server enforces the schema itself.
import * as api from '@wharf/api';
import type { KindSchema } from '@wharf/api';

export type KindSchemaLookup = (group: string, kind: string, version: string) => KindSchema | undefined;

/** Picks the schema that names this version exactly, else a version-less one. */
export function lookupIn(schemas: readonly KindSchema[]): KindSchemaLookup {
  return (group, kind, version) =>
    schemas.find((s) => s.group === group && s.kind === kind && s.version === version) ??
    schemas.find((s) => s.group === group && s.kind === kind && s.version === undefined);
}

/** The kind schemas exported by @wharf/api (read by name so this builds before they land). */
export function defaultKindSchemas(): readonly KindSchema[] {
  const all = (api as unknown as { ALL_KIND_SCHEMAS?: readonly KindSchema[] }).ALL_KIND_SCHEMAS;
  return Array.isArray(all) ? all : [];
}
