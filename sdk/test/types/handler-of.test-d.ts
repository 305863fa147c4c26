/**
 * The derivation itself, on a small contract: requests from the request schema with the spec at `specAt`, results
 * from the response schema, `?` from `optional`, and the endpoint fields that change the handler API.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineKind, type HandlerOf, type RequestOf, type ResultOf, type WithSpecAt } from '../../src/contracts/index.js';
import type { HandlerContext } from '../../src/index.js';

const Loose = z.looseObject({ name: z.string(), inner: z.looseObject({ spec: z.looseObject({ type: z.string() }), keep: z.number() }) });

const demo = defineKind({
  kind: 'demo',
  typesField: 'supportedDemoTypes',
  typeDescribes: 'demo spec',
  reachedBy: 'tests',
  endpoints: [
    {
      name: 'nested',
      method: 'POST',
      path: '/n',
      summary: 's',
      auth: 'never',
      request: z.object({ outer: Loose }),
      response: z.object({ ok: z.boolean() }),
      specAt: ['outer', 'inner', 'spec'],
    },
    {
      name: 'noBody',
      method: 'POST',
      path: '/b',
      summary: 's',
      auth: 'never',
      request: z.object({ spec: z.looseObject({}) }),
      specAt: ['spec'],
      optional: true,
    },
    {
      name: 'read',
      method: 'GET',
      path: '/r',
      summary: 's',
      auth: 'always',
      request: z.object({ id: z.string().transform(Number) }),
      response: z.array(z.string()),
      hint: 'store',
    },
    {
      name: 'who',
      method: 'POST',
      path: '/w',
      summary: 's',
      auth: 'never',
      request: z.object({ spec: z.looseObject({}) }),
      response: z.object({}),
      specAt: ['spec'],
      identity: 'bare',
      optional: true,
    },
    {
      name: 'find',
      method: 'POST',
      path: '/f',
      summary: 's',
      auth: 'optional',
      request: z.object({}),
      response: z.object({ found: z.string() }),
      nullMeans: 'OCMP_ERR_NO_CREDENTIALS',
    },
    { name: 'check', method: 'POST', path: '/c', summary: 's', auth: 'always', request: z.object({}), response: z.looseObject({}), emptyResult: true },
  ],
});

interface Spec {
  type: 'Demo/v1';
  answer: number;
}
type H = HandlerOf<typeof demo, Spec>;

describe('HandlerOf', () => {
  it('puts the spec type at specAt, through nested loose objects, keeping their other fields', () => {
    type R = RequestOf<typeof demo, 'nested', Spec>;
    expectTypeOf<R['outer']['inner']['spec']>().toEqualTypeOf<Spec>();
    expectTypeOf<R['outer']['inner']['keep']>().toEqualTypeOf<number>();
    expectTypeOf<R['outer']['name']>().toEqualTypeOf<string>();
    expectTypeOf<R['outer']['anythingElse']>().toEqualTypeOf<unknown>();
    expectTypeOf<WithSpecAt<{ a: { b: string } }, ['a', 'b'], Spec>>().toEqualTypeOf<{ a: { b: Spec } }>();
  });

  it('types the request as the schema outputs it and the result as the response schema accepts it', () => {
    expectTypeOf<RequestOf<typeof demo, 'read', Spec>['id']>().toEqualTypeOf<number>();
    expectTypeOf<ResultOf<typeof demo, 'read'>>().toEqualTypeOf<string[]>();
    expectTypeOf<ResultOf<typeof demo, 'nested'>>().toEqualTypeOf<{ ok: boolean }>();
  });

  it('makes a method optional exactly when its endpoint is', () => {
    expectTypeOf<H>().toHaveProperty('nested');
    expectTypeOf<{ nested: H['nested']; read: H['read']; find: H['find']; check: H['check'] }>().toExtend<H>();
    // @ts-expect-error nested is required
    expectTypeOf<{ read: H['read']; find: H['find']; check: H['check'] }>().toExtend<H>();
    expectTypeOf<undefined>().toExtend<H['noBody']>();
    expectTypeOf<undefined>().not.toExtend<H['nested']>();
  });

  it('answers void for endpoints without a response body and for emptyResult', () => {
    expectTypeOf<ResultOf<typeof demo, 'noBody'>>().toEqualTypeOf<void>();
    expectTypeOf<ResultOf<typeof demo, 'check'>>().toEqualTypeOf<void>();
  });

  it('lets identity and nullMeans handlers return nothing', () => {
    expectTypeOf<ResultOf<typeof demo, 'who'>>().toEqualTypeOf<Record<string, string> | null | undefined>();
    expectTypeOf<ResultOf<typeof demo, 'find'>>().toEqualTypeOf<{ found: string } | null | undefined>();
    expectTypeOf<null>().not.toExtend<ResultOf<typeof demo, 'nested'>>();
  });

  it('gives a hint endpoint the field as undefined and the last spec as <field>Hint', () => {
    type R = RequestOf<typeof demo, 'read', Spec>;
    expectTypeOf<R['store']>().toEqualTypeOf<undefined>();
    expectTypeOf<R['storeHint']>().toEqualTypeOf<Spec | undefined>();
  });

  it('types handler methods as (request, ctx) => result or a promise of it', () => {
    expectTypeOf<NonNullable<H['noBody']>>().parameters.toEqualTypeOf<[RequestOf<typeof demo, 'noBody', Spec>, HandlerContext]>();
    const h: H = {
      nested: async ({ outer }) => ({ ok: outer.inner.spec.answer > 0 }),
      read: ({ id, storeHint }) => [String(id), storeHint?.type ?? ''],
      find: () => null,
      check: () => {},
    };
    expectTypeOf(h).toEqualTypeOf<H>();
    const wrong: H = {
      ...h,
      // @ts-expect-error the response schema wants { ok: boolean }
      nested: () => ({ ok: 'yes' }),
    };
    expectTypeOf(wrong).toEqualTypeOf<H>();
  });
});
