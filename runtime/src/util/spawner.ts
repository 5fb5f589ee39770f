// Starts helper programs (mount, ip, conmon, runc) from a small long-lived
// Perl process instead of from Node. libuv spawns by fork(), whose cost grows
// with the parent's memory: ~4 ms at 50 MB and ~47 ms at 450 MB measured on a
// loaded 2-core VM, blocking the event loop each time, and the runtime may
// live inside the all-in-one `wharf server`. perl-base is Essential on Debian,
// so the helper is always there; without it, callers fall back to spawning
// directly. Requests and replies are single lines with hex-encoded fields, so
// no byte of an argument is ever interpreted.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';

const HELPER = String.raw`
use strict; use warnings;
use POSIX qw(:sys_wait_h setsid _exit dup2);
use IO::Select;
use Fcntl qw(F_GETFL F_SETFL O_NONBLOCK);
$SIG{PIPE} = 'IGNORE';
pipe(my $sigr, my $sigw) or die "pipe: $!";
for my $h ($sigr, $sigw) { my $f = fcntl($h, F_GETFL, 0); fcntl($h, F_SETFL, $f | O_NONBLOCK); }
$SIG{CHLD} = sub { syswrite($sigw, "x"); };
my $sel = IO::Select->new(\*STDIN, $sigr);
my (%jobs, %byfh);
my $in = '';
sub hx { return unpack('H*', $_[0]); }
sub reply { my $line = join(' ', @_) . "\n"; my $off = 0; while ($off < length $line) { my $n = syswrite(STDOUT, $line, length($line) - $off, $off); if (!defined $n) { next if $!{EINTR} || $!{EAGAIN}; exit 0; } $off += $n; } }
sub finish {
  my ($job) = @_;
  return unless defined $job->{status} && !$job->{open};
  my $st = $job->{status};
  my ($code, $sig) = WIFEXITED($st) ? (WEXITSTATUS($st), 0) : (-1, WIFSIGNALED($st) ? WTERMSIG($st) : 0);
  reply('RES', $job->{id}, $code, $sig, hx($job->{out}) || '-', hx($job->{err}) || '-');
  delete $jobs{$job->{pid}};
}
sub start {
  my ($id, $flags, $input, @argv) = @_;
  my $sync = index($flags, 's') >= 0;
  my ($or, $ow, $er, $ew, $ir, $iw, $sr, $sw);
  unless ($sync) { pipe($or, $ow) or return reply('ERR', $id, hx("pipe: $!")); pipe($er, $ew) or return reply('ERR', $id, hx("pipe: $!")); }
  if (length $input) { pipe($ir, $iw) or return reply('ERR', $id, hx("pipe: $!")); }
  if ($sync) { pipe($sr, $sw) or return reply('ERR', $id, hx("pipe: $!")); }
  my $pid = fork();
  return reply('ERR', $id, hx("fork: $!")) unless defined $pid;
  if ($pid == 0) {
    $SIG{CHLD} = 'DEFAULT'; $SIG{PIPE} = 'DEFAULT';
    open(my $null, '+<', '/dev/null');
    dup2(length $input ? fileno($ir) : fileno($null), 0);
    dup2($sync ? fileno($null) : fileno($ow), 1);
    dup2($sync ? fileno($null) : fileno($ew), 2);
    if ($sync) { dup2(fileno($sw), 3); $ENV{_OCI_SYNCPIPE} = '3'; setsid(); }
    { no warnings 'exec'; exec { $argv[0] } @argv; }
    syswrite(STDERR, "exec $argv[0]: $!\n");
    _exit(127);
  }
  my $job = { id => $id, pid => $pid, out => '', err => '', open => 0 };
  $jobs{$pid} = $job;
  unless ($sync) {
    close $ow; close $ew;
    for my $pair ([$or, 'out'], [$er, 'err']) { $sel->add($pair->[0]); $byfh{fileno $pair->[0]} = [$job, $pair->[1], $pair->[0]]; $job->{open}++; }
  } else {
    close $sw;
    $sel->add($sr); $byfh{fileno $sr} = [$job, 'sync', $sr];
  }
  if (length $input) { close $ir; my $off = 0; while ($off < length $input) { my $n = syswrite($iw, $input, length($input) - $off, $off); last unless $n; $off += $n; } close $iw; }
}
while (1) {
  my @ready = $sel->can_read();
  for my $h (@ready) {
    if ($h == $sigr) {
      my $drain; while (sysread($sigr, $drain, 512)) {}
      while ((my $pid = waitpid(-1, WNOHANG)) > 0) { my $job = $jobs{$pid} or next; $job->{status} = $?; finish($job); }
    } elsif (fileno($h) == fileno(STDIN)) {
      my $n = sysread(STDIN, $in, 65536, length $in);
      next if !defined $n && $!{EINTR};
      exit 0 unless $n;
      while ((my $nl = index($in, "\n")) >= 0) {
        my $line = substr($in, 0, $nl + 1, '');
        chomp $line;
        my ($id, $flags, $input, @argv) = map { $_ eq '-' ? '' : pack('H*', $_) } split / /, $line;
        start($id, $flags, $input, @argv);
      }
    } else {
      my $entry = $byfh{fileno $h} or next;
      my ($job, $kind, $fh) = @$entry;
      my $buf;
      my $n = sysread($fh, $buf, 65536);
      next if !defined $n && $!{EINTR};
      if ($n) {
        if ($kind eq 'sync') { reply('SYNC', $job->{id}, hx($buf)); } else { $job->{$kind} .= $buf; }
        next;
      }
      $sel->remove($fh); delete $byfh{fileno $fh}; close $fh;
      if ($kind eq 'sync') { reply('SYNCEOF', $job->{id}); } else { $job->{open}--; finish($job); }
    }
  }
}
`;

