// `make up` end to end: scripts/up.sh brings up the all-in-one server and the
// shop inside an isolated network namespace; the frontend answers through its
// NodePort with data that passed through api and store; a rolling update to v2
// drops no request of a client polling throughout; and every command of
// examples/README.md runs, in order, with its outcome checked.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../harness/apiserver.js';
import { startUp, type PollResult, type UpCluster } from './up-cluster.js';
import { WALKTHROUGH, readmeCommands } from './walkthrough.js';

interface ShopPage {
  title: string;
  web: { pod: string };
  api: { version: string; pod: string; greeting: string; visits: number; parity?: string; store: { name: string; pod: string } };
}

let cluster: UpCluster;
let nodeUrl: string;
/** Why the shop cannot run on this build (a missing dependency), if it cannot. */
let missing: string | undefined;

async function page(): Promise<ShopPage> {
  const r = await cluster.sh(`curl -sf --max-time 5 ${nodeUrl}/json`);
  expect(r.code, r.output).toBe(0);
  return JSON.parse(r.output) as ShopPage;
}

async function waitFor(what: string, fn: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('examples/README.md has exactly the commands the walkthrough test runs, in order', () => {
  const readme = readmeCommands(readFileSync(join(REPO, 'examples/README.md'), 'utf8'));
  expect(readme.length).toBeGreaterThan(20);
  expect(WALKTHROUGH.map((s) => s.cmd)).toEqual(readme);
});

describe('make up (scripts/up.sh in an isolated network namespace)', () => {
  beforeAll(async () => {
    cluster = await startUp();
    // The shop needs the node agent's service proxy (ClusterIPs, the NodePort)
    // and cluster DNS. Until the agent programs any nftables rules, up.sh can
    // never see the api Available: say so and skip rather than time out.
    const rules = await cluster.shUntil('nft list ruleset', (o) => o.trim() !== '', 15_000);
    if (rules.output.trim() === '') {
      missing = 'the node agent programs no service proxy yet (nftables ruleset empty in the node netns): ClusterIPs, NodePorts and hence the shop cannot work';
      process.stderr.write(`test/e2e/up.test.ts: ${missing}\n`);
      return;
    }
    await cluster.waitForShop();
    // up.sh prints where the frontend answers: "curl http://<node ip>:30080/json".
    const m = /curl (http:\/\/[\d.]+:30080)\/json/.exec(cluster.output());
    expect(m, cluster.output()).not.toBeNull();
    nodeUrl = m![1]!;
  }, 200_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it('serves the frontend on its NodePort with data from the api and the store', async (ctx) => {
    if (missing) ctx.skip(missing);
    const first = await page();
    expect(first.title).toBe('Wharf shop');
    expect(first.web.pod).toMatch(/^web-/);
    expect(first.api.pod).toMatch(/^api-/);
    expect(first.api.version).toBe('1');
    expect(first.api.greeting).toBe('Hello from the api');
    expect(first.api.store).toMatchObject({ name: 'shop-store' });
    expect(first.api.store.pod).toMatch(/^store-/);
    const second = await page();
    expect(second.api.visits).toBe(first.api.visits + 1);

    const html = await cluster.sh(`curl -sf --max-time 5 ${nodeUrl}/`);
    expect(html.output).toContain('<h1>Wharf shop</h1>');
    expect(html.output).toContain(`visit number <b>${second.api.visits + 1}</b>`);
  });

  it('is harmless to run again: reuses the running server and changes nothing', async (ctx) => {
    if (missing) ctx.skip(missing);
    const env = `WHARF_DATA_DIR=${cluster.dataDir} WHARF_STATE_DIR=${join(cluster.dir, 'run')} WHARF_UP_TIMEOUT=60`;
    const again = await cluster.sh(`${env} ./scripts/up.sh`, 90_000);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('reusing the wharf server');
    expect(again.output).toMatch(/unchanged\s+wharf\.example\/shop-api:2/);
    expect(again.output).not.toContain('configured');
    expect(again.output).toContain('The shop is up');
    expect((await page()).api.version).toBe('1');
  });

  it('rolls the api out to v2 without a failed request from a client polling throughout', async (ctx) => {
    if (missing) ctx.skip(missing);
    const poller = cluster.poll(`${nodeUrl}/json`, 100);
    await waitFor('the poller to get answers', () => poller.results.filter((r) => r.ok).length >= 5, 30_000);
    const apply = await cluster.sh('node bin/wharf apply -f examples/microservices/v2/');
    expect(apply.code, apply.output).toBe(0);
    const status = await cluster.sh('kubectl rollout status deployment/api -n shop --timeout=120s', 130_000);
    expect(status.output).toContain('successfully rolled out');
    // Keep polling a little after the rollout: old pods are still draining.
    const from = poller.results.length;
    await waitFor('answers after the rollout', () => poller.results.length - from >= 30, 30_000);
    const results = await poller.stop();

    const failures = results.filter((r) => !r.ok);
    expect(failures, `${failures.length} of ${results.length} requests failed`).toEqual([] as PollResult[]);
    const versions = results.map((r) => r.version);
    expect(versions).toContain('1');
    // Both versions answer while the rollout runs; only v2 once it is done.
    expect(versions.slice(-20).every((v) => v === '2')).toBe(true);
    // One store throughout: its count only grows.
    const visits = results.map((r) => r.visits!);
    for (let i = 1; i < visits.length; i++) expect(visits[i]).toBeGreaterThan(visits[i - 1]!);
  }, 180_000);

  it('runs every command of examples/README.md in order, each with the outcome it promises', async (ctx) => {
    if (missing) ctx.skip(missing);
    // Lines that set shell state (export, alias, VAR=) run before every later command.
    let prelude = '';
    for (const step of WALKTHROUGH) {
      const cmd = step.cmd.replaceAll('/var/lib/wharf', cluster.dataDir);
      if (step.state) {
        prelude += `${cmd}\n`;
        continue;
      }
      const run = () => cluster.sh(`set -e\n${prelude}${cmd}`, 120_000);
      const started = Date.now();
      let r = await run();
      if (step.until) {
        const deadline = Date.now() + (step.timeoutMs ?? 60_000);
        while (!(r.code === 0 && step.until(r.output)) && Date.now() < deadline) {
          await new Promise((res) => setTimeout(res, 1000));
          r = await run();
        }
      }
      expect(r.code, `${step.cmd}\n${r.output}`).toBe(0);
      await step.check?.(r.output, { cluster, prelude });
      process.stderr.write(`walkthrough ${((Date.now() - started) / 1000).toFixed(1)} s: ${step.cmd}\n`);
    }
  }, 300_000);

  it('stops cleanly on Ctrl-C: the server drains, nothing of the cluster is left running', async (ctx) => {
    if (missing) ctx.skip(missing);
    const code = await cluster.interrupt();
    expect(code, cluster.output()).toBe(130);
    expect(cluster.output()).toContain('==> stopping wharf server');
    const log = readFileSync(join(cluster.dataDir, 'server.log'), 'utf8');
    expect(log).toContain('received SIGTERM, draining');
    expect(log).toContain('node agent stopped');
    expect(log).not.toContain('shutdown failed');
    // The namespace ended with up.sh: no process of this cluster (server, conmon, containers) survives it.
    const survivors = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(cluster.dir);
        } catch {
          return false;
        }
      });
    expect(survivors).toEqual([]);
  });
});
