import { describe, expect, it } from 'vitest';
import http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundError, GoneError } from '@wharf/api';
import { loadKubeconfig, parseKubeconfig } from './kubeconfig.js';
import { RestClient } from './rest-client.js';
import { R } from './resources.js';

describe('kubeconfig', () => {
  it('resolves the current context, relative file paths and the namespace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kc-'));
    writeFileSync(join(dir, 'ca.crt'), 'CA');
    const text = `
apiVersion: v1
kind: Config
current-context: c
clusters:
- name: cl
  cluster: { server: "https://127.0.0.1:6443/", certificate-authority: ca.crt }
users:
- name: u
  user: { token: abc, client-key-data: ${Buffer.from('KEY').toString('base64')} }
contexts:
- name: c
  context: { cluster: cl, user: u, namespace: team }
`;
    writeFileSync(join(dir, 'config'), text);
    const cfg = loadKubeconfig({ kubeconfig: join(dir, 'config') });
    expect(cfg.server).toBe('https://127.0.0.1:6443');
    expect(cfg.ca?.toString()).toBe('CA');
    expect(cfg.key?.toString()).toBe('KEY');
    expect(cfg.token).toBe('abc');
    expect(cfg.namespace).toBe('team');
    expect(loadKubeconfig({ env: { KUBECONFIG: `${join(dir, 'config')}:/nope` } }).token).toBe('abc');
    expect(() => parseKubeconfig('current-context: x\n', dir)).toThrow(/context "x" not found/);
  });
});

describe('RestClient', () => {
  it('builds Kubernetes URLs, sends the token, decodes Status errors and streams watches', async () => {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''} ${req.headers['content-type'] ?? ''}`);
      if (req.url?.includes('watch=true')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write(JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '5' } } }) + '\n{"type":"BOOKM');
        res.write('ARK","object":{"metadata":{"resourceVersion":"6"}}}\n');
        res.end(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' } }) + '\n');
        return;
      }
      if (req.url?.endsWith('/missing')) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound', message: 'pods "missing" not found', details: { name: 'missing', kind: 'pods' } }));
        return;
      }
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ metadata: { name: 'x' } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const client = new RestClient({ ...parseKubeconfig(`current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nclusters: [{name: k, cluster: {server: "http://127.0.0.1:${port}"}}]\nusers: [{name: u, user: {token: t0k}}]\n`, '/') });
    try {
      await client.get(R.deployments, 'ns', 'web');
      await client.patch(R.replicasets, 'ns', 'rs', 'merge', { spec: { replicas: 2 } }, { subresource: 'scale' });
      await client.create(R.pods, 'ns', { metadata: { name: 'p' }, target: { name: 'n1' } }, { subresource: 'binding' });
      await client.list(R.nodes, { labelSelector: 'a=b' });
      await expect(client.get(R.pods, 'ns', 'missing')).rejects.toBeInstanceOf(NotFoundError);
      const events: string[] = [];
      const stream = client.watch(R.pods, { namespace: 'ns', resourceVersion: '4', allowWatchBookmarks: true });
      await expect(
        (async () => {
          for await (const e of stream) events.push(`${e.type} ${e.object.metadata.resourceVersion}`);
        })(),
      ).rejects.toBeInstanceOf(GoneError);
      expect(events).toEqual(['ADDED 5', 'BOOKMARK 6']);
      expect(seen).toEqual([
        'GET /apis/apps/v1/namespaces/ns/deployments/web Bearer t0k ',
        'PATCH /apis/apps/v1/namespaces/ns/replicasets/rs/scale Bearer t0k application/merge-patch+json',
        'POST /api/v1/namespaces/ns/pods/p/binding Bearer t0k application/json',
        'GET /api/v1/nodes?labelSelector=a%3Db Bearer t0k ',
        'GET /api/v1/namespaces/ns/pods/missing Bearer t0k ',
        'GET /api/v1/namespaces/ns/pods?watch=true&resourceVersion=4&allowWatchBookmarks=true Bearer t0k ',
      ]);
    } finally {
      client.close();
      server.close();
    }
  });
});
