// ConfigMaps, Secrets and Services that pods reference, read from informer
// caches (so a change reaches volumes without a request per pod per resync),
// falling back to a GET when the cache has not seen an object yet.
import { isNotFound, type ConfigMap, type Secret, type Service } from '@wharf/api';
import { R, type ApiClient, type SharedInformer } from '@wharf/client';

export interface ObjectSource {
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  services(namespace: string): Promise<Service[]>;
}

export class InformerObjectSource implements ObjectSource {
  constructor(
    private readonly client: ApiClient,
    private readonly configMaps: SharedInformer<ConfigMap>,
    private readonly secrets: SharedInformer<Secret>,
    private readonly servicesInformer: SharedInformer<Service>,
  ) {}

  configMap(namespace: string, name: string): Promise<ConfigMap | undefined> {
    return this.lookup(this.configMaps, R.configmaps, namespace, name);
  }

  secret(namespace: string, name: string): Promise<Secret | undefined> {
    return this.lookup(this.secrets, R.secrets, namespace, name);
  }

  async services(namespace: string): Promise<Service[]> {
    // Every pod also learns the apiserver's own service, as in Kubernetes.
    return this.servicesInformer.store
      .list()
      .filter((s) => s.metadata.namespace === namespace || (s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes'));
  }

  private async lookup<T extends ConfigMap | Secret>(inf: SharedInformer<T>, res: typeof R.configmaps, namespace: string, name: string): Promise<T | undefined> {
    const cached = inf.store.get(`${namespace}/${name}`);
    if (cached) return cached;
    try {
      return await this.client.get<T>(res, namespace, name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}
