import { describe, expect, it } from 'vitest';
import { createLogger, type Event } from '@wharf/api';
import { FakeClient } from './fake-client.js';
import { ApiEventRecorder } from './event-recorder.js';
import { R } from './resources.js';

describe('ApiEventRecorder', () => {
  it('creates an Event once and counts repeats on it', async () => {
    const client = new FakeClient();
    const rec = new ApiEventRecorder(client, 'replicaset-controller', createLogger('test'));
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'ns', uid: 'u1' } };
    rec.event(rs, 'Warning', 'FailedCreate', 'quota exceeded');
    rec.event(rs, 'Warning', 'FailedCreate', 'quota exceeded');
    rec.event(rs, 'Warning', 'FailedCreate', 'quota exceeded');
    rec.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-1');
    await rec.flush();
    expect(client.summary().map((s) => s.replace(/web\.[0-9a-f]+/, 'web.X'))).toEqual(['create events ns', 'create events ns', 'patch events ns/web.X', 'patch events ns/web.X']);
    const events = client.stored(R.events) as Event[];
    const failed = events.find((e) => e.reason === 'FailedCreate')!;
    expect(failed.count).toBe(3);
    expect(failed.involvedObject).toMatchObject({ kind: 'ReplicaSet', name: 'web', namespace: 'ns', uid: 'u1', apiVersion: 'apps/v1' });
    expect(failed.source).toEqual({ component: 'replicaset-controller' });
    expect(events.find((e) => e.reason === 'SuccessfulCreate')!.count).toBe(1);
  });
});
