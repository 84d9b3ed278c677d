/**
 * RFC 8785 (JCS) canonical JSON: the exact text a signature covers. Object keys sorted by UTF-16 code
 * units, no whitespace, strings and numbers as ECMAScript's JSON.stringify writes them (which is what
 * JCS specifies). Tested against the `canonicalize` package as an oracle.
 *
 * Written here rather than imported because the publisher signs one manifest per screen, and those
 * manifests share most of their objects: a memo keyed by object identity makes the shared parts cost
 * once per release instead of once per screen.
 */
export type Canonicalizer = (value: unknown) => string;

export function createCanonicalizer(memo: WeakMap<object, string> | null = new WeakMap()): Canonicalizer {
  const canon = (v: unknown): string => {
    if (v === null || typeof v !== "object") {
      if (typeof v === "number" && !Number.isFinite(v)) throw new TypeError("JSON has no form for a non-finite number");
      if (typeof v === "bigint") throw new TypeError("JSON has no form for a bigint");
      return JSON.stringify(v) ?? "null";
    }
    const hit = memo?.get(v);
    if (hit !== undefined) return hit;
    let text: string;
    if (Array.isArray(v)) {
      text = `[${v.map((x) => (x === undefined || typeof x === "function" || typeof x === "symbol" ? "null" : canon(x))).join(",")}]`;
    } else {
      const o = v as Record<string, unknown>;
      if (typeof (o as { toJSON?: unknown }).toJSON === "function")
        return canon((o as { toJSON: () => unknown }).toJSON());
      const keys = Object.keys(o)
        .filter((k) => o[k] !== undefined && typeof o[k] !== "function" && typeof o[k] !== "symbol")
        .sort();
      text = `{${keys.map((k) => `${JSON.stringify(k)}:${canon(o[k])}`).join(",")}}`;
    }
    memo?.set(v, text);
    return text;
  };
  return canon;
}

/** Canonical JSON without a memo: safe for values that may be changed afterwards. */
export const canonicalJson: Canonicalizer = createCanonicalizer(null);

export function canonicalBytes(value: unknown, canon: Canonicalizer = canonicalJson): Uint8Array {
  return new TextEncoder().encode(canon(value));
}

/**
 * Returns one array for every list with the same elements (objects by identity, other values by
 * value), so that a memoising canonicaliser serialises a list 1000 screens share once, not 1000 times.
 */
export type ArrayInterner = <T>(list: T[]) => T[];

export function createArrayInterner(): ArrayInterner {
  const ids = new WeakMap<object, number>();
  let next = 0;
  const lists = new Map<string, unknown[]>();
  const keyOf = (v: unknown): string => {
    if (v === null || typeof v !== "object") return `=${JSON.stringify(v)}`;
    let id = ids.get(v);
    if (id === undefined) {
      id = next++;
      ids.set(v, id);
    }
    return `#${id}`;
  };
  return <T>(list: T[]): T[] => {
    const key = list.map(keyOf).join(",");
    const held = lists.get(key);
    if (held) return held as T[];
    lists.set(key, list);
    return list;
  };
}
