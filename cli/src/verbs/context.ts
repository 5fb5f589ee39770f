// What every verb needs: the global flags kubectl accepts everywhere, the
// kubeconfig they select, a REST client, and the namespace to act in.
import type { KubeObject, ResourceInfo } from '@wharf/api';
import { Api } from './api.js';
import { kubeconfigPath, loadKubeconfig, RestClient, resourcePath, type RestConfig } from '@wharf/client';
import type { FlagSpec, ParsedFlags } from '../flags.js';

export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'kubeconfig', type: 'string', help: 'path to the kubeconfig file' },
  { name: 'context', type: 'string', help: 'the kubeconfig context to use' },
  { name: 'namespace', short: 'n', type: 'string', help: 'the namespace scope for this request' },
  { name: 'request-timeout', type: 'string', help: 'ignored; accepted for kubectl compatibility' },
  { name: 'help', short: 'h', type: 'boolean', help: 'help for this command' },
];

export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

export class CliContext {
  private restConfig: RestConfig | undefined;
  private restClient: RestClient | undefined;
  private apiClient: Api | undefined;

  constructor(readonly flags: ParsedFlags['values']) {}

  get kubeconfigPath(): string {
    return kubeconfigPath(this.flags['kubeconfig'] as string | undefined);
  }

  get config(): RestConfig {
    this.restConfig ??= loadKubeconfig({
      kubeconfig: this.flags['kubeconfig'] as string | undefined,
      context: this.flags['context'] as string | undefined,
      overrides: { userAgent: 'wharf/v1.32.0', timeoutMs: 0 },
    });
    return this.restConfig;
  }

  get client(): RestClient {
    this.restClient ??= new RestClient(this.config);
    return this.restClient;
  }

  /** -n wins over the context's namespace; "default" when neither names one. */
  get namespace(): string {
    return (this.flags['namespace'] as string | undefined) || this.config.namespace || 'default';
  }

  get namespaceExplicit(): boolean {
    return Boolean(this.flags['namespace']);
  }

  get allNamespaces(): boolean {
    return this.flags['all-namespaces'] === true;
  }

  get api(): Api {
    this.apiClient ??= new Api(() => this.client.transport);
    return this.apiClient;
  }

  request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    return this.api.request<T>(method, path, body, headers);
  }

  /** GET as a server-side Table. */
  table(info: ResourceInfo, namespace: string | undefined, name?: string, query = ''): Promise<Table> {
    return this.request<Table>('GET', resourcePath(info, namespace, name) + query, undefined, { Accept: TABLE_ACCEPT });
  }

  nsFor(info: ResourceInfo): string | undefined {
    return info.namespaced ? this.namespace : undefined;
  }

  close(): void {
    this.restClient?.close();
  }
}

export interface TableColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
}

export interface TableRow {
  cells: unknown[];
  object?: KubeObject;
}

export interface Table {
  kind: 'Table';
  apiVersion?: string;
  metadata: { resourceVersion?: string };
  columnDefinitions: TableColumn[];
  rows: TableRow[];
}
