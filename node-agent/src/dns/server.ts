// The node's DNS server (the CoreDNS role), UDP and TCP on one address:
// cluster names from the Service and EndpointSlice caches, everything else
// forwarded to an upstream when one is configured, else NXDOMAIN.
import dgram from 'node:dgram';
import net from 'node:net';
import type { EndpointSlice, Logger, Service } from '@wharf/api';
import type { SharedInformer } from '@wharf/client';
import { SERVICE_NAME_LABEL } from '../proxy/proxier.js';
import { buildResponse, parseQuery, RCODE_FORMERR, RCODE_NOTIMP, RCODE_NXDOMAIN, RCODE_OK, RCODE_SERVFAIL } from './message.js';
import { resolveClusterName } from './records.js';

export interface DnsServerOptions {
  address: string;
  port: number;
  domain: string;
  services: SharedInformer<Service>;
  slices: SharedInformer<EndpointSlice>;
  /** host:port of an upstream resolver; absent → NXDOMAIN outside the cluster domain. */
  upstream?: string | undefined;
  log: Logger;
}

export interface DnsServer {
  queries: number;
  close(): Promise<void>;
}

export async function startDnsServer(o: DnsServerOptions): Promise<DnsServer> {
  const state = { queries: 0 };
  const svc = (ns: string, name: string) => o.services.store.getByName(ns, name);
  const slices = (ns: string, name: string) => o.slices.store.list().filter((s) => s.metadata.namespace === ns && s.metadata.labels?.[SERVICE_NAME_LABEL] === name);

  const answer = async (msg: Buffer): Promise<Buffer | undefined> => {
    state.queries++;
    let q;
    try {
      q = parseQuery(msg);
    } catch {
      if (msg.length < 12) return undefined;
      return buildResponse({ id: msg.readUInt16BE(0), flags: 0, question: undefined, questionBytes: Buffer.alloc(0) }, RCODE_FORMERR, []);
    }
    if (!q.question || (q.flags & 0x7800) !== 0) return buildResponse(q, RCODE_NOTIMP, []);
    const r = resolveClusterName(q.question.name, q.question.type, o.domain, svc, slices);
    if (r.answers !== undefined) return buildResponse(q, r.nxdomain ? RCODE_NXDOMAIN : RCODE_OK, r.answers);
    if (!o.upstream) return buildResponse(q, RCODE_NXDOMAIN, [], false);
    try {
      return await forward(msg, o.upstream);
    } catch {
      return buildResponse(q, RCODE_SERVFAIL, [], false);
    }
  };

  const udp = dgram.createSocket('udp4');
  udp.on('message', (msg, rinfo) => {
    void answer(msg).then((res) => {
      if (res) udp.send(res, rinfo.port, rinfo.address);
    });
  });
  udp.on('error', (err) => o.log.warn('dns udp error', { err }));
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(o.port, o.address, () => resolve());
  });

  const tcp = net.createServer((sock) => {
    let buf = Buffer.alloc(0);
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const len = buf.readUInt16BE(0);
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        void answer(msg).then((res) => {
          if (!res || sock.destroyed) return;
          const head = Buffer.alloc(2);
          head.writeUInt16BE(res.length, 0);
          sock.write(Buffer.concat([head, res]));
        });
      }
    });
    sock.on('error', () => sock.destroy());
    sock.setTimeout(10_000, () => sock.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(o.port, o.address, () => resolve());
  });
  o.log.info('dns listening', { address: o.address, port: o.port, domain: o.domain });

  return {
    get queries() {
      return state.queries;
    },
    async close() {
      udp.close();
      await new Promise<void>((r) => tcp.close(() => r()));
    },
  };
}

function forward(msg: Buffer, upstream: string): Promise<Buffer> {
  const i = upstream.lastIndexOf(':');
  const host = i > 0 ? upstream.slice(0, i) : upstream;
  const port = i > 0 ? Number(upstream.slice(i + 1)) : 53;
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      sock.close();
      reject(new Error('upstream timeout'));
    }, 2000);
    sock.once('message', (res) => {
      clearTimeout(timer);
      sock.close();
      resolve(res);
    });
    sock.once('error', (err) => {
      clearTimeout(timer);
      sock.close();
      reject(err);
    });
    sock.send(msg, port, host);
  });
}
