// corev1.Namespace.
import { atomicList, describe, enumOf, obj, str, time } from './builders.js';
import { conditionsList, defineKind, SPEC_DESCRIPTION, STATUS_DESCRIPTION } from './meta.js';
import type { KindSchema } from './schema.js';

const core = (name: string) => `io.k8s.api.core.v1.${name}`;

export const NAMESPACE_SCHEMA: KindSchema = defineKind({
  group: '',
  version: 'v1',
  kind: 'Namespace',
  pkg: 'core.v1',
  description: 'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
  fields: {
    spec: describe(
      obj(
        { finalizers: atomicList(str(), 'Finalizers is an opaque list of values that must be empty to permanently remove object from storage.') },
        { description: 'NamespaceSpec describes the attributes on a Namespace.', definitionName: core('NamespaceSpec') },
      ),
      `Spec defines the behavior of the Namespace. ${SPEC_DESCRIPTION}`,
    ),
    status: describe(
      obj(
        {
          conditions: conditionsList(
            obj(
              {
                lastTransitionTime: time('Last time the condition transitioned from one status to another.'),
                message: str('Human-readable message indicating details about last transition.'),
                reason: str("Unique, one-word, CamelCase reason for the condition's last transition."),
                status: str('Status of the condition, one of True, False, Unknown.'),
                type: str('Type of namespace controller condition.'),
              },
              { description: 'NamespaceCondition contains details about state of namespace.', required: ['type', 'status'], definitionName: core('NamespaceCondition') },
            ),
            "Represents the latest available observations of a namespace's current state.",
          ),
          phase: enumOf(['Active', 'Terminating'], 'Phase is the current lifecycle phase of the namespace.'),
        },
        { description: 'NamespaceStatus is information about the current status of a Namespace.', definitionName: core('NamespaceStatus') },
      ),
      `Status describes the current status of a Namespace. ${STATUS_DESCRIPTION}`,
    ),
  },
});
