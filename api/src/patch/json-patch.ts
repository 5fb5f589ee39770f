// JSON patch (RFC 6902) with JSON pointers (RFC 6901). Error classes follow
// the Kubernetes apiserver: a body that is not a list of operations is a 400,
// an operation that cannot be applied (failed `test`, missing path, unknown
// op) is a 422 with the apiserver's generic message and the detail as a cause.
import { ApiError, BadRequestError, TooLargeError } from '../errors.js';
import { clone, deepEqual, isObject } from './json-value.js';

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

/** The apiserver refuses longer patches (maxJSONPatchOperations). */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/** A JSON patch operation that could not be applied to the document. */
export class JsonPatchError extends ApiError {
  override name = 'JsonPatchError';
  constructor(
    readonly detail: string,
    readonly path: string,
  ) {
    super(
      422,
      'Invalid',
      'the server rejected our request due to an error in our request',
      { causes: [{ reason: 'FieldValueInvalid', message: detail, field: path }] },
      { cause: new Error(detail) },
    );
  }
}

/** Parses a JSON pointer into unescaped reference tokens ("" is the whole document). */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`JSON pointer ${JSON.stringify(pointer)} must be empty or start with "/"`, pointer);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Applies `ops` to a copy of `doc`. `ops` is the decoded request body. */
export function applyJsonPatch<T = unknown>(doc: unknown, ops: unknown): T {
  if (!Array.isArray(ops)) throw new BadRequestError('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new TooLargeError(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
  }
  let result = clone(doc);
  for (const raw of ops) result = applyOperation(result, raw);
  return result as T;
}

function applyOperation(doc: unknown, raw: unknown): unknown {
  if (!isObject(raw)) throw new JsonPatchError(`operation ${JSON.stringify(raw)} is not an object`, '');
  const op = raw.op;
  const path = raw.path;
  if (typeof path !== 'string') throw new JsonPatchError(`operation ${String(op)} is missing the "path" field`, '');
  switch (op) {
    case 'add':
      if (!Object.hasOwn(raw, 'value')) throw new JsonPatchError('add operation is missing the "value" field', path);
      return add(doc, path, clone(raw.value));
    case 'remove':
      return remove(doc, path).doc;
    case 'replace': {
      if (!Object.hasOwn(raw, 'value')) throw new JsonPatchError('replace operation is missing the "value" field', path);
      const tokens = parseJsonPointer(path);
      if (tokens.length === 0) return clone(raw.value);
      get(doc, path, 'replace');
      return set(doc, tokens, clone(raw.value), 'replace', path);
    }
    case 'move': {
      const from = fromOf(raw, 'move');
      if (path !== from && path.startsWith(`${from}/`)) {
        throw new JsonPatchError(`move operation cannot move ${from} into its own child ${path}`, path);
      }
      const removed = remove(doc, from);
      return add(removed.doc, path, removed.value);
    }
    case 'copy': {
      const from = fromOf(raw, 'copy');
      return add(doc, path, clone(get(doc, from, 'copy')));
    }
    case 'test': {
      if (!Object.hasOwn(raw, 'value')) throw new JsonPatchError('test operation is missing the "value" field', path);
      const actual = get(doc, path, 'test');
      if (!deepEqual(actual, raw.value)) throw new JsonPatchError(`testing value ${path} failed: test failed`, path);
      return doc;
    }
    default:
      throw new JsonPatchError(`Unexpected kind: ${String(op)}`, path);
  }
}

function fromOf(raw: Record<string, unknown>, op: string): string {
  if (typeof raw.from !== 'string') throw new JsonPatchError(`${op} operation is missing the "from" field`, String(raw.path));
  return raw.from;
}

/** Array index token: a decimal without leading zeros. */
function arrayIndex(token: string, length: number, allowEnd: boolean, op: string, path: string): number {
  if (allowEnd && token === '-') return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new JsonPatchError(`${op} operation does not apply: invalid array index ${JSON.stringify(token)} in ${path}`, path);
  const i = Number(token);
  if (i > length || (!allowEnd && i === length)) throw new JsonPatchError(`${op} operation does not apply: array index ${i} out of bounds in ${path}`, path);
  return i;
}

function get(doc: unknown, path: string, op: string, tokens = parseJsonPointer(path)): unknown {
  let cur = doc;
  for (const token of tokens) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(token, cur.length, false, op, path)];
    else if (isObject(cur) && Object.hasOwn(cur, token)) cur = cur[token];
    else throw new JsonPatchError(`${op} operation does not apply: doc is missing path: ${path}`, path);
  }
  return cur;
}

/** The container holding the last token of `tokens`. */
function parentOf(doc: unknown, tokens: string[], op: string, path: string): unknown {
  return get(doc, path, op, tokens.slice(0, -1));
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const tokens = parseJsonPointer(path);
  if (tokens.length === 0) return value;
  const parent = parentOf(doc, tokens, 'add', path);
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(last, parent.length, true, 'add', path), 0, value);
  } else if (isObject(parent)) {
    parent[last] = value;
  } else {
    throw new JsonPatchError(`add operation does not apply: doc is missing path: ${path}`, path);
  }
  return doc;
}

function set(doc: unknown, tokens: string[], value: unknown, op: string, path: string): unknown {
  const parent = parentOf(doc, tokens, op, path);
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) parent[arrayIndex(last, parent.length, false, op, path)] = value;
  else if (isObject(parent)) parent[last] = value;
  return doc;
}

function remove(doc: unknown, path: string): { doc: unknown; value: unknown } {
  const tokens = parseJsonPointer(path);
  if (tokens.length === 0) return { doc: null, value: doc };
  const parent = parentOf(doc, tokens, 'remove', path);
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) {
    const [value] = parent.splice(arrayIndex(last, parent.length, false, 'remove', path), 1);
    return { doc, value };
  }
  if (isObject(parent) && Object.hasOwn(parent, last)) {
    const value = parent[last];
    delete parent[last];
    return { doc, value };
  }
  throw new JsonPatchError(`remove operation does not apply: doc is missing path: ${path}`, path);
}
