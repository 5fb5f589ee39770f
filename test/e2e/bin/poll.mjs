// Runs inside the cluster's network namespace (under nsenter): GETs a URL every
// N ms and prints one JSON line per request — ok or the failure — until stdin
// closes. One connection per request, as a browser hitting a NodePort would.
import http from 'node:http';

const [, , url, intervalArg = '100'] = process.argv;
const interval = Number(intervalArg);
let stopping = false;
process.stdin.on('end', () => (stopping = true)).resume();

function get() {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        let json;
        try {
          json = JSON.parse(body);
        } catch {
          // Not JSON: reported below as a failure.
        }
        const ok = res.statusCode === 200 && json !== undefined;
        resolve(ok ? { ok, status: res.statusCode, version: json.api?.version, visits: json.api?.visits } : { ok, status: res.statusCode, error: body.slice(0, 300) });
      });
      res.on('error', (err) => resolve({ ok: false, error: String(err) }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out after 5 s')));
    req.on('error', (err) => resolve({ ok: false, error: String(err) }));
  });
}

while (!stopping) {
  const started = Date.now();
  process.stdout.write(`${JSON.stringify({ ...(await get()), at: started })}\n`);
  await new Promise((r) => setTimeout(r, Math.max(0, interval - (Date.now() - started))));
}
