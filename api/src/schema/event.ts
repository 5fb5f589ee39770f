// corev1.Event.
import { describe, int32, obj, str, time } from './builders.js';
import { defineKind, objectReferenceSchema } from './meta.js';
import type { KindSchema } from './schema.js';

export const EVENT_SCHEMA: KindSchema = defineKind({
  group: '',
  version: 'v1',
  kind: 'Event',
  pkg: 'core.v1',
  description:
    'Event is a report of an event somewhere in the cluster. Events have a limited retention time and triggers and messages may evolve with time.',
  fields: {
    action: str('What action was taken/failed regarding to the Regarding object.'),
    count: int32('The number of times this event has occurred.'),
    eventTime: time('Time when this Event was first observed.'),
    firstTimestamp: time('The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'),
    involvedObject: describe(objectReferenceSchema, 'The object that this event is about.'),
    lastTimestamp: time('The time at which the most recent occurrence of this event was recorded.'),
    message: str('A human-readable description of the status of this operation.'),
    reason: str("This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    related: describe(objectReferenceSchema, 'Optional secondary object for more complex actions.'),
    reportingComponent: str('Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.'),
    reportingInstance: str('ID of the controller instance, e.g. `kubelet-xyzf`.'),
    series: obj(
      {
        count: int32('Number of occurrences in this series up to the last heartbeat time'),
        lastObservedTime: time('Time of the last occurrence observed'),
      },
      { description: "Data about the Event series this event represents or nil if it's a singleton Event.", definitionName: 'io.k8s.api.core.v1.EventSeries' },
    ),
    source: obj(
      { component: str('Component from which the event is generated.'), host: str('Node name on which the event is generated.') },
      { description: 'The component reporting this event. Should be a short machine understandable string.', definitionName: 'io.k8s.api.core.v1.EventSource' },
    ),
    type: str('Type of this event (Normal, Warning), new types could be added in the future'),
  },
  required: ['metadata', 'involvedObject'],
});
