// Shared by apply, create and delete -f: which namespace an object from a
// manifest goes to, and kubectl's server-side apply conflict report.
import type { ApiError, KubeObject, ResourceInfo } from '@wharf/api';
import { CliError } from './cli-error.js';
import type { CliContext } from './context.js';

export function objectNamespace(ctx: CliContext, info: ResourceInfo, obj: KubeObject): string | undefined {
  if (!info.namespaced) return undefined;
  const own = obj.metadata.namespace;
  if (own && ctx.namespaceExplicit && own !== ctx.namespace) {
    throw new CliError(`the namespace from the provided object "${own}" does not match the namespace "${ctx.namespace}". You must pass '--namespace=${own}' to perform this operation.`);
  }
  return own || ctx.namespace;
}

export function conflictReport(err: ApiError): string {
  return `error: ${err.message}
Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their manifest).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts`;
}
