// The commands of examples/README.md, in the README's order, each with what it
// must show. up.test.ts checks that this list and the README's ```sh blocks are
// the same, so neither can change without the other.
import { expect } from 'vitest';
import type { UpCluster } from './up-cluster.js';

export interface StepContext {
  cluster: UpCluster;
  /** The state lines (export, alias, VAR=) so far, to run before an extra command. */
  prelude: string;
}

export interface Step {
  cmd: string;
  /** Sets shell state for later commands; run as part of each later command. */
  state?: boolean;
  /** Re-run the (side-effect free) command until this holds, for up to timeoutMs. */
  until?: (out: string) => boolean;
  timeoutMs?: number;
  check?: (out: string, ctx: StepContext) => void | Promise<void>;
}

/** Every non-blank, non-comment line of the README's ```sh blocks. */
export function readmeCommands(markdown: string): string[] {
  const out: string[] = [];
  let inSh = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) {
      inSh = !inSh && line.trim() === '```sh';
      continue;
    }
    if (inSh && line.trim() !== '' && !line.trim().startsWith('#')) out.push(line.trim());
  }
  return out;
}

interface Page {
  api: { version: string; visits: number; parity?: string; store: { name: string } };
}
const json = (out: string) => JSON.parse(out) as Page;
const rolledOut = (out: string) => expect(out).toContain('successfully rolled out');
/** Pod rows (NAME READY STATUS RESTARTS AGE) of a `get pods` table. */
const podRows = (out: string) =>
  out
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(/\s+/))
    .map(([name, ready, status, restarts]) => ({ name: name!, ready: ready!, status: status!, restarts: Number(restarts) }));

const hpaReplicas = (out: string) => Number(/^api\s+Deployment\/api\s+.*?\s(\d+)\s+\S+\s*$/m.exec(out)?.[1] ?? 0);

let visitsBeforeKill = 0;

