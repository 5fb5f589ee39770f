// coordination.k8s.io/v1 Lease.
import { describe, int32, obj, str, time } from './builders.js';
import { defineKind, SPEC_DESCRIPTION } from './meta.js';
import type { KindSchema } from './schema.js';

export const LEASE_SCHEMA: KindSchema = defineKind({
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  pkg: 'coordination.v1',
  description: 'Lease defines a lease concept.',
  fields: {
    spec: describe(
      obj(
        {
          acquireTime: time('acquireTime is a time when the current lease was acquired.'),
          holderIdentity: str('holderIdentity contains the identity of the holder of a current lease.'),
          leaseDurationSeconds: int32(
            'leaseDurationSeconds is a duration that candidates for a lease need to wait to force acquire it. This is measured against the time of last observed renewTime.',
          ),
          leaseTransitions: int32('leaseTransitions is the number of transitions of a lease between holders.'),
          preferredHolder: str('PreferredHolder signals to a lease holder that the lease has a more optimal holder and should be given up.'),
          renewTime: time('renewTime is a time when the current holder of a lease has last updated the lease.'),
          strategy: str('Strategy indicates the strategy for picking the leader for coordinated leader election.'),
        },
        { description: 'LeaseSpec is a specification of a Lease.', definitionName: 'io.k8s.api.coordination.v1.LeaseSpec' },
      ),
      `spec contains the specification of the Lease. ${SPEC_DESCRIPTION}`,
    ),
  },
});
