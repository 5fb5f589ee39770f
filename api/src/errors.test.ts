import { describe, expect, it } from 'vitest';
import { ApiError, ConflictError, InvalidError, NotFoundError, invalid, required } from './errors.js';

describe('errors', () => {
  it('maps NotFound to the Status kubectl prints', () => {
    const s = new NotFoundError('pods', 'nope').toStatus();
    expect(s).toMatchObject({ kind: 'Status', code: 404, reason: 'NotFound', message: 'pods "nope" not found' });
  });

  it('carries field paths as causes on Invalid', () => {
    const err = new InvalidError('Pod', 'x', [required('spec.containers'), invalid('metadata.name', 'A_B', 'bad name')]);
    expect(err.code).toBe(422);
    expect(err.toStatus().details?.causes?.map((c) => c.field)).toEqual(['spec.containers', 'metadata.name']);
  });

  it('rebuilds the error class from a Status', () => {
    const err = ApiError.fromStatus(new ConflictError('pods', 'x').toStatus());
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.code).toBe(409);
    expect(err.message).toBe('Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the latest version and try again');
  });
});
