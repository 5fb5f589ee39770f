// apps/v1 Deployment and ReplicaSet.
import { bool, describe, enumOf, int32, int64, intOrString, obj } from './builders.js';
import { conditionSchema, conditionsList, defineKind, labelSelectorSchema, SPEC_DESCRIPTION, STATUS_DESCRIPTION } from './meta.js';
import { podTemplateSpecSchema } from './pod.js';
import type { KindSchema } from './schema.js';

const apps = (name: string) => `io.k8s.api.apps.v1.${name}`;

export const deploymentStrategySchema = obj(
  {
    rollingUpdate: obj(
      {
        maxSurge: intOrString(
          'The maximum number of pods that can be scheduled above the desired number of pods. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). This can not be 0 if MaxUnavailable is 0. Defaults to 25%.',
        ),
        maxUnavailable: intOrString(
          'The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). This can not be 0 if MaxSurge is 0. Defaults to 25%.',
        ),
      },
      { description: 'Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate.', definitionName: apps('RollingUpdateDeployment') },
    ),
    type: enumOf(['Recreate', 'RollingUpdate'], 'Type of deployment. Can be "Recreate" or "RollingUpdate". Default is RollingUpdate.'),
  },
  {
    description: 'The deployment strategy to use to replace existing pods with new ones.',
    patchStrategy: 'retainKeys',
    definitionName: apps('DeploymentStrategy'),
  },
);

const deploymentSpecSchema = obj(
  {
    minReadySeconds: int32(
      'Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)',
    ),
    paused: bool('Indicates that the deployment is paused.'),
    progressDeadlineSeconds: int32(
      'The maximum time in seconds for a deployment to make progress before it is considered to be failed. The deployment controller will continue to process failed deployments and a condition with a ProgressDeadlineExceeded reason will be surfaced in the deployment status. Defaults to 600s.',
    ),
    replicas: int32('Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.'),
    revisionHistoryLimit: int32('The number of old ReplicaSets to retain to allow rollback. This is a pointer to distinguish between explicit zero and not specified. Defaults to 10.'),
    selector: describe(
      labelSelectorSchema,
      "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.",
    ),
    strategy: describe(deploymentStrategySchema, 'The deployment strategy to use to replace existing pods with new ones.'),
    template: describe(podTemplateSpecSchema, 'Template describes the pods that will be created. The only allowed template.spec.restartPolicy value is "Always".'),
  },
  { description: 'DeploymentSpec is the specification of the desired behavior of the Deployment.', required: ['selector', 'template'], definitionName: apps('DeploymentSpec') },
);

const deploymentStatusSchema = obj(
  {
    availableReplicas: int32('Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.'),
    collisionCount: int32('Count of hash collisions for the Deployment. The Deployment controller uses this field as a collision avoidance mechanism when it needs to create the name for the newest ReplicaSet.'),
    conditions: conditionsList(
      conditionSchema(apps('DeploymentCondition'), 'DeploymentCondition describes the state of a deployment at a certain point.', ['lastUpdateTime']),
      "Represents the latest available observations of a deployment's current state.",
    ),
    observedGeneration: int64('The generation observed by the deployment controller.'),
    readyReplicas: int32('Total number of non-terminating pods targeted by this Deployment with a Ready Condition.'),
    replicas: int32('Total number of non-terminating pods targeted by this deployment (their labels match the selector).'),
    terminatingReplicas: int32('Total number of terminating pods targeted by this deployment.'),
    unavailableReplicas: int32(
      'Total number of unavailable pods targeted by this deployment. This is the total number of pods that are still required for the deployment to have 100% available capacity.',
    ),
    updatedReplicas: int32('Total number of non-terminating pods targeted by this deployment that have the desired template spec.'),
  },
  { description: 'DeploymentStatus is the most recently observed status of the Deployment.', definitionName: apps('DeploymentStatus') },
);

export const DEPLOYMENT_SCHEMA: KindSchema = defineKind({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  pkg: 'apps.v1',
  description: 'Deployment enables declarative updates for Pods and ReplicaSets.',
  fields: {
    spec: describe(deploymentSpecSchema, `Specification of the desired behavior of the Deployment. ${SPEC_DESCRIPTION}`),
    status: describe(deploymentStatusSchema, `Most recently observed status of the Deployment. ${STATUS_DESCRIPTION}`),
  },
});

const replicaSetSpecSchema = obj(
  {
    minReadySeconds: int32(
      'Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)',
    ),
    replicas: int32('Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1.'),
    selector: describe(
      labelSelectorSchema,
      'Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template\'s labels.',
    ),
    template: describe(
      podTemplateSpecSchema,
      'Template is the object that describes the pod that will be created if insufficient replicas are detected.',
    ),
  },
  { description: 'ReplicaSetSpec is the specification of a ReplicaSet.', required: ['selector'], definitionName: apps('ReplicaSetSpec') },
);

const replicaSetStatusSchema = obj(
  {
    availableReplicas: int32('The number of available non-terminating pods (ready for at least minReadySeconds) for this replica set.'),
    conditions: conditionsList(
      conditionSchema(apps('ReplicaSetCondition'), 'ReplicaSetCondition describes the state of a replica set at a certain point.'),
      "Represents the latest available observations of a replica set's current state.",
    ),
    fullyLabeledReplicas: int32('The number of non-terminating pods that have labels matching the labels of the pod template of the replicaset.'),
    observedGeneration: int64('ObservedGeneration reflects the generation of the most recently observed ReplicaSet.'),
    readyReplicas: int32('The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.'),
    replicas: int32('Replicas is the most recently observed number of non-terminating pods.'),
    terminatingReplicas: int32('The number of terminating pods for this replica set.'),
  },
  { description: 'ReplicaSetStatus represents the current status of a ReplicaSet.', required: ['replicas'], definitionName: apps('ReplicaSetStatus') },
);

export const REPLICA_SET_SCHEMA: KindSchema = defineKind({
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  pkg: 'apps.v1',
  description: 'ReplicaSet ensures that a specified number of pod replicas are running at any given time.',
  fields: {
    spec: describe(replicaSetSpecSchema, `Spec defines the specification of the desired behavior of the ReplicaSet. ${SPEC_DESCRIPTION}`),
    status: describe(replicaSetStatusSchema, `Status is the most recently observed status of the ReplicaSet. ${STATUS_DESCRIPTION}`),
  },
});

