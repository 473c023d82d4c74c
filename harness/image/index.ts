/** The image stage: what the sandbox image is made from, and building or reusing it. */
export { ensureSandboxImage, type EnsureImageOptions, type SandboxImage } from './ensure-sandbox-image.js';
export { ensureBaseImage, type BaseImageOptions } from './base-image.js';
export { acquireBuildLock, type BuildLock, type BuildLockOptions } from './build-lock.js';
export {
  BASE_REPO,
  SANDBOX_REPO,
  baseImageRef,
  hashInputs,
  imageHashes,
  isImageInput,
  listImageInputs,
  sandboxImageRef,
  type ImageHashes,
  type InputFile,
} from './image-inputs.js';
export { pruneImages, type PruneResult } from './prune-images.js';
