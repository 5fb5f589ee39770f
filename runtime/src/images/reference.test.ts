import { describe, it, expect } from 'vitest';
import { formatReference, isLoopbackHost, normalizeReference, parseReference, repositoryName } from './reference.js';
import { InvalidReferenceError } from './errors.js';

const digest = `sha256:${'ab'.repeat(32)}`;

describe('reference normalisation', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['library/busybox', 'docker.io/library/busybox:latest'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['index.docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['someone/app', 'docker.io/someone/app:latest'],
    ['quay.io/coreos/etcd:v3.5', 'quay.io/coreos/etcd:v3.5'],
    ['localhost/app', 'localhost/app:latest'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['127.0.0.1:5000/a/b/c:t', '127.0.0.1:5000/a/b/c:t'],
    ['[::1]:5000/app:v1', '[::1]:5000/app:v1'],
    ['my-registry.example.com:443/team/app_x.y:1.0-rc', 'my-registry.example.com:443/team/app_x.y:1.0-rc'],
    [`busybox@${digest}`, `docker.io/library/busybox@${digest}`],
    [`busybox:1@${digest}`, `docker.io/library/busybox:1@${digest}`],
    [`reg:5000/x@${digest}`, `reg:5000/x@${digest}`],
  ])('%s → %s', (input, want) => {
    expect(formatReference(normalizeReference(input))).toBe(want);
  });

  it('splits domain, path, tag and digest', () => {
    const ref = parseReference(`127.0.0.1:5000/team/app:v2@${digest}`);
    expect(ref).toEqual({ domain: '127.0.0.1:5000', path: 'team/app', tag: 'v2', digest });
    expect(repositoryName(ref)).toBe('127.0.0.1:5000/team/app');
  });

  it('treats an uppercase first component as a registry host, as distribution does', () => {
    expect(parseReference('Foo/bar').domain).toBe('Foo');
  });

  it('does not add :latest when a digest is given', () => {
    expect(normalizeReference(`busybox@${digest}`).tag).toBeUndefined();
  });

  it.each([
    ['', 'empty'],
    ['BusyBox', 'lowercase'],
    ['busy box', 'component'],
    ['busybox:', 'tag'],
    ['busybox:-bad', 'tag'],
    ['busybox:' + 'x'.repeat(129), 'tag'],
    ['a//b', 'component'],
    ['a/b/', 'component'],
    ['-a/b', 'component'],
    ['a$b', 'component'],
    ['ubuntu!', 'component'],
    ['reg:5000/App', 'lowercase'],
    ['busybox@sha256:abc', 'digest'],
    [`busybox@md5:${'a'.repeat(32)}`, 'only lowercase sha256'],
    ['ab'.repeat(32), 'image id'],
    ['bad_host-.com:5000/x', 'registry host'],
    ['x/' + 'a'.repeat(260), 'longer than'],
  ])('rejects %j', (input, reason) => {
    expect(() => parseReference(input)).toThrow(InvalidReferenceError);
    expect(() => parseReference(input)).toThrow(reason);
  });

  it('knows loopback hosts', () => {
    expect(isLoopbackHost('127.0.0.1:5000')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('[::1]:80')).toBe(true);
    expect(isLoopbackHost('127.example.com:5000')).toBe(false);
    expect(isLoopbackHost('docker.io')).toBe(false);
    expect(isLoopbackHost('10.0.0.1:5000')).toBe(false);
  });
});