export interface SpawnResult {
  stdout: Buffer;
  stderr: Buffer;
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Pending {
  resolve: (r: SpawnResult) => void;
  reject: (err: Error) => void;
  sync?: EventEmitter;
}

const hex = (s: string | Buffer) => (s.length === 0 ? '-' : Buffer.from(s).toString('hex'));
const unhex = (s: string | undefined) => (!s || s === '-' ? Buffer.alloc(0) : Buffer.from(s, 'hex'));

function signalName(n: number): NodeJS.Signals | null {
  if (n === 0) return null;
  const entry = Object.entries(constants.signals).find(([, v]) => v === n);
  return (entry?.[0] as NodeJS.Signals | undefined) ?? 'SIGKILL';
}

export class Spawner {
  private child: ChildProcess | undefined;
  private readonly pending = new Map<string, Pending>();
  private next = 0;
  private buffered = '';

  static available(): boolean {
    return process.env.WHARF_RUNTIME_SPAWNER !== 'direct' && existsSync('/usr/bin/perl');
  }

  private ensure(): ChildProcess {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) return this.child;
    const child = spawn('/usr/bin/perl', ['-e', HELPER], { stdio: ['pipe', 'pipe', 'inherit'] });
    child.stdout?.setEncoding('latin1');
    child.stdout?.on('data', (chunk: string) => this.onData(chunk));
    child.stdin?.on('error', () => undefined);
    child.on('exit', () => {
      if (this.child === child) this.child = undefined;
      const err = new Error('spawn helper exited');
      for (const p of this.pending.values()) {
        p.reject(err);
        p.sync?.emit('close');
      }
      this.pending.clear();
    });
    this.child = child;
    this.unrefIfIdle();
    return child;
  }

  /** The helper must not keep an otherwise finished process alive. */
  private unrefIfIdle(): void {
    const child = this.child;
    if (!child) return;
    const sockets = [child.stdin, child.stdout] as unknown as Array<{ ref?: () => void; unref?: () => void } | null>;
    if (this.pending.size === 0) {
      child.unref();
      for (const s of sockets) s?.unref?.();
    } else {
      child.ref();
      for (const s of sockets) s?.ref?.();
    }
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    let nl: number;
    while ((nl = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      const [kind, id, a, b, c, d] = line.split(' ');
      const p = id ? this.pending.get(id) : undefined;
      if (!p || !id) continue;
      if (kind === 'RES') {
        const code = Number(a);
        p.resolve({ stdout: unhex(c), stderr: unhex(d), code: code < 0 ? null : code, signal: signalName(Number(b)) });
        if (!p.sync) this.pending.delete(id);
      } else if (kind === 'ERR') {
        p.reject(new Error(unhex(a).toString()));
        this.pending.delete(id);
      } else if (kind === 'SYNC') {
        p.sync?.emit('data', unhex(a));
      } else if (kind === 'SYNCEOF') {
        p.sync?.emit('close');
        this.pending.delete(id);
      }
    }
    this.unrefIfIdle();
  }

  private request(file: string, args: string[], flags: string, input: string | Buffer, sync?: EventEmitter): Promise<SpawnResult> {
    const child = this.ensure();
    const id = String(++this.next);
    const line = [id, flags, input, file, ...args].map(hex).join(' ');
    return new Promise<SpawnResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(sync ? { sync } : {}) });
      this.unrefIfIdle();
      child.stdin?.write(`${line}\n`);
    }).finally(() => this.unrefIfIdle());
  }

  run(file: string, args: string[], input: string | Buffer = ''): Promise<SpawnResult> {
    return this.request(file, args, 'o', input);
  }

  /**
   * Runs `file` in its own session with a pipe on fd 3 named by
   * _OCI_SYNCPIPE; `sync` emits what the program writes there, then 'close'.
   */
  runWithSyncPipe(file: string, args: string[]): { exited: Promise<SpawnResult>; sync: EventEmitter } {
    const sync = new EventEmitter();
    return { exited: this.request(file, args, 's', '', sync), sync };
  }

  stop(): void {
    this.child?.stdin?.end();
    this.child = undefined;
  }
}

/** One helper per process, started on first use. */
let shared: Spawner | undefined;
export function sharedSpawner(): Spawner | undefined {
  if (!Spawner.available()) return undefined;
  shared ??= new Spawner();
  return shared;
}
