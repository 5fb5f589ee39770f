import { describe, expect, it } from 'vitest';
import { ApiError, BadRequestError } from '../errors.js';
import { applyJsonPatch, JsonPatchError, parseJsonPointer } from './json-patch.js';

/** The specific reason carried by the JsonPatchError a call throws. */
function detail(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof JsonPatchError) return err.detail;
    throw err;
  }
  throw new Error('expected a JsonPatchError');
}

// Examples from RFC 6902 appendix A.
describe('applyJsonPatch (RFC 6902 examples)', () => {
  it('A.1 adds an object member', () => {
    expect(applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }])).toEqual({ baz: 'qux', foo: 'bar' });
  });
  it('A.2 adds an array element', () => {
    expect(applyJsonPatch({ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }])).toEqual({ foo: ['bar', 'qux', 'baz'] });
  });
  it('A.3 removes an object member', () => {
    expect(applyJsonPatch({ baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }])).toEqual({ foo: 'bar' });
  });
  it('A.4 removes an array element', () => {
    expect(applyJsonPatch({ foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }])).toEqual({ foo: ['bar', 'baz'] });
  });
  it('A.5 replaces a value', () => {
    expect(applyJsonPatch({ baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }])).toEqual({ baz: 'boo', foo: 'bar' });
  });
  it('A.6 moves a value', () => {
    const doc = { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } };
    expect(applyJsonPatch(doc, [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }])).toEqual({
      foo: { bar: 'baz' },
      qux: { corge: 'grault', thud: 'fred' },
    });
  });
  it('A.7 moves an array element', () => {
    expect(applyJsonPatch({ foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }])).toEqual({
      foo: ['all', 'cows', 'eat', 'grass'],
    });
  });
  it('A.8 tests a value: success', () => {
    const doc = { baz: 'qux', foo: ['a', 2, 'c'] };
    expect(
      applyJsonPatch(doc, [
        { op: 'test', path: '/baz', value: 'qux' },
        { op: 'test', path: '/foo/1', value: 2 },
      ]),
    ).toEqual(doc);
  });
  it('A.9 tests a value: error, as a 422 Invalid like the apiserver', () => {
    const run = (): unknown => applyJsonPatch({ baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }]);
    expect(run).toThrow(JsonPatchError);
    try {
      run();
    } catch (err) {
      const e = err as ApiError;
      expect(e.code).toBe(422);
      expect(e.reason).toBe('Invalid');
      expect(e.message).toBe('the server rejected our request due to an error in our request');
      expect(e.details.causes?.[0]?.message).toContain('testing value /baz failed');
    }
  });
  it('A.10 adds a nested member object', () => {
    expect(applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }])).toEqual({ foo: 'bar', child: { grandchild: {} } });
  });
  it('A.12 fails to add to a nonexistent target', () => {
    expect(detail(() => applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }]))).toContain('doc is missing path: /baz/bat');
  });
  it('A.14 unescapes ~0 and ~1', () => {
    expect(applyJsonPatch({ '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }])).toEqual({ '/': 9, '~1': 10 });
    expect(parseJsonPointer('/a~1b/m~0n')).toEqual(['a/b', 'm~n']);
  });
  it('A.15 compares strings and numbers strictly', () => {
    expect(() => applyJsonPatch({ '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: '10' }])).toThrow(JsonPatchError);
  });
  it('A.16 appends with -', () => {
    expect(applyJsonPatch({ foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }])).toEqual({ foo: ['bar', ['abc', 'def']] });
  });
});

describe('applyJsonPatch on Kubernetes objects', () => {
  const pod = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }] } };

  it('replaces an image and adds a label with an escaped key', () => {
    const out = applyJsonPatch(pod, [
      { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:2' },
      { op: 'add', path: '/metadata/labels/app.kubernetes.io~1name', value: 'web' },
    ]);
    expect(out).toEqual({
      metadata: { labels: { app: 'web', 'app.kubernetes.io/name': 'web' } },
      spec: { containers: [{ name: 'app', image: 'nginx:2' }] },
    });
    expect(pod.spec.containers[0]?.image).toBe('nginx:1');
  });

  it('copies a container and removes the original', () => {
    const out = applyJsonPatch<typeof pod>(pod, [
      { op: 'copy', from: '/spec/containers/0', path: '/spec/containers/-' },
      { op: 'replace', path: '/spec/containers/1/name', value: 'copy' },
      { op: 'remove', path: '/spec/containers/0' },
    ]);
    expect(out.spec.containers).toEqual([{ name: 'copy', image: 'nginx:1' }]);
  });

  it('rejects replace and remove of missing members, and bad indexes', () => {
    expect(() => applyJsonPatch(pod, [{ op: 'replace', path: '/spec/nodeName', value: 'n' }])).toThrow(JsonPatchError);
    expect(() => applyJsonPatch(pod, [{ op: 'remove', path: '/spec/containers/3' }])).toThrow(JsonPatchError);
    expect(detail(() => applyJsonPatch(pod, [{ op: 'add', path: '/spec/containers/01', value: {} }]))).toContain('invalid array index');
  });

  it('does not apply any operation when a later one fails', () => {
    const original = structuredClone(pod);
    expect(() =>
      applyJsonPatch(pod, [
        { op: 'replace', path: '/spec/containers/0/image', value: 'x' },
        { op: 'test', path: '/metadata/labels/app', value: 'db' },
      ]),
    ).toThrow(JsonPatchError);
    expect(pod).toEqual(original);
  });

  it('reports unknown operations and missing paths as 422, a non-list body as 400', () => {
    expect(detail(() => applyJsonPatch(pod, [{ op: 'frob', path: '/a' }]))).toContain('Unexpected kind: frob');
    expect(() => applyJsonPatch(pod, [{ op: 'add', value: 1 }])).toThrow(JsonPatchError);
    expect(() => applyJsonPatch(pod, { op: 'add' })).toThrow(BadRequestError);
  });

  it('refuses moving a value into its own child', () => {
    expect(detail(() => applyJsonPatch({ a: { b: 1 } }, [{ op: 'move', from: '/a', path: '/a/c' }]))).toContain('own child');
  });

  it('caps the number of operations like the apiserver', () => {
    const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '', value: {} }));
    expect(() => applyJsonPatch({}, ops)).toThrow('The allowed maximum operations in a JSON patch is 10000, got 10001');
  });
});
