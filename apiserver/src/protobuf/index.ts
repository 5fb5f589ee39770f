// Protobuf request bodies (application/vnd.kubernetes.protobuf) decoded to JSON objects.
export {
  decodeProtobufObject,
  decodeEnvelope,
  isProtobufContentType,
  supportedProtobufKinds,
  PROTOBUF_CONTENT_TYPE,
  PROTOBUF_MAGIC,
  type ProtobufEnvelope,
} from './decode.js';
export { protoRoot, messageTypeFor, KIND_MESSAGES } from './registry.js';
export { messageToJson } from './to-json.js';
