// Request bodies in `application/vnd.kubernetes.protobuf`: the 4-byte magic
// `k8s\0`, then a runtime.Unknown whose typeMeta names the kind and whose raw
// bytes are the object's message. kubectl 1.32 sends every typed-client POST
// (create deployment|configmap|secret|namespace|service, autoscale) this way.
import { BadRequestError, UnsupportedMediaTypeError, type KubeObject } from '@wharf/api';
import { messageToJson } from './to-json.js';
import { KIND_MESSAGES, messageTypeFor, protoRoot } from './registry.js';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** True for a Content-Type of application/vnd.kubernetes.protobuf (parameters ignored). */
export function isProtobufContentType(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === PROTOBUF_CONTENT_TYPE;
}

export interface ProtobufEnvelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
}

/** Splits the envelope; throws BadRequestError when the bytes are not one. */
export function decodeEnvelope(body: Uint8Array): ProtobufEnvelope {
  if (body.length < 4 || !PROTOBUF_MAGIC.equals(Buffer.from(body.subarray(0, 4)))) {
    throw new BadRequestError('the body of the request was in an unknown format: protobuf bodies must start with the k8s\\0 prefix');
  }
  const unknownType = protoRoot().lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  let unknown: Record<string, unknown>;
  try {
    unknown = unknownType.decode(body.subarray(4)) as unknown as Record<string, unknown>;
  } catch (err) {
    throw Object.assign(new BadRequestError(`the body of the request could not be decoded as protobuf: ${(err as Error).message}`), { cause: err });
  }
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const raw = (unknown.raw as Uint8Array | undefined) ?? new Uint8Array();
  if (unknown.contentEncoding) throw new UnsupportedMediaTypeError(`protobuf bodies with contentEncoding "${String(unknown.contentEncoding)}" are not supported`);
  return { apiVersion: typeMeta.apiVersion ?? '', kind: typeMeta.kind ?? '', raw };
}

/** The kinds (as "apiVersion/Kind") this server decodes from protobuf. */
export function supportedProtobufKinds(): string[] {
  return Object.keys(KIND_MESSAGES);
}

/**
 * Decodes a protobuf request body into the JSON object Kubernetes would have
 * received. An unknown kind is a 415: the client must send JSON instead.
 */
export function decodeProtobufObject(body: Uint8Array): KubeObject {
  const envelope = decodeEnvelope(body);
  const type = messageTypeFor(envelope.apiVersion, envelope.kind);
  if (!type) {
    const what = envelope.kind ? `${envelope.apiVersion || '<no apiVersion>'}, Kind=${envelope.kind}` : 'an object without a kind';
    throw new UnsupportedMediaTypeError(
      `the protobuf body carries ${what}, which this server cannot decode from ${PROTOBUF_CONTENT_TYPE}; send it as application/json`,
    );
  }
  let message: Record<string, unknown>;
  try {
    message = type.decode(envelope.raw) as unknown as Record<string, unknown>;
  } catch (err) {
    throw Object.assign(new BadRequestError(`the ${envelope.kind} in the body could not be decoded as protobuf: ${(err as Error).message}`), { cause: err });
  }
  const json = messageToJson(type, message);
  return { apiVersion: envelope.apiVersion, kind: envelope.kind, ...json, metadata: (json.metadata as KubeObject['metadata'] | undefined) ?? {} };
}
