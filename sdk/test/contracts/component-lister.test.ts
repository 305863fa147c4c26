import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS, RELEASED_KINDS, type Endpoint, componentListerContract } from '../../src/contracts/index.js';
import { componentLister, type ComponentListerHandler } from '../../src/contracts/component-lister.js';
import { handshakeJson } from '../../src/handshake.js';
import { DummyRepository } from './upstream-dummy.js';

const list: Endpoint = componentListerContract.endpoints.find((e) => e.path === '/components/list')!;

describe('componentLister contract', () => {
  it('is registered with repository types and dispatches on repository', () => {
    expect(KINDS.componentLister).toBe(componentListerContract);
    expect(RELEASED_KINDS).toContain('componentLister');
    expect(componentListerContract.typesField).toBe('supportedRepositorySpecTypes');
    expect(componentListerContract.endpoints.map((e) => `${e.method} ${e.path} ${e.auth} ${e.specAt?.join('.')}`)).toEqual([
      'POST /components/list optional repository',
      'POST /identity never type',
    ]);
  });

  it('answers capabilities byte-identical to the upstream test plugin binary', () => {
    const fixture = readFileSync(join(import.meta.dirname, '../fixtures/upstream/test-plugin-component-lister.json'), 'utf8');
    const cap = componentLister({ types: { 'DummyRepository/v1': DummyRepository }, handler: {} as ComponentListerHandler<unknown> });
    expect(handshakeJson([cap])).toBe(fixture);
  });

  it('accepts the manager first-page body and the paging answers of sdk/docs/protocol.md §3.3 and §5', () => {
    expect(list.request.safeParse(JSON.parse('{"repository":{"baseUrl":"example.com/test-repository","type":"DummyRepository/v1"},"last":""}')).success).toBe(
      true,
    );
    for (const body of [
      '{"list":["acme.org/a","acme.org/b"],"header":{"last":"acme.org/b"}}',
      '{"list":["test-component-1"],"header":{"last":"test-component-1"}}',
      '{"list":["test-component-2"]}',
      '{"list":[],"header":{}}',
    ]) {
      expect(list.response!.safeParse(JSON.parse(body)).success, body).toBe(true);
    }
  });

  it('rejects wrong shapes, and null answers (the host would crash)', () => {
    expect(list.request.safeParse({ last: '' }).success).toBe(false);
    expect(list.request.safeParse({ repository: { type: 'X/v1' }, last: 3 }).success).toBe(false);
    expect(list.request.safeParse({ repository: 'X/v1', last: '' }).success).toBe(false);
    expect(list.response!.safeParse(null).success).toBe(false);
    expect(list.response!.safeParse({ list: null }).success).toBe(false);
    expect(list.response!.safeParse({ list: [1] }).success).toBe(false);
    expect(list.response!.safeParse({ list: [], header: { last: 1 } }).success).toBe(false);
  });
});
