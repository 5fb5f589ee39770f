// A watch over HTTP: newline-delimited JSON events read as an async iterator.
// An ERROR event carries a Status and is thrown as the matching ApiError, so a
// reflector can tell "410 Gone, relist" from a broken connection.
import type http from 'node:http';
import { ApiError, type KubeObject, type Status, type WatchEvent } from '@wharf/api';
import { ConnectionError, type HttpTransport } from './http-transport.js';
import { withMessage } from './status-error.js';
import type { WatchStream } from './interface.js';

export class HttpWatchStream<T extends KubeObject> implements WatchStream<T> {
  received = 0;
  private stopped = false;
  private req: http.ClientRequest | undefined;

  constructor(
    private readonly transport: HttpTransport,
    private readonly path: string,
  ) {}

  stop(): void {
    this.stopped = true;
    this.req?.destroy();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    if (this.stopped) return;
    const { req, res } = this.transport.open('GET', this.path, undefined, {}, 0);
    this.req = req;
    let msg: http.IncomingMessage;
    try {
      msg = await res;
    } catch (err) {
      if (this.stopped) return;
      throw err;
    }
    if ((msg.statusCode ?? 0) >= 400) {
      const chunks: Buffer[] = [];
      for await (const c of msg) chunks.push(c as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      let status: Partial<Status> = { message: text };
      try {
        status = JSON.parse(text) as Status;
      } catch {
        // not a Status: keep the text
      }
      throw withMessage(ApiError.fromStatus(status, msg.statusCode), status.message);
    }
    let buf = '';
    try {
      for await (const chunk of msg) {
        buf += (chunk as Buffer).toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          const event = JSON.parse(line) as WatchEvent<T>;
          this.received++;
          if (event.type === 'ERROR') throw withMessage(ApiError.fromStatus(event.object as unknown as Status), (event.object as unknown as Status).message);
          yield event;
          if (this.stopped) return;
        }
      }
    } catch (err) {
      if (this.stopped) return;
      if (err instanceof ApiError) throw err;
      throw new ConnectionError(`watch ${this.path} broke`, { cause: err });
    } finally {
      req.destroy();
    }
  }
}
