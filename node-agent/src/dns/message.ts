// Just enough of the DNS wire format (RFC 1035) for cluster DNS: parse a
// query's header and first question; build an answer with A and SRV records.
export const TYPE_A = 1;
export const TYPE_SRV = 33;
export const TYPE_AAAA = 28;
export const TYPE_ANY = 255;
export const CLASS_IN = 1;

export const RCODE_OK = 0;
export const RCODE_FORMERR = 1;
export const RCODE_SERVFAIL = 2;
export const RCODE_NXDOMAIN = 3;
export const RCODE_NOTIMP = 4;

export interface Question {
  name: string;
  type: number;
  class: number;
}

export interface Query {
  id: number;
  flags: number;
  question: Question | undefined;
  /** Bytes of the question section, echoed in the answer. */
  questionBytes: Buffer;
}

export type Answer =
  | { name: string; type: typeof TYPE_A; ttl: number; ip: string }
  | { name: string; type: typeof TYPE_SRV; ttl: number; priority: number; weight: number; port: number; target: string };

export class DnsFormatError extends Error {
  override readonly name = 'DnsFormatError';
}

function readName(buf: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let pos = offset;
  let end = -1;
  for (let hops = 0; hops < 64; hops++) {
    if (pos >= buf.length) throw new DnsFormatError('name runs past the message');
    const len = buf[pos]!;
    if (len === 0) {
      if (end < 0) end = pos + 1;
      return { name: labels.join('.'), end };
    }
    if ((len & 0xc0) === 0xc0) {
      if (end < 0) end = pos + 2;
      pos = ((len & 0x3f) << 8) | buf[pos + 1]!;
      continue;
    }
    labels.push(buf.toString('latin1', pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  throw new DnsFormatError('too many labels or a compression loop');
}

export function parseQuery(buf: Buffer): Query {
  if (buf.length < 12) throw new DnsFormatError('message shorter than a header');
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  const qd = buf.readUInt16BE(4);
  if (qd === 0) return { id, flags, question: undefined, questionBytes: Buffer.alloc(0) };
  const { name, end } = readName(buf, 12);
  if (end + 4 > buf.length) throw new DnsFormatError('question truncated');
  return {
    id,
    flags,
    question: { name: name.toLowerCase(), type: buf.readUInt16BE(end), class: buf.readUInt16BE(end + 2) },
    questionBytes: buf.subarray(12, end + 4),
  };
}

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'latin1')])), Buffer.from([0])]);
}

function record(name: string, type: number, ttl: number, rdata: Buffer): Buffer {
  const head = Buffer.alloc(10);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(CLASS_IN, 2);
  head.writeUInt32BE(ttl, 4);
  head.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([encodeName(name), head, rdata]);
}

/** A response to `q`: authoritative, recursion available, with the given rcode and answers. */
export function buildResponse(q: Query, rcode: number, answers: Answer[], authoritative = true): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(q.id, 0);
  const rd = q.flags & 0x0100;
  header.writeUInt16BE(0x8000 | (authoritative ? 0x0400 : 0) | rd | 0x0080 | (rcode & 0xf), 2);
  header.writeUInt16BE(q.question ? 1 : 0, 4);
  header.writeUInt16BE(answers.length, 6);
  const body = answers.map((a) => {
    if (a.type === TYPE_A) return record(a.name, TYPE_A, a.ttl, Buffer.from(a.ip.split('.').map(Number)));
    const fixed = Buffer.alloc(6);
    fixed.writeUInt16BE(a.priority, 0);
    fixed.writeUInt16BE(a.weight, 2);
    fixed.writeUInt16BE(a.port, 4);
    return record(a.name, TYPE_SRV, a.ttl, Buffer.concat([fixed, encodeName(a.target)]));
  });
  return Buffer.concat([header, q.questionBytes, ...body]);
}

/** For tests and the forwarder: a query for one name. */
export function buildQuery(id: number, name: string, type: number): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2);
  header.writeUInt16BE(1, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(type, 0);
  tail.writeUInt16BE(CLASS_IN, 2);
  return Buffer.concat([header, encodeName(name), tail]);
}

export interface ParsedResponse {
  id: number;
  rcode: number;
  answers: Array<{ name: string; type: number; data: string }>;
}

/** Decodes a response (A and SRV answers) — used by tests. */
export function parseResponse(buf: Buffer): ParsedResponse {
  const id = buf.readUInt16BE(0);
  const rcode = buf.readUInt16BE(2) & 0xf;
  const qd = buf.readUInt16BE(4);
  const an = buf.readUInt16BE(6);
  let pos = 12;
  for (let i = 0; i < qd; i++) pos = readName(buf, pos).end + 4;
  const answers: ParsedResponse['answers'] = [];
  for (let i = 0; i < an; i++) {
    const { name, end } = readName(buf, pos);
    const type = buf.readUInt16BE(end);
    const len = buf.readUInt16BE(end + 8);
    const rdata = end + 10;
    let data = '';
    if (type === TYPE_A) data = [...buf.subarray(rdata, rdata + 4)].join('.');
    else if (type === TYPE_SRV) data = `${buf.readUInt16BE(rdata)} ${buf.readUInt16BE(rdata + 2)} ${buf.readUInt16BE(rdata + 4)} ${readName(buf, rdata + 6).name}`;
    answers.push({ name, type, data });
    pos = rdata + len;
  }
  return { id, rcode, answers };
}
