// Runs inside fresh network, mount and PID namespaces (started by
// node-cluster.ts under `unshare`). It brings up loopback, relays
// 127.0.0.1:<apiserver port> to the apiserver's unix-socket bridge outside, and
// starts, signals and runs processes on the test's behalf, speaking JSON lines
// on stdin/stdout. As PID 1 of the namespace, its exit kills every process in
// it — containers included — so a test can never leak them.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import net from 'node:net';
import readline from 'node:readline';

const [, , apiPort, apiSocket] = process.argv;
const lo = spawnSync('ip', ['link', 'set', 'lo', 'up']);
if (lo.status !== 0) {
  process.stderr.write(`ip link set lo up failed: ${lo.stderr}\n`);
  process.exit(1);
}

const relay = net.createServer((conn) => {
  const up = net.connect(apiSocket);
  conn.pipe(up);
  up.pipe(conn);
  const end = () => { conn.destroy(); up.destroy(); };
  conn.on('error', end);
  up.on('error', end);
  conn.on('close', end);
  up.on('close', end);
});

const children = new Map();
// The supervisor holds the namespace alive: one failed request must not end it.
process.on('uncaughtException', (err) => process.stderr.write(`supervisor: ${err.stack ?? err}\n`));
const send = (msg) => process.stdout.write(`${JSON.stringify(msg)}\n`);

function handle(msg) {
  const { id, op } = msg;
  if (op === 'spawn') {
    const log = createWriteStream(msg.logFile, { flags: 'a' });
    const child = spawn(msg.cmd[0], msg.cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(msg.env ?? {}) } });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    children.set(msg.name, child);
    child.on('exit', (code, signal) => {
      if (children.get(msg.name) === child) children.delete(msg.name);
      send({ event: 'exit', name: msg.name, code, signal });
    });
    send({ id, ok: true, pid: child.pid });
  } else if (op === 'signal') {
    const child = children.get(msg.name);
    if (!child) return send({ id, ok: false, error: `${msg.name} is not running` });
    child.once('exit', (code, signal) => send({ id, ok: true, code, signal }));
    child.kill(msg.signal);
  } else if (op === 'run') {
    const child = spawn(msg.cmd[0], msg.cmd.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', (err) => send({ id, ok: true, code: -1, stdout, stderr: String(err) }));
    child.on('close', (code) => send({ id, ok: true, code, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(msg.input ?? '');
  } else {
    send({ id, ok: false, error: `unknown op ${op}` });
  }
}

relay.listen(Number(apiPort), '127.0.0.1', () => {
  send({ event: 'ready' });
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    try {
      handle(JSON.parse(line));
    } catch (err) {
      send({ ok: false, error: String(err) });
    }
  });
  // The test went away: take the whole namespace down with us.
  rl.on('close', () => process.exit(0));
});
