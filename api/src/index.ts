// @wharf/api: the object model, errors and resource table shared by every package.
export * from './meta.js';
export * from './errors.js';
export * from './resources.js';
