import { describe, expect, it } from 'vitest';
import { parseRequestInfo } from './request-info.js';

const q = new URLSearchParams();

describe('parseRequestInfo', () => {
  it('parses namespaced resources, subresources and verbs', () => {
    const r = parseRequestInfo('PUT', '/apis/apps/v1/namespaces/shop/deployments/web/scale', q);
    expect(r).toMatchObject({ kind: 'resource', verb: 'update', namespace: 'shop', name: 'web', subresource: 'scale', info: { plural: 'deployments' } });
    expect(parseRequestInfo('GET', '/api/v1/pods', new URLSearchParams('watch=true'))).toMatchObject({ verb: 'watch', namespace: undefined });
    expect(parseRequestInfo('DELETE', '/api/v1/namespaces/a/configmaps', q)).toMatchObject({ verb: 'deletecollection', namespace: 'a' });
  });

  it('treats namespaces/<name>/finalize and /status as subresources of the Namespace', () => {
    expect(parseRequestInfo('PUT', '/api/v1/namespaces/team/finalize', q)).toMatchObject({ kind: 'resource', verb: 'update', name: 'team', subresource: 'finalize', namespace: undefined, info: { plural: 'namespaces' } });
    expect(parseRequestInfo('GET', '/api/v1/namespaces/team/status', q)).toMatchObject({ kind: 'resource', name: 'team', subresource: 'status', info: { plural: 'namespaces' } });
    expect(parseRequestInfo('GET', '/api/v1/namespaces/team', q)).toMatchObject({ kind: 'resource', name: 'team', subresource: undefined, info: { plural: 'namespaces' } });
  });

  it('does not route unknown resources or cluster resources under a namespace', () => {
    expect(parseRequestInfo('GET', '/api/v1/namespaces/a/nodes', q).kind).toBe('groupversion');
    expect(parseRequestInfo('GET', '/apis/apps/v1/widgets', q).kind).toBe('groupversion');
    expect(parseRequestInfo('GET', '/healthz', q).kind).toBe('nonresource');
  });
});
