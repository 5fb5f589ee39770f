// ImageService handlers over the OCI image store.
import type * as grpc from '@grpc/grpc-js';
import type * as P from '@wharf/proto';
import { InvalidArgumentError } from '../errors.js';
import type { RegistryAuth, ResolvedImage } from '../images/index.js';
import type { Runtime } from '../runtime.js';
import type { Logger } from '../util/logger.js';
import { unary } from './unary.js';

function toImage(img: ResolvedImage): P.Image {
  const user = img.config.config?.User ?? '';
  const uidPart = user.split(':')[0] ?? '';
  const numeric = /^\d+$/.test(uidPart);
  return {
    id: img.id,
    repo_tags: img.repoTags,
    repo_digests: img.repoDigests,
    size: img.size,
    uid: numeric ? { value: Number(uidPart) } : null,
    username: numeric ? '' : uidPart,
    spec: { image: img.id, annotations: {} },
  };
}

function refOf(spec: P.ImageSpec | null): string {
  if (!spec?.image) throw new InvalidArgumentError('image.image is required');
  return spec.image;
}

/** CRI's AuthConfig → the store's credentials (user+password, identity token or registry token). */
function pullAuth(auth: P.AuthConfig | null): RegistryAuth | undefined {
  if (!auth) return undefined;
  let { username, password } = auth;
  if (auth.auth && !username) {
    const decoded = Buffer.from(auth.auth, 'base64').toString();
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new InvalidArgumentError('auth.auth must be base64 of user:password');
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (auth.registry_token) return { registryToken: auth.registry_token };
  if (auth.identity_token) return { identityToken: auth.identity_token };
  if (username) return { username, password };
  return undefined;
}

export function imageHandlers(rt: Runtime, log: Logger): grpc.UntypedServiceImplementation {
  return {
    ListImages: unary('ListImages', log, async (req: P.ListImagesRequest): Promise<P.ListImagesResponse> => {
      const want = req.filter?.image?.image;
      if (want) {
        const img = await rt.images.resolve(want);
        return { images: img ? [toImage(img)] : [] };
      }
      return { images: (await rt.images.list()).map(toImage) };
    }),
    ImageStatus: unary('ImageStatus', log, async (req: P.ImageStatusRequest): Promise<P.ImageStatusResponse> => {
      const img = await rt.images.resolve(refOf(req.image));
      return { image: img ? toImage(img) : null, info: {} };
    }),
    PullImage: unary('PullImage', log, async (req: P.PullImageRequest): Promise<P.PullImageResponse> => {
      const ref = refOf(req.image);
      const auth = pullAuth(req.auth);
      const img = await rt.images.pull(ref, auth ? { auth } : {});
      return { image_ref: img.id };
    }),
    RemoveImage: unary('RemoveImage', log, async (req: P.RemoveImageRequest): Promise<P.Empty> => {
      await rt.images.remove(refOf(req.image));
      await rt.images.gc(rt.imagesInUse());
      return {};
    }),
    ImageFsInfo: unary('ImageFsInfo', log, async (): Promise<P.ImageFsInfoResponse> => {
      const info = await rt.images.fsInfo();
      return {
        image_filesystems: [
          { timestamp: Date.now() * 1_000_000, fs_id: { mountpoint: info.mountpoint }, used_bytes: info.usedBytes, inodes_used: info.inodesUsed },
        ],
      };
    }),
  };
}
