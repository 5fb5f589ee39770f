import { describe, expect, it } from 'vitest';
import { schemaFor } from '../schema/index.js';
import { compareValues, createdFieldsV1 } from './typed-value.js';

describe('createdFieldsV1', () => {
  it('equals the FieldsV1 of compareValues from nothing', () => {
    const schema = schemaFor('apps', 'Deployment')!.schema;
    const view = {
      metadata: { name: 'web', labels: { app: 'web' }, annotations: {} },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'app', image: 'x', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }], resources: {} },
              { name: 'side', image: 'y', args: ['a', 'b'] },
            ],
            volumes: [{ name: 'v', emptyDir: {} }],
            nodeSelector: { disk: 'ssd' },
          },
        },
      },
    };
    expect(createdFieldsV1(view, schema)).toEqual(compareValues({}, view, schema).changed.toFieldsV1());
  });
});
