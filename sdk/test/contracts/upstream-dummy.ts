/**
 * The upstream Go test plugins' spec type `DummyRepository/v1` with the exact JSON Schema they advertise
 * (sdk/docs/protocol.md §1.3), for byte-identity tests of the handshake.
 */
import { z } from 'zod';
import { withJsonSchema } from '../../src/schema.js';

export const DUMMY_SCHEMA_TEXT =
  '{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://ocm.software/open-component-model/bindings/go/plugin/internal/dummytype/v1/repository","$ref":"#/$defs/Repository","$defs":{"Repository":{"properties":{"type":{"type":"string","pattern":"^([a-zA-Z0-9][a-zA-Z0-9.]*)(?:/(v[0-9]+(?:alpha[0-9]+|beta[0-9]+)?))?"},"baseUrl":{"type":"string"}},"additionalProperties":false,"type":"object","required":["type","baseUrl"]}}}';

export const DUMMY_B64 = Buffer.from(DUMMY_SCHEMA_TEXT).toString('base64');

export const DummyRepository = withJsonSchema(
  z.object({ type: z.string(), baseUrl: z.string() }).strict(),
  JSON.parse(DUMMY_SCHEMA_TEXT) as Record<string, unknown>,
);
