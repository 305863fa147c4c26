/**
 * The `capabilities` answer equals, byte for byte, what the upstream Go SDK test plugins print for the same declared
 * type (fixtures captured from the v0.0.17 test plugin binaries), for every kind the CLI can reach with a spec type.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blobTransformer, digestProcessorRepository, inputRepository, signingHandler, type Capability } from '../src/index.js';
import { handshakeJson } from '../src/handshake.js';
import { DummyRepository } from './contracts/upstream-dummy.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'upstream', `test-plugin-${name}.json`), 'utf8');
const types = { 'DummyRepository/v1': DummyRepository };

const cases: Array<[string, Capability]> = [
  [
    'input',
    inputRepository({
      types,
      handler: {
        processResource: () => {
          throw new Error('unused');
        },
      },
    }),
  ],
  ['signinghandler', signingHandler({ types, handler: {} as never })],
  ['digester', digestProcessorRepository({ types, handler: {} as never })],
  ['blobtransformer', blobTransformer({ types, handler: {} as never })],
];

describe('handshake bytes equal the Go SDK test plugins', () => {
  it.each(cases)('test-plugin-%s', (name, capability) => {
    expect(handshakeJson([capability])).toBe(fixture(name));
  });
});
