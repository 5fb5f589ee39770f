import { describe, it, expect } from 'vitest';
import { RegistryClient, assertHostAllowed, parseChallenge } from './registry-client.js';
import { RemoteRegistryDisabledError } from './errors.js';

describe('registry client', () => {
  it('parses bearer and basic challenges', () => {
    expect(parseChallenge('Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.example.com/token', service: 'registry.example.com', scope: 'repository:a/b:pull,push' },
    });
    expect(parseChallenge('Basic realm="basic-realm"')).toEqual({ scheme: 'basic', params: { realm: 'basic-realm' } });
    expect(parseChallenge('Bearer realm=http://127.0.0.1:1/t, service=x')?.params).toEqual({ realm: 'http://127.0.0.1:1/t', service: 'x' });
    expect(parseChallenge('')).toBeUndefined();
  });

  it('speaks plain http only to loopback registries', () => {
    expect(new RegistryClient('127.0.0.1:5000', 'a', 'pull', undefined, true).baseUrl).toBe('http://127.0.0.1:5000');
    expect(new RegistryClient('localhost:5000', 'a', 'pull', undefined, true).baseUrl).toBe('http://localhost:5000');
    expect(new RegistryClient('registry.example.com:5000', 'a', 'pull', undefined, true).baseUrl).toBe('https://registry.example.com:5000');
    expect(new RegistryClient('10.1.2.3:5000', 'a', 'pull', undefined, true).baseUrl).toBe('https://10.1.2.3:5000');
    expect(new RegistryClient('docker.io', 'library/busybox', 'pull', undefined, true).url('manifests/latest')).toBe('https://registry-1.docker.io/v2/library/busybox/manifests/latest');
  });

  it('refuses non-loopback registries unless remote registries are allowed, before any request', () => {
    expect(() => new RegistryClient('docker.io', 'library/busybox', 'pull')).toThrow(RemoteRegistryDisabledError);
    expect(() => new RegistryClient('10.1.2.3:5000', 'a', 'pull')).toThrow(RemoteRegistryDisabledError);
    expect(() => assertHostAllowed('registry.example.com', false)).toThrow(/remote registries are disabled/);
    expect(() => assertHostAllowed('127.0.0.1:5000', false)).not.toThrow();
    expect(() => assertHostAllowed('[::1]:5000', false)).not.toThrow();
    expect(() => assertHostAllowed('registry.example.com', true)).not.toThrow();
  });
});
