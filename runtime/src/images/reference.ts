// Image references as the distribution/reference grammar defines them, with the
// normalisation containerd applies: a name without a registry host lives on
// docker.io, a single-component docker.io name lives under library/, and a
// reference without tag or digest means :latest.
import { InvalidReferenceError } from './errors.js';

export const defaultDomain = 'docker.io';
const legacyDefaultDomain = 'index.docker.io';
const officialRepoPrefix = 'library/';
const nameTotalLengthMax = 255;

export interface ImageReference {
  /** Registry host with optional port, e.g. "docker.io", "127.0.0.1:5000". */
  domain: string;
  /** Repository path inside the registry, e.g. "library/busybox". */
  path: string;
  tag?: string;
  digest?: string;
}

const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainRe = new RegExp(`^(?:${domainName}|${ipv6})(?::[0-9]+)?$`);
const pathComponentRe = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
const tagRe = /^[\w][\w.-]{0,127}$/;
const digestRe = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const sha256Re = /^sha256:[0-9a-f]{64}$/;
const identifierRe = /^[a-f0-9]{64}$/;

/**
 * Parses and normalises a reference ("busybox", "quay.io/x/y:1", "localhost:5000/a@sha256:…").
 * Does not add a default tag: see {@link normalizeReference}.
 */
export function parseReference(input: string): ImageReference {
  const fail = (reason: string): never => {
    throw new InvalidReferenceError(input, reason);
  };
  if (input.length === 0) fail('empty reference');
  if (identifierRe.test(input)) fail('a 64-character hexadecimal string is an image id, not a repository name');

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestRe.test(digest)) fail(`invalid digest "${digest}"`);
    if (!sha256Re.test(digest)) fail(`unsupported digest "${digest}": only lowercase sha256 is supported`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagRe.test(tag)) fail(`invalid tag "${tag}"`);
  }

  const slash = rest.indexOf('/');
  let domain: string;
  let path: string;
  const first = slash < 0 ? '' : rest.slice(0, slash);
  if (slash < 0 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = defaultDomain;
    path = rest;
  } else {
    domain = first;
    path = rest.slice(slash + 1);
  }
  if (domain === legacyDefaultDomain) domain = defaultDomain;
  if (domain === defaultDomain && !path.includes('/')) path = officialRepoPrefix + path;

  if (!domainRe.test(domain)) fail(`invalid registry host "${domain}"`);
  if (path.toLowerCase() !== path) fail('repository name must be lowercase');
  for (const component of path.split('/')) {
    if (!pathComponentRe.test(component)) fail(`invalid repository path component "${component}"`);
  }
  if (domain.length + 1 + path.length > nameTotalLengthMax) fail(`repository name longer than ${nameTotalLengthMax} characters`);

  const ref: ImageReference = { domain, path };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** Parses, normalises and adds ":latest" when the reference names neither tag nor digest. */
export function normalizeReference(input: string): ImageReference {
  const ref = parseReference(input);
  if (ref.tag === undefined && ref.digest === undefined) ref.tag = 'latest';
  return ref;
}

/** "docker.io/library/busybox" */
export function repositoryName(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/** The full normalised string: "docker.io/library/busybox:latest", "…@sha256:…", or both. */
export function formatReference(ref: ImageReference): string {
  let s = repositoryName(ref);
  if (ref.tag !== undefined) s += `:${ref.tag}`;
  if (ref.digest !== undefined) s += `@${ref.digest}`;
  return s;
}

/** True for strings that look like an image id or a prefix of one ("sha256:ab12…", "ab12…"). */
export function looksLikeImageId(input: string): boolean {
  return /^(?:sha256:)?[a-f0-9]{1,64}$/.test(input);
}

/** Loopback registries are the only ones we talk plain http to. */
export function isLoopbackHost(domain: string): boolean {
  const host = domain.startsWith('[') ? domain.slice(1, domain.indexOf(']')) : domain.replace(/:[0-9]+$/, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
