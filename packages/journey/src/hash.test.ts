import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from './hash';
import { canonicalJson, jsonProblem } from './json';

describe('sha256Hex', () => {
  it('matches known vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('matches node:crypto on arbitrary unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
      }),
    );
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });
  it('keeps a "__proto__" key as data', () => {
    const v = JSON.parse('{"__proto__":{"x":1},"a":1}');
    expect(canonicalJson(v)).toBe('{"__proto__":{"x":1},"a":1}');
  });
});

describe('jsonProblem', () => {
  it('accepts plain JSON', () => expect(jsonProblem({ a: [1, 'x', null, { b: true }] })).toBeNull());
  it('rejects cycles, functions, NaN, class instances and deep nesting', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(jsonProblem(cyclic)?.message).toMatch(/cyclic/);
    expect(jsonProblem({ f: () => 1 })?.path).toBe('f');
    expect(jsonProblem({ n: Number.NaN })).not.toBeNull();
    expect(jsonProblem({ d: new Date() })).not.toBeNull();
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(jsonProblem(deep)?.message).toMatch(/deeper/);
  });
});
