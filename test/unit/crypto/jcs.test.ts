import { describe, expect, it } from 'vitest';
import { Canonical, canonicalFormOf, canonicalize, isCanonicalJson } from '../../../gateway/src/crypto/index.js';

describe('canonicalize (RFC 8785 JCS)', () => {
  it('reproduces the RFC 8785 §3.2.2 example exactly', () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    expect(canonicalize(JSON.parse(input))).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it('sorts members by UTF-16 code units, not code points (RFC 8785 §3.2.3)', () => {
    const value = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // The emoji (U+1F600, high surrogate 0xD83D) sorts before U+FB33 by code unit, after it by code point.
    expect(canonicalize(value)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('writes numbers in ECMAScript shortest form (RFC 8785 appendix B samples)', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [1, '1'],
      [-1.5, '-1.5'],
      [1e21, '1e+21'],
      [1e20, '100000000000000000000'],
      [1e-7, '1e-7'],
      [0.000001, '0.000001'],
      [9007199254740992, '9007199254740992'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [295147905179352830000, '295147905179352830000'],
    ];
    for (const [n, text] of cases) expect(canonicalize(n), String(n)).toBe(text);
  });

  it('sorts objects of any size the same way (few members and many take different paths)', () => {
    for (const n of [2, 3, 24, 25, 60]) {
      const keys = Array.from({ length: n }, (_, i) => ['z', 'é', '\ud83d\ude00', '\ufb33', 'A', '10', '9', ''][i % 8]! + String(n - i));
      const value = Object.fromEntries(keys.map((k) => [k, 1]));
      expect(canonicalize(value)).toBe('{' + [...keys].sort().map((k) => `${JSON.stringify(k)}:1`).join(',') + '}');
    }
  });

  it('has no whitespace and keeps array order', () => {
    expect(canonicalize({ b: [3, 1, 2], a: { d: null, c: 'x' } })).toBe('{"a":{"c":"x","d":null},"b":[3,1,2]}');
  });

  it('accepts objects without a prototype (JSON.parse reviver output, Object.create(null))', () => {
    const o = Object.create(null) as Record<string, unknown>;
    o['k'] = 1;
    expect(canonicalize(o)).toBe('{"k":1}');
  });

  describe('when the value is not JSON data', () => {
    const refused: [string, unknown, RegExp][] = [
      ['NaN', { a: NaN }, /value\.a: JSON has no NaN/],
      ['Infinity', [1, Infinity], /value\[1\]: JSON has no Infinity/],
      ['an undefined member', { a: { b: undefined } }, /value\.a\.b: undefined is not JSON/],
      ['undefined itself', undefined, /the value: undefined/],
      ['a hole in an array', [1, , 3], /value\[1\]: undefined/],
      ['a function', { f: () => 1 }, /value\.f: JSON cannot carry a function/],
      ['a bigint', { n: 10n }, /value\.n: JSON cannot carry a bigint/],
      ['a symbol', [Symbol('s')], /JSON cannot carry a symbol/],
      ['a lone surrogate in a string', { s: 'a\ud800b' }, /value\.s: .*lone UTF-16 surrogate/],
      ['a lone surrogate in a key', { ['\udc00']: 1 }, /lone UTF-16 surrogate/],
      ['a Date', { when: new Date(0) }, /value\.when: a Date is not JSON data/],
      ['a Map', new Map([[1, 2]]), /a Map is not JSON data/],
      ['a Buffer', { b: Buffer.from('x') }, /a Buffer is not JSON data/],
    ];
    for (const [what, value, message] of refused) {
      it(`refuses ${what} with JCS_UNSUPPORTED`, () => {
        expect(() => canonicalize(value)).toThrow(expect.objectContaining({ code: 'JCS_UNSUPPORTED', name: 'JcsUnsupportedError' }));
        expect(() => canonicalize(value)).toThrow(message);
      });
    }

    it('refuses a cycle instead of overflowing the stack', () => {
      const a: Record<string, unknown> = {};
      a['self'] = a;
      expect(() => canonicalize(a)).toThrow(/nested deeper than 1000 levels \(or contains a cycle\)/);
    });

    it('refuses nesting deeper than 1000 levels, but takes 1000', () => {
      const nest = (n: number): unknown => {
        let v: unknown = 0;
        for (let i = 0; i < n; i++) v = [v];
        return v;
      };
      expect(canonicalize(nest(1000))).toHaveLength(2001);
      expect(() => canonicalize(nest(1001))).toThrow(expect.objectContaining({ code: 'JCS_UNSUPPORTED' }));
      expect(() => canonicalize(nest(100_000))).toThrow(expect.objectContaining({ code: 'JCS_UNSUPPORTED' }));
    });
  });

  it('keeps a paired surrogate (astral character) as the character itself', () => {
    expect(canonicalize('😀')).toBe('"😀"');
  });
});

describe('isCanonicalJson', () => {
  const judged = (text: string): boolean => isCanonicalJson(text, JSON.parse(text));

  it('accepts the canonical form of values, including members a JavaScript object enumerates in another order', () => {
    const values: unknown[] = [
      { a: 1, b: [true, null, 'x'], c: { d: 'é€😀', e: -1.5e-7 } },
      { '10': 'ten', '9': 'nine', a: { '2': 1, '11': 2 } },
      { s: 'line\nbreak\u001f and "quotes" \\ backslash', n: [0, 1e21, 123456789.123, 5e-324] },
      { '\u20ac': 1, '\r': 2, '\ufb33': 3, '1': 4, '\ud83d\ude00': 5, 'ö': 6 },
      [],
      {},
    ];
    for (const v of values) expect(judged(canonicalize(v)), canonicalize(v)).toBe(true);
  });

  it('refuses texts that are JSON for the same value but not its canonical form', () => {
    for (const text of ['{"b":1,"a":2}', '{"a": 1}', '{"a":1.0}', '{"a":-0}', '{"a":1E3}', '{"a":"\\u0041"}', '{"a":"\\/"}', '{"a":1,"a":1}', '{"10":1,"9":2,"a":{"b":1,"a":2}}', '{"a":9007199254740993}']) {
      expect(judged(text), text).toBe(false);
    }
  });

  it('throws as canonicalize does for what has no canonical form (an escaped lone surrogate)', () => {
    expect(() => judged('{"a":"\\ud800"}')).toThrow(/lone/);
  });

  it('agrees with comparing canonicalize, over many generated values and their plain JSON.stringify texts', () => {
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const keys = ['a', 'b', 'B', '1', '10', '9', 'é', '\u20ac', '\ud83d\ude00', '_', 'aa'];
    const gen = (depth: number): unknown => {
      switch (depth > 3 ? rand(4) : rand(7)) {
        case 0: return rand(2) === 0;
        case 1: return null;
        case 2: return [0.1, -3, 1e-7, 1e22, 42, 2 ** 53][rand(6)];
        case 3: return ['', 'x', 'é"\\\n', '\u0001', '😀'][rand(5)];
        case 4: return Array.from({ length: rand(4) }, () => gen(depth + 1));
        default: {
          const o: Record<string, unknown> = {};
          for (let i = rand(5); i > 0; i--) o[keys[rand(keys.length)]!] = gen(depth + 1);
          return o;
        }
      }
    };
    for (let i = 0; i < 2000; i++) {
      const v = gen(0);
      const plain = JSON.stringify(v);
      expect(isCanonicalJson(plain, JSON.parse(plain)), plain).toBe(plain === canonicalize(v));
      expect(judged(canonicalize(v))).toBe(true);
    }
  });
});

describe('canonicalFormOf', () => {
  it('is the text itself when the text is canonical, and the built form otherwise', () => {
    const canonical = '{"a":[1,"x"],"b":{"c":null}}';
    expect(canonicalFormOf(canonical, JSON.parse(canonical))).toBe(canonical);
    for (const text of ['{"b":{"c":null},"a":[1,"x"]}', '{ "a" : [1.0, "x"], "b": {"c": null} }', '{"a":[1,"\\u0078"],"b":{"c":null}}']) {
      expect(canonicalFormOf(text, JSON.parse(text)), text).toBe(canonical);
    }
  });

  it('throws as canonicalize does for what has no canonical form', () => {
    expect(() => canonicalFormOf('{"a":"\\ud800"}', JSON.parse('{"a":"\\ud800"}'))).toThrow(/lone/);
  });
});

describe('Canonical', () => {
  it('is written as its text where canonicalize meets it: the same form as the value it stands for', () => {
    const input = { z: [1, { y: 'é', x: null }], a: 1e21 };
    const marked = new Canonical(canonicalize(input));
    const around = (v: unknown) => ({ purpose: 'p', input: v, capability: 'c' });
    expect(canonicalize(around(marked))).toBe(canonicalize(around(input)));
    expect(canonicalize([marked, marked])).toBe(canonicalize([input, input]));
    expect(canonicalize(marked)).toBe(canonicalize(input));
  });

  it('reads as the value it stands for through JSON.stringify', () => {
    const marked = new Canonical('{"a":[1,2]}');
    expect(JSON.stringify({ input: marked })).toBe('{"input":{"a":[1,2]}}');
  });
});