export const WALKTHROUGH: Step[] = [
  // Use the cluster
  { cmd: 'export KUBECONFIG=/var/lib/wharf/kubeconfig', state: true },
  { cmd: 'alias wharf="node $PWD/bin/wharf"', state: true },
  { cmd: 'wharf get nodes', check: (out) => expect(out).toMatch(/\sReady\s/) },
  { cmd: 'kubectl get deployments -n shop', check: (out) => expect(out).toMatch(/^web\s+2\/2\s+2\s+2\s/m) },
  // Apply it and watch it come up
  { cmd: 'wharf apply -f examples/microservices/', check: (out) => expect(out).toMatch(/deployment\.apps\/api /) },
  { cmd: 'wharf rollout status deployment/web -n shop', check: rolledOut },
  {
    cmd: 'wharf get pods -n shop -o wide',
    check: (out) => {
      for (const app of ['web', 'api', 'store']) expect(out).toMatch(new RegExp(`^${app}-\\S+\\s+1/1\\s+Running`, 'm'));
      expect(out).toContain('10.244.');
    },
  },
  {
    cmd: 'wharf get deployments,services,hpa -n shop',
    check: (out) => {
      expect(out).toMatch(/deployment\.apps\/web\s+\d+\/\d+/);
      expect(out).toMatch(/service\/web\s+NodePort\s+[\d.]+\s+\S+\s+80:30080\/TCP/);
      expect(out).toContain('horizontalpodautoscaler.autoscaling/api');
    },
  },
  // Call it
  { cmd: "NODE_IP=$(wharf get nodes -o jsonpath='{.items[0].status.addresses[0].address}')", state: true },
  {
    cmd: 'curl -s http://$NODE_IP:30080/json',
    check: (out) => {
      const p = json(out);
      expect(p.api.store.name).toBe('shop-store');
      expect(p.api.visits).toBeGreaterThan(0);
    },
  },
  { cmd: 'curl -s http://$NODE_IP:30080/', check: (out) => expect(out).toMatch(/visit number <b>\d+<\/b>/) },
  // Look inside
  { cmd: 'wharf logs -n shop deployment/api --tail=3', check: (out) => expect(out).toContain('"service":"api"') },
  { cmd: 'wharf exec -n shop deployment/store -- cat /data/store.json', check: (out) => expect(JSON.parse(out).visits).toBeGreaterThan(0) },
  // Scale
  { cmd: 'wharf scale deployment/web -n shop --replicas=3', check: (out) => expect(out).toContain('deployment.apps/web scaled') },
  { cmd: 'wharf rollout status deployment/web -n shop', check: rolledOut },
  {
    cmd: 'wharf get pods -n shop -l app=web',
    until: (out) => podRows(out).filter((p) => p.ready === '1/1').length === 3 && podRows(out).length === 3,
    check: (out) => expect(podRows(out).filter((p) => p.ready === '1/1' && p.status === 'Running')).toHaveLength(3),
  },
  // Roll out v2, then roll back
  { cmd: 'wharf apply -f examples/microservices/v2/', check: (out) => expect(out).toMatch(/deployment\.apps\/api /) },
  { cmd: 'wharf rollout status deployment/api -n shop', check: rolledOut },
  {
    cmd: 'curl -s http://$NODE_IP:30080/json',
    check: (out) => {
      expect(json(out).api.version).toBe('2');
      expect(['even', 'odd']).toContain(json(out).api.parity);
    },
  },
  { cmd: 'wharf rollout history deployment/api -n shop', check: (out) => expect(out).toMatch(/REVISION\s+CHANGE-CAUSE[\s\S]*\n\d+\s/) },
  { cmd: 'wharf rollout undo deployment/api -n shop', check: (out) => expect(out).toContain('deployment.apps/api rolled back') },
  { cmd: 'wharf rollout status deployment/api -n shop', check: rolledOut },
  {
    cmd: 'curl -s http://$NODE_IP:30080/json',
    // Old pods may answer for a moment while the proxy catches up with the endpoints.
    until: (out) => out.includes('"version":"1"'),
    check: (out) => {
      expect(json(out).api.version).toBe('1');
      expect(json(out).api.parity).toBeUndefined();
    },
  },
  // Put it under load
  {
    cmd: `wharf run load -n shop --image=wharf.example/busybox:1 --image-pull-policy=IfNotPresent --restart=Never -- sh -c 'while true; do wget -q -O /dev/null "http://$API_SERVICE_HOST/api/work?ms=200"; done'`,
    async check(out, { cluster, prelude }) {
      expect(out).toContain('pod/load created');
      // The load pod runs and its calls reach the api (by DNS name, through the ClusterIP).
      const r = await cluster.shUntil(`${prelude}wharf get pod load -n shop -o jsonpath='{.status.phase}'`, (o) => o.trim() === 'Running', 30_000);
      expect(r.output.trim()).toBe('Running');
      // wget is quiet on success and prints "wget: bad address" or the HTTP error otherwise.
      await new Promise((res) => setTimeout(res, 3000));
      const logs = await cluster.sh(`${prelude}wharf logs -n shop load`);
      expect(logs.code, logs.output).toBe(0);
      expect(logs.output).not.toContain('wget:');
    },
  },
  {
    cmd: 'wharf get hpa api -n shop',
    // NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE: the load pushes CPU past 60 % and the replicas up.
    until: (out) => hpaReplicas(out) > 2,
    timeoutMs: 90_000,
    check: (out) => {
      expect(out).toMatch(/^api\s+Deployment\/api\s+(cpu: )?\d+%\/60%\s+2\s+5\s/m);
      expect(hpaReplicas(out)).toBeGreaterThan(2);
    },
  },
  { cmd: 'wharf delete pod load -n shop --now', check: (out) => expect(out).toContain('pod "load" deleted') },
  // Break it and watch it heal
  { cmd: 'wharf delete pod -n shop -l app=web', check: (out) => expect(out.match(/pod "web-[^"]+" deleted/g)).toHaveLength(3) },
  {
    cmd: 'wharf rollout status deployment/web -n shop',
    async check(out, { cluster, prelude }) {
      rolledOut(out);
      const r = await cluster.shUntil(`${prelude}wharf get pods -n shop -l app=web`, (o) => podRows(o).filter((p) => p.ready === '1/1').length === 3, 60_000);
      expect(podRows(r.output).filter((p) => p.ready === '1/1')).toHaveLength(3);
      visitsBeforeKill = json((await cluster.sh(`${prelude}curl -s http://$NODE_IP:30080/json`)).output).api.visits;
    },
  },
  { cmd: 'wharf exec -n shop deployment/store -- kill 1' },
  {
    cmd: 'wharf get pods -n shop -l app=store',
    until: (out) => podRows(out).some((p) => p.restarts >= 1 && p.ready === '1/1'),
    check: (out) => expect(podRows(out)).toEqual([expect.objectContaining({ ready: '1/1', status: 'Running', restarts: 1 })]),
  },
  {
    cmd: 'curl -s http://$NODE_IP:30080/json',
    until: (out) => out.includes('"visits"'),
    // The count survived the container restart: it lives on the pod's emptyDir.
    check: (out) => expect(json(out).api.visits).toBeGreaterThan(visitsBeforeKill),
  },
  // Clean up
  {
    cmd: 'wharf delete namespace shop',
    async check(out, { cluster, prelude }) {
      expect(out).toContain('namespace "shop" deleted');
      const r = await cluster.sh(`${prelude}wharf get namespace shop 2>&1 || true`);
      expect(r.output).toContain('NotFound');
      expect((await cluster.sh(`${prelude}wharf get pods -n shop 2>&1`)).output).toContain('No resources found');
    },
  },
];
