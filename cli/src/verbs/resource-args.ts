// kubectl's resource arguments: `TYPE[,TYPE…] [NAME…]`, `TYPE/NAME…`, and the
// `all` category; each resolves to the served resource it names.
import { GROUP_VERSIONS, RESOURCES, resolveResourceName, type KubeObject, type ResourceInfo } from '@wharf/api';
import { CliError } from './cli-error.js';

export interface ResourceRequest {
  info: ResourceInfo;
  /** Empty means "every object of this type". */
  names: string[];
}

export function resolveType(name: string): ResourceInfo {
  const info = resolveResourceName(name);
  if (!info) throw new CliError(`the server doesn't have a resource type "${name}"`);
  return info;
}

/** The resources tagged with a category (`all`), preferred versions, in discovery order. */
export function categoryResources(category: string): ResourceInfo[] {
  const out: ResourceInfo[] = [];
  for (const { group, versions } of GROUP_VERSIONS) {
    const preferred = versions[0];
    for (const r of RESOURCES) if (r.group === group && r.version === preferred && r.categories.includes(category) && !r.virtual) out.push(r);
  }
  return out;
}

export function parseResourceArgs(args: string[], verb = 'get'): ResourceRequest[] {
  if (args.length === 0) {
    if (verb === 'get') {
      process.stderr.write('You must specify the type of resource to get. Use "wharf api-resources" for a complete list of supported resources.\n\n');
      throw new CliError(`Required resource not specified.\nUse "wharf explain <resource>" for a detailed description of that resource (e.g. wharf explain pods).\nSee 'wharf get -h' for help and examples`);
    }
    if (verb === 'describe') throw new CliError('You must specify the type of resource to describe. Use "wharf api-resources" for a complete list of supported resources.');
    throw new CliError('required resource not specified');
  }
  if (args.some((a) => a.includes('/'))) {
    const out: ResourceRequest[] = [];
    for (const a of args) {
      const slash = a.indexOf('/');
      if (slash < 0) throw new CliError(`there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'wharf get resource/<resource_name>' instead of 'wharf get resource resource/<resource_name>'`);
      const info = resolveType(a.slice(0, slash));
      const name = a.slice(slash + 1);
      if (!name) throw new CliError(`arguments in resource/name form must have a single resource and name`);
      const prev = out.find((r) => r.info === info);
      if (prev) prev.names.push(name);
      else out.push({ info, names: [name] });
    }
    return out;
  }
  const [types, ...names] = args as [string, ...string[]];
  const out: ResourceRequest[] = [];
  for (const t of types.split(',').filter(Boolean)) {
    if (t === 'all') {
      for (const info of categoryResources('all')) if (!out.some((r) => r.info === info)) out.push({ info, names: [...names] });
      continue;
    }
    const info = resolveType(t);
    if (!out.some((r) => r.info === info)) out.push({ info, names: [...names] });
  }
  return out;
}

/** `deployment.apps`, `pod`: the type prefix kubectl prints before a name. */
export function typeName(info: Pick<ResourceInfo, 'kind' | 'group'>): string {
  return info.group ? `${info.kind.toLowerCase()}.${info.group}` : info.kind.toLowerCase();
}

export function qualifiedName(info: Pick<ResourceInfo, 'kind' | 'group'>, name: string): string {
  return `${typeName(info)}/${name}`;
}

/** `deployments.apps`: the plural form used in API error messages. */
export function pluralName(info: Pick<ResourceInfo, 'plural' | 'group'>): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural;
}

export function infoForObject(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): ResourceInfo {
  const apiVersion = obj.apiVersion ?? '';
  const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
  const exact = RESOURCES.find((r) => r.group === group && r.version === version && r.kind === obj.kind && !r.virtual);
  if (exact) return exact;
  const anyVersion = RESOURCES.find((r) => r.group === group && r.kind === obj.kind && !r.virtual);
  if (anyVersion) return anyVersion;
  throw new CliError(`resource mapping not found for name: "" namespace: "" from "": no matches for kind "${obj.kind ?? ''}" in version "${apiVersion}"\nensure CRDs are installed first`);
}
