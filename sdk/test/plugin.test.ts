/** definePlugin refuses declarations the host would reject, naming each problem. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { inputRepository, type InputRepositoryHandler } from '../src/contracts/input-repository.js';
import { definePlugin } from '../src/plugin.js';

const input = (types: string[]) =>
  inputRepository({ types: Object.fromEntries(types.map((t) => [t, z.object({ type: z.string() })])), handler: {} as InputRepositoryHandler<unknown> });

describe('definePlugin type names', () => {
  it('accepts Name and Name/version', () => {
    expect(() => definePlugin({ name: 'p', capabilities: [input(['Plain', 'Acme.example.com/v1'])] })).not.toThrow();
  });
  it.each(['a/b/c', 'Name/', '/v1'])('refuses %s', (type) => {
    expect(() => definePlugin({ name: 'p', capabilities: [input([type])] })).toThrow(`inputRepository: type "${type}" is not \`Name\` or \`Name/version\``);
  });
});
