// Pod defaulting as core/v1's SetDefaults_* functions do it, plus what the
// default admission chain adds to every Pod (service account, priority,
// not-ready/unreachable tolerations) so stored pods look like Kubernetes' own.
import { compareQuantities, isValidQuantity } from '../quantity.js';
import { arr, child, isObj, obj, setDefault, type Json } from './field-errors.js';

/** The image's tag as Kubernetes' image-name parser sees it: "latest" when neither tag nor digest is given. */
export function imageTag(image: string): string {
  if (image.includes('@')) {
    const beforeDigest = image.slice(0, image.indexOf('@'));
    const last = beforeDigest.slice(beforeDigest.lastIndexOf('/') + 1);
    return last.includes(':') ? last.slice(last.indexOf(':') + 1) : '';
  }
  const last = image.slice(image.lastIndexOf('/') + 1);
  return last.includes(':') ? last.slice(last.indexOf(':') + 1) : 'latest';
}

function defaultHttpGet(handler: Json | undefined): void {
  const httpGet = obj(handler?.httpGet);
  if (!httpGet) return;
  setDefault(httpGet, 'path', '/');
  setDefault(httpGet, 'scheme', 'HTTP');
}

function defaultProbe(probe: unknown): void {
  const p = obj(probe);
  if (!p) return;
  // These are plain int32s in Go, so 0 counts as unset and is defaulted too.
  for (const [k, v] of [
    ['timeoutSeconds', 1],
    ['periodSeconds', 10],
    ['successThreshold', 1],
    ['failureThreshold', 3],
  ] as const) {
    if (p[k] === undefined || p[k] === null || p[k] === 0) p[k] = v;
  }
  defaultHttpGet(p);
}

function defaultContainer(c: Json, hostNetwork: boolean): void {
  if (typeof c.image === 'string') setDefault(c, 'imagePullPolicy', imageTag(c.image) === 'latest' ? 'Always' : 'IfNotPresent');
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  for (const port of arr(c.ports)) {
    const p = obj(port);
    if (!p) continue;
    setDefault(p, 'protocol', 'TCP');
    // With the host's network the container port is the host port.
    if (hostNetwork && (p.hostPort === undefined || p.hostPort === 0)) p.hostPort = p.containerPort;
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  const lifecycle = obj(c.lifecycle);
  if (lifecycle) {
    defaultHttpGet(obj(lifecycle.postStart));
    defaultHttpGet(obj(lifecycle.preStop));
  }
  for (const e of arr(c.env)) {
    const fieldRef = obj(obj(obj(e)?.valueFrom)?.fieldRef);
    if (fieldRef) setDefault(fieldRef, 'apiVersion', 'v1');
  }
  // Go always serializes the (non-pointer) resources struct, so Kubernetes shows `resources: {}`.
  const resources = child(c, 'resources');
  // Limits without requests: the request defaults to the limit (SetDefaults_Pod).
  const limits = obj(resources.limits);
  if (limits) {
    const requests = child(resources, 'requests');
    for (const [name, q] of Object.entries(limits)) if (requests[name] === undefined) requests[name] = q;
  }
}

const VOLUME_MODE_SOURCES = ['secret', 'configMap', 'downwardAPI', 'projected'];

function defaultVolume(v: Json): void {
  const sources = Object.keys(v).filter((k) => k !== 'name' && isObj(v[k]));
  if (sources.length === 0) v.emptyDir = {};
  for (const s of VOLUME_MODE_SOURCES) {
    const src = obj(v[s]);
    if (src) setDefault(src, 'defaultMode', 420);
  }
  const hostPath = obj(v.hostPath);
  if (hostPath && hostPath.type === undefined) hostPath.type = '';
  for (const source of arr(obj(v.projected)?.sources)) {
    const token = obj(obj(source)?.serviceAccountToken);
    if (token) setDefault(token, 'expirationSeconds', 3600);
  }
}

/** SetDefaults_PodSpec and everything nested: used for Pods and for pod templates. */
export function defaultPodSpec(spec: Json): void {
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  // Kubernetes turns a negative grace period into 1 rather than rejecting it.
  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) spec.terminationGracePeriodSeconds = 1;
  setDefault(spec, 'schedulerName', 'default-scheduler');
  if (spec.securityContext === undefined || spec.securityContext === null) spec.securityContext = {};
  if (typeof spec.serviceAccount === 'string' && !spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount;
  const hostNetwork = spec.hostNetwork === true;
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of arr(spec[list])) if (isObj(c)) defaultContainer(c, hostNetwork);
  }
  for (const v of arr(spec.volumes)) if (isObj(v)) defaultVolume(v);
}

const DEFAULT_TOLERATION_SECONDS = 300;

/** Defaults for a Pod object: the spec defaults plus what admission adds on create. */
export function defaultPod(pod: Json): void {
  const spec = child(pod, 'spec');
  defaultPodSpec(spec);
  if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null) spec.enableServiceLinks = true;
  // ServiceAccount admission.
  setDefault(spec, 'serviceAccountName', 'default');
  setDefault(spec, 'serviceAccount', spec.serviceAccountName);
  // Priority admission, with no PriorityClass named.
  if (!spec.priorityClassName && spec.priority === undefined) spec.priority = 0;
  setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  // DefaultTolerationSeconds admission: evict 5 minutes after a node goes not-ready or unreachable.
  const tolerations = Array.isArray(spec.tolerations) ? (spec.tolerations as unknown[]) : [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    const present = tolerations.some((t) => {
      const o = obj(t);
      if (!o) return false;
      if (o.effect && o.effect !== 'NoExecute') return false;
      if (o.key && o.key !== key) return false;
      return o.operator === 'Exists' || !o.value;
    });
    if (!present) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
  }
  spec.tolerations = tolerations;
  // PrepareForCreate: a new pod is Pending with its QoS class computed.
  const status = child(pod, 'status');
  setDefault(status, 'phase', 'Pending');
  // setDefault's rule, with the class (quantity parsing) computed only when it is missing.
  const qos = status['qosClass'];
  if (qos === undefined || qos === null || qos === '') status['qosClass'] = podQosClass(spec);
}

function resourceNames(c: Json, which: 'requests' | 'limits'): Map<string, unknown> {
  const list = obj(obj(c.resources)?.[which]) ?? {};
  return new Map(Object.entries(list).filter(([name]) => name === 'cpu' || name === 'memory'));
}

/** The pod's QoS class (Guaranteed, Burstable, BestEffort), from cpu and memory requests and limits. */
export function podQosClass(spec: Json): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...arr(spec.initContainers), ...arr(spec.containers)].filter(isObj);
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const requests = resourceNames(c, 'requests');
    const limits = resourceNames(c, 'limits');
    if (requests.size > 0 || limits.size > 0) any = true;
    if (limits.size < 2) guaranteed = false;
    for (const [name, q] of requests) if (!sameQuantity(limits.get(name), q)) guaranteed = false;
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function sameQuantity(a: unknown, b: unknown): boolean {
  const valid = (x: unknown): x is string | number => (typeof x === 'string' || typeof x === 'number') && isValidQuantity(x);
  return valid(a) && valid(b) && compareQuantities(a, b) === 0;
}
