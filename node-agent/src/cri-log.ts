// Reading the CRI log files conmon writes: one record per line,
// `<RFC3339Nano time> <stdout|stderr> <P|F> <content>`, where P marks a
// partial line continued by the next record. What `kubectl logs` asks for —
// tail, since, timestamps, limitBytes, follow — is applied here.
import { promises as fs } from 'node:fs';

export interface LogLine {
  time: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface LogQuery {
  tailLines?: number | undefined;
  sinceTime?: number | undefined;
  timestamps?: boolean | undefined;
  limitBytes?: number | undefined;
}

/** Parses complete records, joining partial ones; returns the lines and the unparsed remainder. */
export function parseCriLog(data: string, pending: { partial: string } = { partial: '' }): { lines: LogLine[]; rest: string } {
  const lines: LogLine[] = [];
  let start = 0;
  for (;;) {
    const nl = data.indexOf('\n', start);
    if (nl < 0) break;
    const record = data.slice(start, nl);
    start = nl + 1;
    const a = record.indexOf(' ');
    const b = record.indexOf(' ', a + 1);
    const c = record.indexOf(' ', b + 1);
    if (a < 0 || b < 0) continue;
    const time = record.slice(0, a);
    const stream = record.slice(a + 1, b) === 'stderr' ? 'stderr' : 'stdout';
    const tag = c < 0 ? record.slice(b + 1) : record.slice(b + 1, c);
    const content = c < 0 ? '' : record.slice(c + 1);
    if (tag === 'P') {
      pending.partial += content;
      continue;
    }
    lines.push({ time, stream, text: pending.partial + content });
    pending.partial = '';
  }
  return { lines, rest: data.slice(start) };
}

export function formatLine(l: LogLine, timestamps: boolean): string {
  return timestamps ? `${l.time} ${l.text}\n` : `${l.text}\n`;
}

export function selectLines(lines: LogLine[], q: LogQuery): LogLine[] {
  let out = q.sinceTime !== undefined ? lines.filter((l) => Date.parse(l.time) >= q.sinceTime!) : lines;
  if (q.tailLines !== undefined && q.tailLines >= 0) out = q.tailLines === 0 ? [] : out.slice(-q.tailLines);
  return out;
}

/** Follows a growing log file, yielding new lines until `done()` says the writer has finished and the file is drained. */
export async function* followLog(file: string, fromOffset: number, done: () => Promise<boolean>, signal: AbortSignal, pollMs = 200): AsyncGenerator<LogLine> {
  let offset = fromOffset;
  let rest = '';
  const pending = { partial: '' };
  let idleChecks = 0;
  while (!signal.aborted) {
    const handle = await fs.open(file, 'r').catch(() => undefined);
    let grew = false;
    if (handle) {
      try {
        const { size } = await handle.stat();
        if (size > offset) {
          const buf = Buffer.alloc(size - offset);
          await handle.read(buf, 0, buf.length, offset);
          offset = size;
          grew = true;
          const parsed = parseCriLog(rest + buf.toString('utf8'), pending);
          rest = parsed.rest;
          for (const l of parsed.lines) yield l;
        }
      } finally {
        await handle.close();
      }
    }
    if (!grew) {
      // Check for the end only every few idle polls: the status call costs more than a stat.
      if (++idleChecks % 3 === 0 && (await done())) return;
      await new Promise((r) => setTimeout(r, pollMs));
    } else idleChecks = 0;
  }
}
