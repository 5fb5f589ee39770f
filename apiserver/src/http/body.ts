// Request bodies: at most 3 MiB (Kubernetes' limit), decoded by content type —
// JSON, YAML, or the protobuf envelope kubectl 1.32 posts for typed creates.
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { BadRequestError, TooLargeError, UnsupportedMediaTypeError } from '@wharf/api';
import { decodeProtobufObject } from '../protobuf/index.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    throw new TooLargeError();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) {
      req.resume();
      throw new TooLargeError();
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export function mediaType(req: IncomingMessage): string {
  return String(req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BadRequestError(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (${(err as Error).message})`);
  }
}

function parseYamlDoc(text: string): unknown {
  try {
    return parseYaml(text, { uniqueKeys: true });
  } catch (err) {
    const detail = err instanceof YAMLParseError ? err.message.split('\n')[0] : String(err);
    throw new BadRequestError(`error converting YAML to JSON: ${detail}`);
  }
}

/** Decodes an object body (create, update); the object must be a JSON object. */
export function decodeObject(buf: Buffer, type: string): Record<string, unknown> {
  let value: unknown;
  if (type === 'application/vnd.kubernetes.protobuf') {
    value = decodeProtobufObject(buf);
  } else if (type === 'application/json' || type === '' ) {
    value = parseJson(buf.toString('utf8'));
  } else if (type === 'application/yaml' || type === 'application/apply-patch+yaml') {
    value = parseYamlDoc(buf.toString('utf8'));
  } else {
    throw new UnsupportedMediaTypeError(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BadRequestError('the body of the request must be a JSON or YAML object');
  }
  return value as Record<string, unknown>;
}

/** Decodes a patch body as JSON (or YAML for apply). */
export function decodePatch(buf: Buffer, type: string): unknown {
  if (type === 'application/apply-patch+yaml') return parseYamlDoc(buf.toString('utf8'));
  return parseJson(buf.toString('utf8'));
}
