// @wharf/api: the object model, errors and resource table shared by every package.
export * from './meta.js';
export * from './errors.js';
export * from './resources.js';
export * from './logger.js';
export * from './types/index.js';
export * from './schema/index.js';
export * from './strategy/index.js';
export * from './selectors/index.js';
export * from './patch/index.js';
